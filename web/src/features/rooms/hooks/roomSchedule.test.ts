import { describe, expect, it } from 'vitest';
import { room } from '../../../test/fixtures';
import { fromLocalInput, splitRooms, toLocalInput } from './roomSchedule';

describe('splitRooms', () => {
  it('lists future meetings soonest first, and keeps the server order for the rest', () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const rooms = [
      room({ slug: 'recent-1' }),
      room({ slug: 'later', scheduled_at: '2026-03-09T08:00:00Z' }),
      room({ slug: 'past', scheduled_at: '2026-02-01T08:00:00Z' }),
      room({ slug: 'soon', scheduled_at: '2026-03-02T08:00:00Z' }),
      room({ slug: 'recent-2' }),
    ];
    const { upcoming, recent } = splitRooms(rooms, now);
    expect(upcoming.map((r) => r.slug)).toEqual(['soon', 'later']);
    expect(recent.map((r) => r.slug)).toEqual(['recent-1', 'past', 'recent-2']);
  });
});

describe('datetime-local conversion', () => {
  it('round-trips a local date and time through RFC 3339', () => {
    const iso = fromLocalInput('2026-03-09T14:30');
    expect(iso).toBe(new Date(2026, 2, 9, 14, 30).toISOString());
    expect(toLocalInput(iso)).toBe('2026-03-09T14:30');
  });

  it.each(['', '2026-03-09', 'tomorrow', '2026-13-45T99:99'])('rejects %j', (value) => {
    expect(fromLocalInput(value)).toBeNull();
  });

  it('shows nothing for no date or a bad one', () => {
    expect(toLocalInput(null)).toBe('');
    expect(toLocalInput('not a date')).toBe('');
  });
});
