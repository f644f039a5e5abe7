import { describe, expect, it } from 'vitest';
import { room } from '../../../test/fixtures';
import { checkDraft, createRequest, draftFromRoom, emptyDraft, updateRequest } from './roomDraft';
import { fromLocalInput } from './roomSchedule';
import { upsertRoom } from './useMyRooms';

describe('room drafts', () => {
  it('creates with only what was chosen, and a date only for a meeting for later', () => {
    expect(createRequest(emptyDraft, false)).toEqual({ access: 'public', max_participants: 0 });
    const draft = {
      ...emptyDraft,
      name: '  Weekly  ',
      access: 'trusted' as const,
      maxParticipants: '25',
      scheduledAt: '2026-03-09T14:30',
    };
    expect(createRequest(draft, true)).toEqual({
      name: 'Weekly',
      access: 'trusted',
      max_participants: 25,
      scheduled_at: fromLocalInput('2026-03-09T14:30'),
    });
    expect(createRequest(draft, false)).not.toHaveProperty('scheduled_at');
  });

  it('flags a bad cap and a missing date', () => {
    expect(checkDraft(emptyDraft, false)).toEqual({});
    expect(checkDraft({ ...emptyDraft, maxParticipants: '-3' }, false)).toEqual({
      maxParticipants: 'rooms.capInvalid',
    });
    expect(checkDraft({ ...emptyDraft, maxParticipants: '2.5' }, true)).toEqual({
      maxParticipants: 'rooms.capInvalid',
      scheduledAt: 'rooms.scheduleInvalid',
    });
  });

  it('patches only what changed, sending the publish policy whole', () => {
    const current = room({ max_participants: 10, scheduled_at: '2026-03-09T13:30:00Z' });
    const draft = draftFromRoom(current);
    expect(draft.maxParticipants).toBe('10');
    expect(updateRequest(current, draft)).toEqual({});

    expect(
      updateRequest(current, {
        ...draft,
        name: 'Renamed',
        locked: true,
        publish: { ...draft.publish, screen_share: 'hosts' },
      }),
    ).toEqual({
      name: 'Renamed',
      locked: true,
      publish: { camera: 'everyone', microphone: 'everyone', screen_share: 'hosts' },
    });
    expect(updateRequest(current, { ...draft, maxParticipants: '', scheduledAt: '' })).toEqual({
      max_participants: 0,
      scheduled_at: null,
    });
    expect(updateRequest(current, { ...draft, name: '   ' })).toEqual({});
  });

  it('puts a new room first and replaces an edited one in place', () => {
    const a = room({ slug: 'a' });
    const b = room({ slug: 'b' });
    expect(upsertRoom([a], b).map((r) => r.slug)).toEqual(['b', 'a']);
    const renamed = room({ slug: 'a', name: 'Renamed' });
    expect(upsertRoom([a, b], renamed)).toEqual([renamed, b]);
  });
});
