import { vi } from 'vitest';
import type { Room } from '../api';

/** Test data and a fetch double shared by the API and store tests; never used by the app. */
export function room(patch: Partial<Room> = {}): Room {
  return {
    slug: 'abc-defg-hij',
    name: 'Weekly',
    url: 'http://parlons.test/r/abc-defg-hij',
    access: 'public',
    max_participants: 0,
    locked: false,
    publish: { camera: 'everyone', microphone: 'everyone', screen_share: 'everyone' },
    my_role: 'owner',
    scheduled_at: null,
    created_at: '2026-01-05T09:00:00Z',
    last_used_at: null,
    active: false,
    participants: 0,
    ...patch,
  };
}

export interface RecordedCall {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

/**
 * Stubs `fetch` with answers given in order (the last one repeats) and records each request,
 * with its JSON body parsed.
 */
export function stubFetch(...answers: Answer[]): RecordedCall[] {
  const calls: RecordedCall[] = [];
  let next = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({
        url,
        method: init.method ?? 'GET',
        headers: (init.headers ?? {}) as Record<string, string>,
        body: typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined,
      });
      const answer = answers[Math.min(next, answers.length - 1)] ?? { status: 204 };
      next += 1;
      const text = answer.body === undefined ? null : JSON.stringify(answer.body);
      return new Response(text, {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return calls;
}
