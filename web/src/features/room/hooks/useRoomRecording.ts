import { useEffect, useState } from 'react';
import { getRoom } from '../../rooms';

/** How often the pre-join page asks again: a recording may start while someone gets ready. */
export const RECORDING_POLL_MS = 20_000;

/**
 * Whether the room is being recorded (`Room.recording`), read from the API while `active` (the
 * pre-join page shows), so that people are told before they enter. A failed read keeps the
 * last answer; the meeting's own indicator takes over inside.
 */
export function useRoomRecording(slug: string, active: boolean): boolean {
  const [recording, setRecording] = useState(false);

  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      getRoom(slug, { signal: controller.signal })
        .then(
          (room) => setRecording(Boolean(room.recording)),
          () => undefined,
        )
        .finally(() => {
          if (!controller.signal.aborted) timer = setTimeout(load, RECORDING_POLL_MS);
        });
    };
    load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [slug, active]);

  return active && recording;
}
