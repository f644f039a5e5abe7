import type { Recording, RecordingFile } from '../../../api';

/**
 * A length as words ("1 hr 2 min 5 sec", "1 h 2 min 5 s"), rounded to the second: read aloud
 * as it is shown, unlike "1:02:05".
 */
export function formatDuration(ms: number, locale: string): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const parts: [number, 'hour' | 'minute' | 'second'][] = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const shown = parts.filter(([value], index) => value > 0 || (total === 0 && index === 2));
  const words = shown.map(([value, unit]) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value),
  );
  return new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' }).format(words);
}

/** How long a file lasts (`end_ms - start_ms`); null while it is being written. */
export function fileDurationMs(file: RecordingFile): number | null {
  return file.end_ms === null ? null : Math.max(0, file.end_ms - file.start_ms);
}

/** How long the recording ran; null while it runs. */
export function recordingDurationMs(recording: Recording): number | null {
  if (!recording.stopped_at) return null;
  const ms = Date.parse(recording.stopped_at) - Date.parse(recording.started_at);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** Cameras and screens are WebM video (with the participant's sound); microphones Ogg/Opus. */
export function playerElement(file: RecordingFile): 'video' | 'audio' {
  return file.kind === 'audio' ? 'audio' : 'video';
}

/** A file can be played and downloaded once it is no longer being written. */
export function isFileReady(file: RecordingFile): boolean {
  return file.status !== 'recording' && file.end_ms !== null;
}

export function formatDateTime(iso: string, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short' }).format(date);
}
