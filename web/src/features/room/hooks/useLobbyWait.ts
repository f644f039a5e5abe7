import { useEffect, useRef, useState } from 'react';
import type { JoinEnter } from '../../../api';
import { pollLobby, type Refusal } from '../api/joinRoom';
import { LobbyPoller } from './LobbyPoller';

interface LobbyWaitOptions {
  readonly slug: string;
  readonly lobbyId: string;
  readonly pollAfterMs: number;
  readonly onEnter: (answer: JoinEnter) => void;
  readonly onRefused: (refusal: Refusal) => void;
}

/** Polls the lobby entry while mounted; returns true while polls are failing. */
export function useLobbyWait({
  slug,
  lobbyId,
  pollAfterMs,
  onEnter,
  onRefused,
}: LobbyWaitOptions): boolean {
  const [trouble, setTrouble] = useState(false);
  // The latest callbacks, so that a re-render does not restart the polling.
  const callbacks = useRef({ onEnter, onRefused });
  useEffect(() => {
    callbacks.current = { onEnter, onRefused };
  });

  useEffect(() => {
    const poller = new LobbyPoller({
      poll: (signal) => pollLobby(slug, lobbyId, signal),
      intervalMs: pollAfterMs,
      onEnter: (answer) => callbacks.current.onEnter(answer),
      onRefused: (refusal) => callbacks.current.onRefused(refusal),
      onTrouble: setTrouble,
    });
    poller.start();
    return () => poller.stop();
  }, [slug, lobbyId, pollAfterMs]);

  return trouble;
}
