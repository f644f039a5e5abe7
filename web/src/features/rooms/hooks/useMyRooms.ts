import { useCallback, useEffect, useState } from 'react';
import { errorText, type Room } from '../../../api';
import { listRooms } from '../api/rooms';

export type MyRooms =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly error: string }
  | {
      readonly status: 'ready';
      readonly rooms: readonly Room[];
      /** When the list arrived: "upcoming" means scheduled after this. */
      readonly loadedAt: number;
    };

/** Replaces a room in the list (after an edit), or puts a new one first. */
export function upsertRoom(rooms: readonly Room[], room: Room): readonly Room[] {
  return rooms.some((r) => r.slug === room.slug)
    ? rooms.map((r) => (r.slug === room.slug ? room : r))
    : [room, ...rooms];
}

/**
 * My rooms, fetched when `enabled` (signed in); edits made on this page are applied locally
 * rather than refetched.
 */
export function useMyRooms(enabled: boolean, networkMessage: string) {
  const [state, setState] = useState<MyRooms>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    listRooms(controller.signal).then(
      (answer) => setState({ status: 'ready', rooms: answer.rooms, loadedAt: Date.now() }),
      (error: unknown) => {
        if (!controller.signal.aborted) {
          setState({ status: 'failed', error: errorText(error, networkMessage) });
        }
      },
    );
    return () => controller.abort();
  }, [enabled, generation, networkMessage]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setGeneration((g) => g + 1);
  }, []);
  const put = useCallback((room: Room) => {
    setState((s) => (s.status === 'ready' ? { ...s, rooms: upsertRoom(s.rooms, room) } : s));
  }, []);
  const remove = useCallback((slug: string) => {
    setState((s) =>
      s.status === 'ready' ? { ...s, rooms: s.rooms.filter((r) => r.slug !== slug) } : s,
    );
  }, []);
  return { state, reload, put, remove };
}
