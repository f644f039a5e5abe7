import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, setCsrfToken } from '../../../api';
import { stubFetch } from '../../../test/fixtures';
import { ModerationClient } from './ModerationClient';

const refused = (status: number, code: string) => ({ status, body: { code, message: code } });

describe('ModerationClient', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('calls each moderation endpoint with the meeting token', async () => {
    const calls = stubFetch({ status: 204 });
    const client = new ModerationClient('abc-defg-hij', 'jwt');
    await client.mute('u-1', 'microphone');
    await client.mute('g-2');
    await client.muteAll('microphone');
    await client.remove('g 2');
    await client.lowerHand('u-1');
    await client.setRole('u-1', 'admin');
    await client.admit('L1');
    await client.deny('L2', '  Not today ');
    await client.deny('L3', '   ');
    await client.admitAll();
    await client.end();
    await client.updateRoom({ locked: true });
    expect(
      calls.map((c) => `${c.method} ${c.url.replace('/api/v1/rooms/abc-defg-hij', '')}`),
    ).toEqual([
      'POST /participants/u-1/mute',
      'POST /participants/g-2/mute',
      'POST /mute-all',
      'POST /participants/g%202/remove',
      'POST /participants/u-1/lower-hand',
      'PUT /participants/u-1/role',
      'POST /lobby/L1/admit',
      'POST /lobby/L2/deny',
      'POST /lobby/L3/deny',
      'POST /lobby/admit-all',
      'POST /end',
      'PATCH ',
    ]);
    expect(calls.map((c) => c.body)).toEqual([
      { source: 'microphone' },
      {},
      { source: 'microphone' },
      undefined,
      undefined,
      { role: 'admin' },
      undefined,
      { reason: 'Not today' },
      {},
      undefined,
      undefined,
      { locked: true },
    ]);
    expect(calls.every((c) => c.headers.authorization === 'Bearer jwt')).toBe(true);
  });

  it('starts and stops recordings with the meeting token, falling back on the session', async () => {
    const recording = { id: 'rec1', status: 'recording' };
    const calls = stubFetch({ status: 201, body: recording }, refused(403, 'forbidden'), {
      status: 200,
      body: { ...recording, status: 'finished' },
    });
    const client = new ModerationClient('abc-defg-hij', 'jwt');
    await expect(client.startRecording({ mode: 'audio', transcribe: true })).resolves.toEqual(
      recording,
    );
    await expect(client.stopRecording('rec1')).resolves.toMatchObject({ status: 'finished' });
    expect(calls.map((c) => `${c.method} ${c.url} ${c.headers.authorization}`)).toEqual([
      'POST /api/v1/rooms/abc-defg-hij/recordings Bearer jwt',
      'POST /api/v1/recordings/rec1/stop Bearer jwt',
      'POST /api/v1/recordings/rec1/stop undefined',
    ]);
    expect(calls[0]?.body).toEqual({ mode: 'audio', transcribe: true });
  });

  it.each([
    [401, 'unauthenticated'],
    [403, 'forbidden'],
  ])(
    'falls back on the session after a %i with the token, and keeps to it',
    async (status, code) => {
      setCsrfToken('c');
      const calls = stubFetch(refused(status, code), { status: 200, body: { waiting: [] } });
      const client = new ModerationClient('abc-defg-hij', 'expired');
      await expect(client.lobby()).resolves.toEqual({ waiting: [] });
      await client.lobby();
      expect(calls.map((c) => c.headers.authorization)).toEqual([
        'Bearer expired',
        undefined,
        undefined,
      ]);
      expect(calls.every((c) => c.url === '/api/v1/rooms/abc-defg-hij/lobby')).toBe(true);
    },
  );

  it('keeps the token when the session does not work either, and reports that refusal', async () => {
    const calls = stubFetch(refused(403, 'forbidden'), refused(401, 'unauthenticated'));
    const client = new ModerationClient('abc-defg-hij', 'jwt');
    await expect(client.end()).rejects.toMatchObject({ status: 401 });
    await expect(client.end()).rejects.toBeInstanceOf(ApiError);
    expect(calls.map((c) => c.headers.authorization)).toEqual([
      'Bearer jwt',
      undefined,
      'Bearer jwt',
      undefined,
    ]);
  });

  it('does not retry other failures', async () => {
    const calls = stubFetch(refused(404, 'participant_not_found'));
    const client = new ModerationClient('abc-defg-hij', 'jwt');
    await expect(client.remove('u-9')).rejects.toMatchObject({ code: 'participant_not_found' });
    expect(calls).toHaveLength(1);
  });
});
