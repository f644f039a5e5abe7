import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NetworkError, type JoinEnter } from '../../../api';
import { room } from '../../../test/fixtures';
import type { LobbyOutcome } from '../api/joinRoom';
import { LobbyPoller, MAX_POLL_INTERVAL_MS } from './LobbyPoller';

const enter: JoinEnter = {
  status: 'enter',
  url: '',
  token: 'jwt',
  identity: 'g-1',
  role: 'guest',
  room: room(),
};

function poller(answers: (LobbyOutcome | Error)[], intervalMs = 1000) {
  const poll = vi.fn(async () => {
    const next = answers.shift() ?? { status: 'wait' as const };
    if (next instanceof Error) throw next;
    return next;
  });
  const callbacks = { onEnter: vi.fn(), onRefused: vi.fn(), onTrouble: vi.fn() };
  const instance = new LobbyPoller({ poll, intervalMs, ...callbacks });
  return { poll, instance, ...callbacks };
}

describe('LobbyPoller', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('polls every poll_after_ms until let in', async () => {
    const { poll, instance, onEnter } = poller([{ status: 'wait' }, { status: 'wait' }, enter]);
    instance.start();
    await vi.advanceTimersByTimeAsync(999);
    expect(poll).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(poll).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(onEnter).toHaveBeenCalledWith(enter);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(poll).toHaveBeenCalledTimes(3);
  });

  it('stops at a refusal', async () => {
    const refusal = { status: 'refused', code: 'denied', reason: 'Full today' } as const;
    const { poll, instance, onRefused } = poller([refusal]);
    instance.start();
    await vi.advanceTimersByTimeAsync(5000);
    expect(onRefused).toHaveBeenCalledWith(refusal);
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it('keeps polling through network trouble, and says so', async () => {
    const failure = new NetworkError(new TypeError('offline'));
    const { instance, onTrouble, onEnter } = poller([failure, failure, enter]);
    instance.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(onTrouble).toHaveBeenLastCalledWith(true);
    await vi.advanceTimersByTimeAsync(2000);
    expect(onTrouble).toHaveBeenLastCalledWith(false);
    expect(onTrouble).toHaveBeenCalledTimes(2);
    expect(onEnter).toHaveBeenCalled();
  });

  it('never waits long enough for the server to expire the entry', async () => {
    const { poll, instance } = poller([], 60_000);
    instance.start();
    await vi.advanceTimersByTimeAsync(MAX_POLL_INTERVAL_MS);
    expect(poll).toHaveBeenCalledTimes(1);
  });

  it('stops polling and aborts the poll in flight when stopped', async () => {
    let signal: AbortSignal | undefined;
    const onEnter = vi.fn();
    const instance = new LobbyPoller({
      poll: (s) => {
        signal = s;
        return new Promise<LobbyOutcome>((resolve) => setTimeout(() => resolve(enter), 500));
      },
      intervalMs: 1000,
      onEnter,
      onRefused: vi.fn(),
      onTrouble: vi.fn(),
    });
    instance.start();
    await vi.advanceTimersByTimeAsync(1000);
    instance.stop();
    expect(signal?.aborted).toBe(true);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onEnter).not.toHaveBeenCalled();
  });
});
