import { vi } from 'vitest';
import type { Recording, RecordingFile, RoomWithRecording } from '../api';

/** Test data and a fetch double shared by the API and store tests; never used by the app. */
export function room(patch: Partial<RoomWithRecording> = {}): RoomWithRecording {
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
    recording: null,
    ...patch,
  };
}

/** A finished recording of `abc-defg-hij`, 12 min 34 s long, with no files unless given. */
export function recording(patch: Partial<Recording> = {}): Recording {
  return {
    id: 'rec1',
    room: 'abc-defg-hij',
    mode: 'video',
    transcribe: false,
    status: 'finished',
    error: null,
    started_at: '2026-03-02T09:00:00Z',
    stopped_at: '2026-03-02T09:12:34Z',
    expires_at: '2026-04-01T09:12:34Z',
    files: [],
    composite_url: null,
    composite_status: null,
    composite_progress: 0,
    composite_error: null,
    ...patch,
  };
}

/** Ada's camera, 65 s long, in recording `rec1`. */
export function recordingFile(patch: Partial<RecordingFile> = {}): RecordingFile {
  return {
    kind: 'video',
    identity: 'u-ada',
    name: 'Ada Lovelace',
    codec: 'vp8+opus',
    start_ms: 0,
    end_ms: 65_000,
    status: 'finished',
    url: '/api/v1/recordings/rec1/files/u-ada-camera.webm',
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
