import { useCallback, useEffect, useState } from 'react';
import { ApiError, errorText, type Recording } from '../../../api';
import { getRoom } from '../../rooms';
import { listRecordings } from '../api/recordings';

/**
 * Why the list is not shown: not signed in (401), not a host (403), no such room (404), or
 * anything else with its message.
 */
export type RecordingsFailure =
  | { readonly kind: 'signedOut' | 'forbidden' | 'notFound' }
  | { readonly kind: 'other'; readonly message: string };

export type RecordingsState =
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly failure: RecordingsFailure }
  | { readonly status: 'ready'; readonly recordings: readonly Recording[] };

export function failureOf(error: unknown, networkMessage: string): RecordingsFailure {
  if (error instanceof ApiError) {
    if (error.status === 401) return { kind: 'signedOut' };
    if (error.status === 403) return { kind: 'forbidden' };
    if (error.status === 404) return { kind: 'notFound' };
  }
  return { kind: 'other', message: errorText(error, networkMessage) };
}

/**
 * The recordings of a room, newest first, and the room's name for the title (the slug until it
 * arrives, or when it cannot be read). `reload` keeps the list on screen while it refetches.
 */
export function useRecordings(slug: string, networkMessage: string) {
  const [state, setState] = useState<RecordingsState>({ status: 'loading' });
  const [roomName, setRoomName] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    listRecordings(slug, controller.signal)
      .then(
        (answer) => setState({ status: 'ready', recordings: answer.recordings }),
        (error: unknown) => {
          if (!controller.signal.aborted) {
            setState({ status: 'failed', failure: failureOf(error, networkMessage) });
          }
        },
      )
      .finally(() => {
        if (!controller.signal.aborted) setRefreshing(false);
      });
    return () => controller.abort();
  }, [slug, generation, networkMessage]);

  useEffect(() => {
    const controller = new AbortController();
    getRoom(slug, { signal: controller.signal }).then(
      (room) => setRoomName(room.name),
      () => undefined,
    );
    return () => controller.abort();
  }, [slug]);

  const reload = useCallback(() => {
    setRefreshing(true);
    setGeneration((g) => g + 1);
  }, []);
  const remove = useCallback((id: string) => {
    setState((s) =>
      s.status === 'ready' ? { ...s, recordings: s.recordings.filter((r) => r.id !== id) } : s,
    );
  }, []);
  return { state, roomName, refreshing, reload, remove };
}
