import { useEffect, useState, useSyncExternalStore } from 'react';
import { LobbyStore, type LobbyApi, type LobbySnapshot } from './LobbyStore';

const EMPTY: LobbySnapshot = { entries: [], arrivals: null, failed: false };
const noop = () => () => undefined;

/**
 * The waiting list for a host: fetched on becoming host (on entering, or when made admin) and
 * whenever `signalSeq` changes (a `parlons.lobby` packet). Empty for everyone else.
 */
export function useLobby(
  api: LobbyApi | null,
  isHost: boolean,
  signalSeq: number,
): { readonly store: LobbyStore | null; readonly snapshot: LobbySnapshot } {
  const [store] = useState(() => (api ? new LobbyStore(api) : null));
  const active = isHost ? store : null;

  useEffect(() => {
    if (active) void active.refresh();
  }, [active, signalSeq]);

  const snapshot = useSyncExternalStore(
    active?.subscribe ?? noop,
    active ? active.getSnapshot : () => EMPTY,
  );
  return { store: active, snapshot };
}
