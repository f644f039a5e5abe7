import { afterEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api';
import { recording, stubFetch } from '../../../test/fixtures';
import { deleteRecording, getRecording, listRecordings } from './recordings';

describe('recordings API', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('lists, reads and deletes recordings on the session', async () => {
    setCsrfToken('c');
    const calls = stubFetch(
      { status: 200, body: { recordings: [recording()] } },
      { status: 200, body: recording() },
      { status: 204 },
    );
    expect((await listRecordings('abc-defg-hij')).recordings).toHaveLength(1);
    expect((await getRecording('rec1')).status).toBe('finished');
    await deleteRecording('rec 1');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/rooms/abc-defg-hij/recordings',
      'GET /api/v1/recordings/rec1',
      'DELETE /api/v1/recordings/rec%201',
    ]);
    expect(calls[2]?.headers['x-csrf-token']).toBe('c');
    expect(calls.every((c) => c.headers.authorization === undefined)).toBe(true);
  });

  it('rejects with the API error', async () => {
    stubFetch({ status: 409, body: { code: 'recording_running', message: 'stop it first' } });
    await expect(deleteRecording('rec1')).rejects.toMatchObject({
      status: 409,
      code: 'recording_running',
    });
  });
});
