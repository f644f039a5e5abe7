import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../api';
import { room, stubFetch } from '../../../test/fixtures';
import { joinRoom, leaveLobby, pollLobby, signalUrl } from './joinRoom';

const enter = {
  status: 'enter',
  url: 'ws://sfu',
  token: 'jwt',
  identity: 'u-1',
  role: 'owner',
  room: room(),
};

describe('joinRoom', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('enters, or knocks', async () => {
    const calls = stubFetch(
      { status: 200, body: enter },
      { status: 202, body: { status: 'wait', lobby_id: 'L1', poll_after_ms: 1500 } },
    );
    await expect(joinRoom('abc-defg-hij', 'Ada')).resolves.toEqual(enter);
    await expect(joinRoom('abc-defg-hij', 'Ada')).resolves.toEqual({
      status: 'wait',
      lobby_id: 'L1',
      poll_after_ms: 1500,
    });
    expect(calls[0]).toMatchObject({
      url: '/api/v1/rooms/abc-defg-hij/join',
      method: 'POST',
      body: { name: 'Ada' },
    });
  });

  it.each(['removed', 'room_full', 'meeting_ended'])(
    'turns a 403 %s into a refusal',
    async (code) => {
      stubFetch({ status: 403, body: { status: 'refused', code, message: 'No' } });
      await expect(joinRoom('abc-defg-hij', 'Ada')).resolves.toEqual({
        status: 'refused',
        code,
        reason: null,
      });
    },
  );

  it('turns a 404 into room_not_found, and throws anything else', async () => {
    stubFetch(
      { status: 404, body: { code: 'room_not_found', message: 'No such room' } },
      { status: 429, body: { code: 'rate_limited', message: 'Slow down' } },
    );
    await expect(joinRoom('x', 'Ada')).resolves.toMatchObject({ code: 'room_not_found' });
    await expect(joinRoom('x', 'Ada')).rejects.toBeInstanceOf(ApiError);
  });

  it('does not mistake another 403 for a refusal', async () => {
    stubFetch({ status: 403, body: { code: 'csrf_failed', message: 'Bad token' } });
    await expect(joinRoom('x', 'Ada')).rejects.toMatchObject({ code: 'csrf_failed' });
  });
});

describe('the lobby', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('polls: wait, then enter', async () => {
    const calls = stubFetch(
      { status: 200, body: { status: 'wait' } },
      { status: 200, body: enter },
    );
    await expect(pollLobby('abc-defg-hij', 'L 1')).resolves.toEqual({ status: 'wait' });
    await expect(pollLobby('abc-defg-hij', 'L 1')).resolves.toEqual(enter);
    expect(calls[0]).toMatchObject({
      url: '/api/v1/rooms/abc-defg-hij/lobby/L%201',
      method: 'GET',
    });
  });

  it("keeps the host's reason of a denial", async () => {
    stubFetch({
      status: 403,
      body: { status: 'refused', code: 'denied', message: 'Denied', reason: ' Not today ' },
    });
    await expect(pollLobby('abc-defg-hij', 'L1')).resolves.toEqual({
      status: 'refused',
      code: 'denied',
      reason: 'Not today',
    });
  });

  it('reads an unknown lobby entry as expired', async () => {
    stubFetch({ status: 404, body: { code: 'not_found', message: 'Unknown entry' } });
    await expect(pollLobby('abc-defg-hij', 'L1')).resolves.toMatchObject({
      code: 'lobby_expired',
    });
  });

  it('leaves with DELETE', async () => {
    const calls = stubFetch({ status: 204 });
    await leaveLobby('abc-defg-hij', 'L1');
    expect(calls[0]).toMatchObject({
      url: '/api/v1/rooms/abc-defg-hij/lobby/L1',
      method: 'DELETE',
    });
  });
});

describe('signalUrl', () => {
  it('uses the answer, or this origin over WebSocket', () => {
    expect(signalUrl('wss://sfu.example', { protocol: 'https:', host: 'x' })).toBe(
      'wss://sfu.example',
    );
    expect(signalUrl('', { protocol: 'https:', host: 'visio.example' })).toBe(
      'wss://visio.example',
    );
    expect(signalUrl('', { protocol: 'http:', host: '127.0.0.1:8080' })).toBe(
      'ws://127.0.0.1:8080',
    );
  });
});
