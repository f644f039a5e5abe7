import { describe, expect, it } from 'vitest';
import type { RecordingFile } from '../../../api';
import { recording, recordingFile } from '../../../test/fixtures';
import {
  fileDurationMs,
  formatDuration,
  isFileReady,
  playerElement,
  recordingDurationMs,
} from './recordingText';

describe('formatDuration', () => {
  it.each([
    [0, 'en', '0 sec'],
    [400, 'en', '0 sec'],
    [5_000, 'en', '5 sec'],
    [65_400, 'en', '1 min 5 sec'],
    [3_600_000, 'en', '1 hr'],
    [3_725_000, 'en', '1 hr 2 min 5 sec'],
    [3_725_000, 'fr', '1 h 2 min 5 s'],
    [-10, 'fr', '0 s'],
  ])('%i ms in %s → %s', (ms, locale, text) => {
    // French puts narrow no-break spaces between numbers and units.
    expect(formatDuration(ms, locale).replace(/\s/gu, ' ')).toBe(text);
  });
});

describe('recording facts', () => {
  const file = (patch: Partial<RecordingFile>) => recordingFile(patch);

  it('measures files and recordings', () => {
    expect(fileDurationMs(file({ start_ms: 1_500, end_ms: 61_500 }))).toBe(60_000);
    expect(fileDurationMs(file({ end_ms: null }))).toBeNull();
    expect(recordingDurationMs(recording())).toBe(754_000);
    expect(recordingDurationMs(recording({ stopped_at: null }))).toBeNull();
  });

  it('plays microphones as audio, cameras and screens as video, once written', () => {
    expect(playerElement(file({ kind: 'audio' }))).toBe('audio');
    expect(playerElement(file({ kind: 'video' }))).toBe('video');
    expect(playerElement(file({ kind: 'screen' }))).toBe('video');
    expect(isFileReady(file({ status: 'finished' }))).toBe(true);
    expect(isFileReady(file({ status: 'recovered' }))).toBe(true);
    expect(isFileReady(file({ status: 'recording', end_ms: null }))).toBe(false);
  });
});
