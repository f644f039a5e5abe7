import { describe, expect, it, vi } from 'vitest';
import { ApiError, type Recording } from '../../../api';
import { room } from '../../../test/fixtures';
import { RecordingControlStore, type RecordingControlApi } from './RecordingControlStore';

const recording = (id: string): Recording => ({
  id,
  room: 'abc-defg-hij',
  mode: 'video',
  transcribe: false,
  status: 'recording',
  error: null,
  started_at: '2026-03-01T10:00:00Z',
  stopped_at: null,
  expires_at: null,
  files: [],
  composite_url: null,
  composite_status: null,
  composite_progress: 0,
  composite_error: null,
});

const conflict = (code: string) => new ApiError(409, { code, message: code });

function fakeApi(running: string | null = null) {
  return {
    startRecording: vi.fn(async () => recording('rec-new')),
    stopRecording: vi.fn(async (id: string) => ({ ...recording(id), status: 'finished' as const })),
    getRoom: vi.fn(async () => ({ ...room(), recording: running })),
  } satisfies RecordingControlApi;
}

describe('RecordingControlStore', () => {
  it('starts, shows Stop before LiveKit says so, and stops what the server says runs', async () => {
    const api = fakeApi('rec-new');
    const store = new RecordingControlStore(api, false);
    const listener = vi.fn();
    store.subscribe(listener);

    const starting = store.start({ mode: 'audio', transcribe: true });
    expect(store.getSnapshot().phase).toBe('starting');
    await starting;
    expect(api.startRecording).toHaveBeenCalledWith({ mode: 'audio', transcribe: true });
    expect(store.getSnapshot()).toEqual({ phase: 'recording', id: 'rec-new' });
    expect(listener).toHaveBeenCalled();

    store.setLive(true);
    expect(store.getSnapshot().phase).toBe('recording');
    await store.stop();
    expect(api.stopRecording).toHaveBeenCalledWith('rec-new');
    expect(store.getSnapshot()).toEqual({ phase: 'idle', id: null });
    // LiveKit catches up: nothing changes.
    store.setLive(false);
    expect(store.getSnapshot().phase).toBe('idle');
  });

  it('follows recordings started and stopped by someone else', async () => {
    const api = fakeApi('rec-other');
    const store = new RecordingControlStore(api, false);
    store.setLive(true);
    expect(store.getSnapshot()).toEqual({ phase: 'recording', id: null });
    store.setLive(false);
    expect(store.getSnapshot().phase).toBe('idle');

    // Joined while a recording runs.
    const joined = new RecordingControlStore(api, true);
    expect(joined.getSnapshot().phase).toBe('recording');
    await joined.stop();
    expect(api.getRoom).toHaveBeenCalled();
    expect(api.stopRecording).toHaveBeenCalledWith('rec-other');
  });

  it('stops the running recording, not one it started earlier', async () => {
    const api = fakeApi('rec-newer');
    const store = new RecordingControlStore(api, false);
    await store.start({});
    await store.stop();
    expect(api.stopRecording).toHaveBeenCalledWith('rec-newer');
  });

  it('falls back on its own id when the room cannot be read', async () => {
    const api = fakeApi();
    api.getRoom.mockRejectedValueOnce(new Error('offline'));
    const store = new RecordingControlStore(api, false);
    await store.start({});
    await store.stop();
    expect(api.stopRecording).toHaveBeenCalledWith('rec-new');

    // Without an id of its own, the failure is reported and the control stays on Stop.
    const other = new RecordingControlStore(api, true);
    api.getRoom.mockRejectedValueOnce(new Error('offline'));
    await expect(other.stop()).rejects.toThrow('offline');
    expect(other.getSnapshot().phase).toBe('recording');
  });

  it('reports a refused start; "already running" leaves the control on Stop', async () => {
    const api = fakeApi();
    api.startRecording.mockRejectedValueOnce(conflict('meeting_not_running'));
    const store = new RecordingControlStore(api, false);
    await expect(store.start({})).rejects.toMatchObject({ code: 'meeting_not_running' });
    expect(store.getSnapshot().phase).toBe('idle');

    api.startRecording.mockRejectedValueOnce(conflict('recording_running'));
    await expect(store.start({})).rejects.toMatchObject({ code: 'recording_running' });
    expect(store.getSnapshot()).toEqual({ phase: 'recording', id: null });
  });

  it('keeps Stop when stopping fails, and ignores clicks while a call runs', async () => {
    const api = fakeApi('rec-1');
    api.stopRecording.mockRejectedValueOnce(new ApiError(500, null));
    const store = new RecordingControlStore(api, true);
    await expect(store.stop()).rejects.toBeInstanceOf(ApiError);
    expect(store.getSnapshot().phase).toBe('recording');

    const stopping = store.stop();
    void store.stop();
    void store.start({});
    await stopping;
    expect(api.stopRecording).toHaveBeenCalledTimes(2);
    expect(api.startRecording).not.toHaveBeenCalled();
  });

  it('lets a call in flight decide, whatever LiveKit says meanwhile', async () => {
    const api = fakeApi('rec-new');
    const store = new RecordingControlStore(api, false);
    const starting = store.start({});
    store.setLive(true);
    expect(store.getSnapshot().phase).toBe('starting');
    await starting;
    const stopping = store.stop();
    store.setLive(false);
    expect(store.getSnapshot().phase).toBe('stopping');
    await stopping;
    expect(store.getSnapshot().phase).toBe('idle');
  });
});
