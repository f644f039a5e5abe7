/** Why a camera or microphone could not be opened, as the pre-join page explains it. */
export type MediaProblem = 'denied' | 'notFound' | 'inUse' | 'other';

/**
 * Maps a `getUserMedia` failure to what the user can do about it. Names follow the
 * Media Capture spec; the older Chromium and Firefox names are kept for old browsers.
 */
export function classifyMediaError(error: unknown): MediaProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return 'notFound';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'inUse';
    default:
      return 'other';
  }
}
