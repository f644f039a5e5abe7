import type { Room } from '../../../api';

/** Rooms scheduled in the future, soonest first; every other room in the server's order. */
export function splitRooms(
  rooms: readonly Room[],
  now: number,
): { readonly upcoming: readonly Room[]; readonly recent: readonly Room[] } {
  const at = (room: Room) => (room.scheduled_at ? Date.parse(room.scheduled_at) : NaN);
  const upcoming = rooms.filter((room) => at(room) > now).sort((a, b) => at(a) - at(b));
  const recent = rooms.filter((room) => !(at(room) > now));
  return { upcoming, recent };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** RFC 3339 → the local `YYYY-MM-DDTHH:mm` a `datetime-local` input shows; '' when none. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** A `datetime-local` value (the browser's time zone) → RFC 3339 UTC; null when empty or bad. */
export function fromLocalInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
