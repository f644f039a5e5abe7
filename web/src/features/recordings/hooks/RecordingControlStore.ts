import {
  errorCode,
  type Recording,
  type RoomWithRecording,
  type StartRecordingRequest,
} from '../../../api';

/** The recording calls a host makes in a meeting: `ModerationClient`, or a fake in tests. */
export interface RecordingControlApi {
  startRecording(request: StartRecordingRequest): Promise<Recording>;
  stopRecording(id: string): Promise<Recording>;
  getRoom(): Promise<RoomWithRecording>;
}

/**
 * What the host's control offers: `idle` → Record; `recording` → Stop recording. `starting` and
 * `stopping` last while the call runs.
 */
export type RecordingPhase = 'idle' | 'starting' | 'recording' | 'stopping';

export interface RecordingControlSnapshot {
  readonly phase: RecordingPhase;
  /** The id this host's start got back; null when the recording was started elsewhere. */
  readonly id: string | null;
}

/**
 * A host's Record / Stop recording control. Whether the room is recorded comes from the server
 * through LiveKit (`setLive`, from the conference snapshot); this store only adds what the host
 * is doing about it, so that the control answers at once, before LiveKit's room update arrives.
 *
 * Stopping asks the server which recording runs (`Room.recording`) rather than trusting an id
 * seen earlier: another host may have stopped it and started a new one since.
 */
export class RecordingControlStore {
  private readonly api: RecordingControlApi;
  private live: boolean;
  private snapshot: RecordingControlSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(api: RecordingControlApi, live: boolean) {
    this.api = api;
    this.live = live;
    this.snapshot = { phase: live ? 'recording' : 'idle', id: null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RecordingControlSnapshot => this.snapshot;

  /**
   * LiveKit's recording flag changed. A call in flight decides its own outcome; otherwise the
   * control follows the room (someone else started or stopped it, or it failed on the server).
   */
  setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    const { phase } = this.snapshot;
    if (live && phase === 'idle') this.update({ phase: 'recording', id: null });
    if (!live && phase === 'recording') this.update({ phase: 'idle', id: null });
  }

  /**
   * Rejects with the API error when the server refuses (the start dialog shows it). A refusal
   * because a recording already runs leaves the control on "Stop recording".
   */
  async start(request: StartRecordingRequest): Promise<void> {
    if (this.snapshot.phase !== 'idle') return;
    this.update({ phase: 'starting' });
    try {
      const recording = await this.api.startRecording(request);
      this.update({ phase: 'recording', id: recording.id });
    } catch (error) {
      const running = this.live || errorCode(error) === 'recording_running';
      this.update({ phase: running ? 'recording' : 'idle', id: null });
      throw error;
    }
  }

  /** Stops the recording the server says runs (else this host's own); rejects on failure. */
  async stop(): Promise<void> {
    if (this.snapshot.phase !== 'recording') return;
    const known = this.snapshot.id;
    this.update({ phase: 'stopping' });
    try {
      let id: string | null = null;
      try {
        id = (await this.api.getRoom()).recording ?? null;
      } catch (error) {
        if (!known) throw error;
      }
      id ??= known;
      if (id) await this.api.stopRecording(id);
      this.update({ phase: 'idle', id: null });
    } catch (error) {
      this.update({ phase: 'recording', id: known });
      throw error;
    }
  }

  private update(patch: Partial<RecordingControlSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
