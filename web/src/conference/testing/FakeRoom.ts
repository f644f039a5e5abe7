import { DisconnectReason, RoomEvent, Track, type Room } from 'livekit-client';

/**
 * Just enough of the SDK's `Room` to drive `ConferenceStore` without a server: unit tests
 * emit SDK events on it, and the development meeting preview (dev/) fills a room with it.
 * Never imported by the application.
 */

type Listener = (...args: unknown[]) => void;

export class FakeTrack {
  readonly kind: Track.Kind;
  readonly sid: string;
  readonly source: Track.Source;
  readonly attached: HTMLMediaElement[] = [];
  private readonly stream: MediaStream | null;

  constructor(sid: string, source: Track.Source, stream: MediaStream | null = null) {
    this.sid = sid;
    this.source = source;
    this.kind =
      source === Track.Source.Microphone || source === Track.Source.ScreenShareAudio
        ? Track.Kind.Audio
        : Track.Kind.Video;
    this.stream = stream;
  }

  attach(element: HTMLMediaElement): HTMLMediaElement {
    this.attached.push(element);
    if (this.stream) {
      element.srcObject = this.stream;
      void element.play().catch(() => undefined);
    }
    return element;
  }

  detach(element: HTMLMediaElement): HTMLMediaElement {
    const index = this.attached.indexOf(element);
    if (index >= 0) this.attached.splice(index, 1);
    element.srcObject = null;
    return element;
  }
}

export class FakePublication {
  readonly trackSid: string;
  readonly source: Track.Source;
  readonly kind: Track.Kind;
  isMuted = false;
  isSubscribed = true;
  track: FakeTrack | null;

  constructor(track: FakeTrack) {
    this.trackSid = track.sid;
    this.source = track.source;
    this.kind = track.kind;
    this.track = track;
  }

  get audioTrack(): FakeTrack | undefined {
    return this.kind === Track.Kind.Audio && this.track ? this.track : undefined;
  }
}

let sidCounter = 0;

export class FakeParticipant {
  readonly identity: string;
  name: string;
  readonly isLocal: boolean;
  joinedAt: Date | undefined;
  isSpeaking = false;
  attributes: Record<string, string> = {};
  readonly trackPublications = new Map<string, FakePublication>();
  /** What the store sent through this (local) participant. */
  readonly sentTexts: { text: string; topic?: string }[] = [];
  readonly sentData: { payload: Uint8Array; reliable?: boolean; topic?: string }[] = [];
  /** When set, the next SDK call made through this participant rejects with it. */
  failNext: Error | null = null;
  private readonly room: FakeRoom;

  constructor(room: FakeRoom, identity: string, name: string, isLocal: boolean, joinedAt?: Date) {
    this.room = room;
    this.identity = identity;
    this.name = name;
    this.isLocal = isLocal;
    this.joinedAt = joinedAt;
  }

  get audioTrackPublications(): Map<string, FakePublication> {
    return new Map([...this.trackPublications].filter(([, p]) => p.kind === Track.Kind.Audio));
  }

  getTrackPublication(source: Track.Source): FakePublication | undefined {
    return [...this.trackPublications.values()].find((p) => p.source === source);
  }

  /** Publishes (remote: and subscribes) a track, emitting what the SDK would. */
  publish(source: Track.Source, stream: MediaStream | null = null): FakePublication {
    sidCounter += 1;
    const publication = new FakePublication(new FakeTrack(`TR_${sidCounter}`, source, stream));
    this.trackPublications.set(publication.trackSid, publication);
    if (this.isLocal) {
      this.room.emit(RoomEvent.LocalTrackPublished, publication, this);
    } else {
      this.room.emit(RoomEvent.TrackPublished, publication, this);
      this.room.emit(RoomEvent.TrackSubscribed, publication.track, publication, this);
    }
    return publication;
  }

  unpublish(source: Track.Source): void {
    const publication = this.getTrackPublication(source);
    if (!publication) return;
    this.trackPublications.delete(publication.trackSid);
    this.room.emit(
      this.isLocal ? RoomEvent.LocalTrackUnpublished : RoomEvent.TrackUnpublished,
      publication,
      this,
    );
  }

  setMuted(source: Track.Source, muted: boolean): void {
    const publication = this.getTrackPublication(source);
    if (!publication) return;
    publication.isMuted = muted;
    this.room.emit(muted ? RoomEvent.TrackMuted : RoomEvent.TrackUnmuted, publication, this);
  }

  setAttributesFromServer(attributes: Record<string, string>): void {
    this.attributes = { ...this.attributes, ...attributes };
    this.room.emit(RoomEvent.ParticipantAttributesChanged, attributes, this);
  }

  // The LocalParticipant API used by the store.

  get isMicrophoneEnabled(): boolean {
    return this.isEnabled(Track.Source.Microphone);
  }

  get isCameraEnabled(): boolean {
    return this.isEnabled(Track.Source.Camera);
  }

  get isScreenShareEnabled(): boolean {
    return this.isEnabled(Track.Source.ScreenShare);
  }

  setMicrophoneEnabled = (enabled: boolean) => this.setEnabled(Track.Source.Microphone, enabled);
  setCameraEnabled = (enabled: boolean) => this.setEnabled(Track.Source.Camera, enabled);
  setScreenShareEnabled = async (enabled: boolean) => {
    this.throwIfFailing();
    if (enabled)
      this.publish(Track.Source.ScreenShare, this.room.mediaFor(Track.Source.ScreenShare));
    else this.unpublish(Track.Source.ScreenShare);
  };

  setAttributes = async (attributes: Record<string, string>) => {
    this.throwIfFailing();
    this.setAttributesFromServer(attributes);
  };

  sendText = async (text: string, options?: { topic?: string }) => {
    this.throwIfFailing();
    this.sentTexts.push({ text, topic: options?.topic });
    return { id: `text-${this.sentTexts.length}-${this.identity}`, timestamp: Date.now() };
  };

  publishData = async (payload: Uint8Array, options?: { reliable?: boolean; topic?: string }) => {
    this.throwIfFailing();
    this.sentData.push({ payload, reliable: options?.reliable, topic: options?.topic });
  };

  private isEnabled(source: Track.Source): boolean {
    const publication = this.getTrackPublication(source);
    return !!publication && !publication.isMuted;
  }

  private async setEnabled(source: Track.Source, enabled: boolean): Promise<void> {
    this.throwIfFailing();
    const publication = this.getTrackPublication(source);
    if (!publication && enabled) this.publish(source, this.room.mediaFor(source));
    else if (publication) this.setMuted(source, !enabled);
  }

  private throwIfFailing(): void {
    const error = this.failNext;
    this.failNext = null;
    if (error) throw error;
  }
}

type TextStreamHandler = (reader: unknown, sender: { identity: string }) => void;

export class FakeRoom {
  readonly localParticipant: FakeParticipant;
  readonly remoteParticipants = new Map<string, FakeParticipant>();
  readonly textStreamHandlers = new Map<string, TextStreamHandler>();
  canPlaybackAudio = true;
  /** LiveKit's `Room.active_recording`, as the server last sent it. */
  isRecording = false;
  /** When set, connect() rejects with it. */
  connectError: Error | null = null;
  /** Media for locally published tracks (the dev preview feeds canvases here). */
  mediaFor: (source: Track.Source) => MediaStream | null = () => null;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(localIdentity = 'me', localName = 'Me') {
    this.localParticipant = new FakeParticipant(this, localIdentity, localName, true, new Date());
  }

  /** This fake where the store expects the SDK's Room. */
  asRoom(): Room {
    return this as unknown as Room;
  }

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, ...args: unknown[]): boolean {
    const set = this.listeners.get(event);
    for (const listener of [...(set ?? [])]) listener(...args);
    return !!set?.size;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  connect = async (_url: string, _token: string) => {
    if (this.connectError) throw this.connectError;
    this.emit(RoomEvent.Connected);
  };

  disconnect = async () => {
    this.emit(RoomEvent.Disconnected, DisconnectReason.CLIENT_INITIATED);
  };

  startAudio = async () => {
    this.canPlaybackAudio = true;
    this.emit(RoomEvent.AudioPlaybackStatusChanged, true);
  };

  switchActiveDevice = async () => true;

  /** The server starts or stops recording the room (a `RoomUpdate` with `active_recording`). */
  setRecording(recording: boolean): void {
    this.isRecording = recording;
    this.emit(RoomEvent.RecordingStatusChanged, recording);
  }

  registerTextStreamHandler(topic: string, handler: TextStreamHandler): void {
    if (this.textStreamHandlers.has(topic)) throw new Error(`handler already set for ${topic}`);
    this.textStreamHandlers.set(topic, handler);
  }

  unregisterTextStreamHandler(topic: string): void {
    this.textStreamHandlers.delete(topic);
  }

  getParticipantByIdentity(identity: string): FakeParticipant | undefined {
    if (identity === this.localParticipant.identity) return this.localParticipant;
    return this.remoteParticipants.get(identity);
  }

  addRemote(identity: string, name: string, joinedAt = new Date()): FakeParticipant {
    const participant = new FakeParticipant(this, identity, name, false, joinedAt);
    this.remoteParticipants.set(identity, participant);
    this.emit(RoomEvent.ParticipantConnected, participant);
    return participant;
  }

  removeRemote(identity: string): void {
    const participant = this.remoteParticipants.get(identity);
    if (!participant) return;
    this.remoteParticipants.delete(identity);
    this.emit(RoomEvent.ParticipantDisconnected, participant);
  }

  setActiveSpeakers(identities: readonly string[]): void {
    const all = [this.localParticipant, ...this.remoteParticipants.values()];
    for (const p of all) p.isSpeaking = identities.includes(p.identity);
    this.emit(
      RoomEvent.ActiveSpeakersChanged,
      all.filter((p) => p.isSpeaking),
    );
  }

  /** Delivers a chat message on the text-stream topic, as the SDK would. */
  receiveText(
    topic: string,
    sender: string,
    text: string,
    id: string,
    timestamp = Date.now(),
  ): void {
    const reader = { info: { id, timestamp, topic }, readAll: async () => text };
    this.textStreamHandlers.get(topic)?.(reader, { identity: sender });
  }

  receiveData(sender: string, payload: Uint8Array, topic: string): void {
    this.emit(
      RoomEvent.DataReceived,
      payload,
      this.remoteParticipants.get(sender),
      undefined,
      topic,
    );
  }
}
