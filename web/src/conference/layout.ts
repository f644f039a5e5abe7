import type { ParticipantView } from './types';

export interface Page<T> {
  readonly items: readonly T[];
  /** Zero-based, clamped to the pages that exist. */
  readonly page: number;
  /** At least 1, even with no items. */
  readonly pageCount: number;
}

/** Cuts `items` into pages of `pageSize` and returns the requested one, clamped. */
export function paginate<T>(items: readonly T[], pageSize: number, page: number): Page<T> {
  const size = Math.max(1, Math.floor(pageSize));
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return { items: items.slice(current * size, current * size + size), page: current, pageCount };
}

/** Tiles per grid page for a stage of this width (CSS pixels): 4 on phones, 9, then 16. */
export function gridPageSize(width: number): number {
  if (width < 640) return 4;
  if (width < 1200) return 9;
  return 16;
}

/**
 * Columns for `count` tiles: as square as possible, with the spare row or column along the
 * stage's long side (3 tiles: 2 columns on a landscape stage, 1 on a portrait one).
 */
export function gridColumns(count: number, landscape: boolean): number {
  if (count <= 1) return 1;
  return landscape ? Math.ceil(Math.sqrt(count)) : Math.floor(Math.sqrt(count));
}

/**
 * Order for the participant list: raised hands first, in the order they went up, then
 * the local participant, then everyone else by name.
 */
export function sortForParticipantList(
  participants: readonly ParticipantView[],
  locale?: string,
): ParticipantView[] {
  const collator = new Intl.Collator(locale, { sensitivity: 'base' });
  return [...participants].sort((a, b) => {
    if (a.handRaisedAt !== null || b.handRaisedAt !== null) {
      if (a.handRaisedAt === null) return 1;
      if (b.handRaisedAt === null) return -1;
      if (a.handRaisedAt !== b.handRaisedAt) return a.handRaisedAt - b.handRaisedAt;
    }
    if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
    return collator.compare(a.name, b.name) || a.identity.localeCompare(b.identity);
  });
}
