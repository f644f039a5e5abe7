import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api';
import { room, stubFetch } from '../../../test/fixtures';
import { createRoom, deleteRoom, inviteIcsUrl, listRooms, updateRoom } from './rooms';

describe('rooms API', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('lists, creates, patches and deletes rooms with the session CSRF token', async () => {
    setCsrfToken('c');
    const calls = stubFetch(
      { status: 200, body: { rooms: [room()] } },
      { status: 201, body: room() },
      { status: 200, body: room({ locked: true }) },
      { status: 204 },
    );
    expect((await listRooms()).rooms).toHaveLength(1);
    await createRoom({ name: 'Weekly', access: 'restricted' });
    expect((await updateRoom('abc-defg-hij', { locked: true })).locked).toBe(true);
    await deleteRoom('abc-defg-hij');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/rooms',
      'POST /api/v1/rooms',
      'PATCH /api/v1/rooms/abc-defg-hij',
      'DELETE /api/v1/rooms/abc-defg-hij',
    ]);
    expect(calls[1]?.body).toEqual({ name: 'Weekly', access: 'restricted' });
    expect(calls[2]?.body).toEqual({ locked: true });
    expect(calls.slice(1).every((c) => c.headers['x-csrf-token'] === 'c')).toBe(true);
    expect(calls[0]?.headers['x-csrf-token']).toBeUndefined();
  });

  it('links to the calendar invitation', () => {
    expect(inviteIcsUrl('abc-defg-hij')).toBe('/api/v1/rooms/abc-defg-hij/invite.ics');
  });
});
