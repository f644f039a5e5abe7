import { useEffect, useState } from 'react';
import {
  canCaptureMedia,
  classifyMediaError,
  deviceConstraint,
  type MediaProblem,
} from '../../../media';

export interface LocalTrackState {
  readonly track: MediaStreamTrack | null;
  readonly problem: MediaProblem | null;
}

const idle: LocalTrackState = { track: null, problem: null };

function constraints(
  kind: 'audio' | 'video',
  deviceId: string | undefined,
): MediaStreamConstraints {
  if (kind === 'audio') return { audio: deviceConstraint(deviceId) };
  const device = deviceConstraint(deviceId);
  return {
    video: {
      ...(device === true ? {} : device),
      width: { ideal: 1280 },
      height: { ideal: 720 },
    },
  };
}

async function open(
  kind: 'audio' | 'video',
  deviceId: string | undefined,
): Promise<MediaStreamTrack> {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(constraints(kind, deviceId));
    const [track] = kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks();
    if (!track) throw new DOMException('no track', 'NotFoundError');
    return track;
  } catch (error) {
    // A remembered device that is gone: fall back to the default one.
    if (deviceId && error instanceof Error && error.name === 'OverconstrainedError') {
      return open(kind, undefined);
    }
    throw error;
  }
}

/**
 * Opens one camera or microphone for the pre-join preview while `enabled`, and stops it when
 * disabled, switched or unmounted. `retry()` tries again after a failure.
 */
export function useLocalTrack(
  kind: 'audio' | 'video',
  enabled: boolean,
  deviceId: string | undefined,
): LocalTrackState & { readonly retry: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<LocalTrackState & { key: string | null }>({
    ...idle,
    key: null,
  });
  const key = enabled && canCaptureMedia() ? `${kind}|${deviceId ?? ''}|${attempt}` : null;

  useEffect(() => {
    if (!key) return;
    let cancelled = false;
    let acquired: MediaStreamTrack | null = null;
    open(kind, deviceId).then(
      (track) => {
        if (cancelled) {
          track.stop();
          return;
        }
        acquired = track;
        setState({ key, track, problem: null });
      },
      (error: unknown) => {
        if (!cancelled) setState({ key, track: null, problem: classifyMediaError(error) });
      },
    );
    return () => {
      cancelled = true;
      acquired?.stop();
    };
  }, [key, kind, deviceId]);

  const current = state.key === key ? state : idle;
  return { track: current.track, problem: current.problem, retry: () => setAttempt((n) => n + 1) };
}
