import { describe, expect, it } from 'vitest';
import { gridColumns, gridPageSize, paginate, sortForParticipantList } from './layout';
import type { ParticipantView } from './types';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('paginate', () => {
  it('cuts items into pages and reports the count', () => {
    expect(paginate(range(20), 9, 0)).toEqual({ items: range(9), page: 0, pageCount: 3 });
    expect(paginate(range(20), 9, 2)).toEqual({ items: [18, 19], page: 2, pageCount: 3 });
  });

  it('clamps a page that no longer exists (people left)', () => {
    expect(paginate(range(10), 9, 5)).toMatchObject({ items: [9], page: 1 });
    expect(paginate(range(4), 9, 1)).toMatchObject({ items: range(4), page: 0, pageCount: 1 });
    expect(paginate(range(4), 9, -3).page).toBe(0);
  });

  it('has one empty page when there is nobody', () => {
    expect(paginate([], 9, 0)).toEqual({ items: [], page: 0, pageCount: 1 });
  });

  it('treats nonsense page sizes as 1', () => {
    expect(paginate(range(3), 0, 2)).toEqual({ items: [2], page: 2, pageCount: 3 });
  });
});

describe('grid sizing', () => {
  it('fits more tiles on wider stages', () => {
    expect(gridPageSize(390)).toBe(4);
    expect(gridPageSize(800)).toBe(9);
    expect(gridPageSize(1600)).toBe(16);
  });

  it.each([
    [1, true, 1],
    [2, true, 2],
    [3, true, 2],
    [4, true, 2],
    [5, true, 3],
    [9, true, 3],
    [10, true, 4],
    [16, true, 4],
    [2, false, 1],
    [3, false, 1],
    [4, false, 2],
    [9, false, 3],
  ])('%i tiles, landscape %s → %i columns', (count, landscape, columns) => {
    expect(gridColumns(count, landscape)).toBe(columns);
  });
});

function person(identity: string, patch: Partial<ParticipantView> = {}): ParticipantView {
  return {
    identity,
    name: identity,
    isLocal: false,
    joinedAt: 0,
    micMuted: false,
    cameraTrack: null,
    screenTrack: null,
    isSpeaking: false,
    handRaisedAt: null,
    role: null,
    ...patch,
  };
}

describe('sortForParticipantList', () => {
  it('puts raised hands first in raise order, then me, then others by name', () => {
    const sorted = sortForParticipantList([
      person('zoe'),
      person('me', { isLocal: true, name: 'Me' }),
      person('bob', { handRaisedAt: 2000 }),
      person('ann'),
      person('carl', { handRaisedAt: 1000 }),
      person('élise'),
    ]);
    expect(sorted.map((p) => p.identity)).toEqual(['carl', 'bob', 'me', 'ann', 'élise', 'zoe']);
  });

  it('does not reorder its input', () => {
    const input = [person('b'), person('a')];
    sortForParticipantList(input);
    expect(input.map((p) => p.identity)).toEqual(['b', 'a']);
  });
});
