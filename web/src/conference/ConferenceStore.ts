import {
  ConnectionState,
  DisconnectReason,
  RoomEvent,
  type ChatMessage,
  type DataPacket_Kind,
  type Participant,
  type RemoteParticipant,
  type Room,
  type RoomEventCallbacks,
  type TextStreamReader,
} from 'livekit-client';
import {
  HAND_ATTRIBUTE,
  remoteAudioTracks,
  reuseIfEqual,
  screenShareOf,
  toParticipantView,
} from './participantView';
import {
  MAX_VISIBLE_REACTIONS,
  REACTION_LIFETIME_MS,
  REACTION_TOPIC,
  decodeReaction,
  encodeReaction,
} from './reactions';
import type {
  ChatMessageView,
  ConferenceMeta,
  ConferenceSnapshot,
  ControlError,
  LeaveReason,
  MediaChoices,
  ParticipantView,
  ReactionView,
} from './types';

/** Chat rides LiveKit text streams on this topic, the one LiveKit's own components use. */
export const CHAT_TOPIC = 'lk.chat';

/** The server tells hosts on this topic (reliable data) that the waiting list changed. */
export const LOBBY_TOPIC = 'parlons.lobby';

/** Older messages are dropped past this count: the chat is not an archive. */
export const MAX_CHAT_MESSAGES = 500;

/** Longest chat message sent, in UTF-16 units. */
export const MAX_CHAT_LENGTH = 4000;

/** Room events after which participants, tracks, playback or recording may have changed. */
const REFRESH_EVENTS = [
  RoomEvent.ParticipantConnected,
  RoomEvent.ParticipantDisconnected,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.TrackSubscribed,
  RoomEvent.TrackUnsubscribed,
  RoomEvent.TrackMuted,
  RoomEvent.TrackUnmuted,
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.ActiveSpeakersChanged,
  RoomEvent.ParticipantNameChanged,
  RoomEvent.ParticipantAttributesChanged,
  RoomEvent.AudioPlaybackStatusChanged,
  RoomEvent.RecordingStatusChanged,
] as const;

function leaveReasonOf(reason: DisconnectReason | undefined): LeaveReason {
  switch (reason) {
    case DisconnectReason.CLIENT_INITIATED:
      return 'user';
    case DisconnectReason.DUPLICATE_IDENTITY:
      return 'duplicate';
    case DisconnectReason.PARTICIPANT_REMOVED:
      return 'removed';
    case DisconnectReason.ROOM_DELETED:
      return 'ended';
    case DisconnectReason.ROOM_CLOSED:
      return 'closed';
    default:
      return 'lost';
  }
}

/** `{"waiting": n}` → n; null for anything else. */
export function decodeLobbySignal(payload: Uint8Array): number | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(payload));
    const waiting =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>).waiting
        : undefined;
    return typeof waiting === 'number' && Number.isInteger(waiting) && waiting >= 0
      ? waiting
      : null;
  } catch {
    return null;
  }
}

function isUserCancel(error: unknown): boolean {
  return (
    error instanceof Error && (error.name === 'NotAllowedError' || error.name === 'AbortError')
  );
}

/**
 * Wraps one SDK `Room` for one join and exposes it to React as a single immutable snapshot
 * (`subscribe`/`getSnapshot`, read with `useSyncExternalStore`). Every SDK event handled here
 * rebuilds the snapshot from the room's own state, so the room stays the one source of truth;
 * the store only adds what the room does not keep (chat history, floating reactions, errors).
 * Actions (`toggleMicrophone`, `sendChat`…) are the only way the UI changes the room.
 */
export class ConferenceStore {
  private readonly room: Room;
  private snapshot: ConferenceSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly detach: (() => void)[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Controls whose SDK call is still running: a second click is ignored, not queued. */
  private readonly pending = new Set<ControlError>();
  private readonly seenMessages = new Set<string>();
  private errorSeq = 0;
  private reactionSeq = 0;
  private lobbySeq = 0;
  private leaving = false;
  private disposed = false;
  /** Mounted views holding the store; see `retain`. */
  private holders = 0;

  constructor(room: Room, meta: ConferenceMeta) {
    this.room = room;
    const local = toParticipantView(room.localParticipant);
    this.snapshot = {
      slug: meta.slug,
      roomName: meta.roomName,
      status: 'connecting',
      leaveReason: null,
      failure: null,
      participants: [local],
      local,
      screenShareEnabled: false,
      screenShares: [],
      audioTracks: [],
      canPlaybackAudio: true,
      messages: [],
      reactions: [],
      lobby: null,
      recording: false,
      error: null,
    };
    // Handlers go in before connect(), as the SDK requires.
    for (const event of REFRESH_EVENTS) this.listen(event, this.refresh);
    this.listen(RoomEvent.Connected, this.onConnected);
    this.listen(RoomEvent.Reconnecting, this.onReconnecting);
    this.listen(RoomEvent.SignalReconnecting, this.onReconnecting);
    this.listen(RoomEvent.Reconnected, this.onConnected);
    this.listen(RoomEvent.ConnectionStateChanged, this.onConnectionState);
    this.listen(RoomEvent.Disconnected, this.onDisconnected);
    this.listen(RoomEvent.DataReceived, this.onData);
    this.listen(RoomEvent.ChatMessage, this.onLegacyChat);
    room.registerTextStreamHandler(CHAT_TOPIC, this.onChatStream);
    this.detach.push(() => room.unregisterTextStreamHandler(CHAT_TOPIC));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConferenceSnapshot => this.snapshot;

  /** Connects, then publishes camera and microphone as chosen on the pre-join page. */
  async connect(url: string, token: string, choices: MediaChoices): Promise<void> {
    try {
      await this.room.connect(url, token);
    } catch (error) {
      if (this.disposed || this.leaving) return;
      this.update({
        status: 'failed',
        failure: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (this.disposed) return;
    this.onConnected();
    const local = this.room.localParticipant;
    await Promise.all([
      choices.microphoneEnabled && this.run('microphone', () => local.setMicrophoneEnabled(true)),
      choices.cameraEnabled && this.run('camera', () => local.setCameraEnabled(true)),
      choices.speakerDeviceId &&
        this.room.switchActiveDevice('audiooutput', choices.speakerDeviceId).catch(() => undefined),
    ]);
  }

  toggleMicrophone(): Promise<void> {
    const local = this.room.localParticipant;
    return this.run('microphone', () => local.setMicrophoneEnabled(!local.isMicrophoneEnabled));
  }

  toggleCamera(): Promise<void> {
    const local = this.room.localParticipant;
    return this.run('camera', () => local.setCameraEnabled(!local.isCameraEnabled));
  }

  /** Shares a screen, window or tab, with the tab's audio when the browser offers it. */
  toggleScreenShare(): Promise<void> {
    const local = this.room.localParticipant;
    return this.run('screenShare', () =>
      local.setScreenShareEnabled(!local.isScreenShareEnabled, {
        audio: true,
        selfBrowserSurface: 'exclude',
      }),
    );
  }

  /** Raises the hand by stamping the time on the `parlons.hand` attribute; "" lowers it. */
  setHandRaised(raised: boolean): Promise<void> {
    const value = raised ? String(Date.now()) : '';
    return this.run('hand', () =>
      this.room.localParticipant.setAttributes({ [HAND_ATTRIBUTE]: value }),
    );
  }

  sendReaction(emoji: string): Promise<void> {
    return this.run('reaction', async () => {
      await this.room.localParticipant.publishData(encodeReaction(emoji), {
        reliable: false,
        topic: REACTION_TOPIC,
      });
      this.addReaction(this.room.localParticipant, emoji);
    });
  }

  /** Sends a chat message; resolves false when it was empty or could not be sent. */
  async sendChat(text: string): Promise<boolean> {
    const message = text.trim().slice(0, MAX_CHAT_LENGTH);
    if (!message) return false;
    const local = this.room.localParticipant;
    try {
      const info = await local.sendText(message, { topic: CHAT_TOPIC });
      this.addMessage({
        id: info.id,
        identity: local.identity,
        name: local.name || local.identity,
        text: message,
        timestamp: info.timestamp,
        isLocal: true,
      });
      return true;
    } catch {
      this.fail('chat');
      return false;
    }
  }

  /** Resumes audio playback; must run inside a user gesture (click) when autoplay was blocked. */
  async startAudio(): Promise<void> {
    await this.room.startAudio().catch(() => undefined);
    this.refresh();
  }

  async leave(): Promise<void> {
    this.leaving = true;
    await this.room.disconnect();
  }

  dismissError(): void {
    this.update({ error: null });
  }

  /**
   * Marks the store as used by a mounted view. The last `release` disconnects, one task later,
   * so that React's development double mount (mount, unmount, mount) keeps the connection.
   */
  retain(): void {
    this.holders += 1;
  }

  release(): void {
    this.holders -= 1;
    this.schedule(() => {
      if (this.holders === 0) void this.dispose();
    }, 0);
  }

  /** Disconnects and detaches every handler; the store is dead afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.leaving = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await this.room.disconnect().catch(() => undefined);
    for (const undo of this.detach.splice(0)) undo();
  }

  private listen<E extends keyof RoomEventCallbacks>(
    event: E,
    handler: RoomEventCallbacks[E],
  ): void {
    this.room.on(event, handler);
    this.detach.push(() => this.room.off(event, handler));
  }

  private update(patch: Partial<ConferenceSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  /** Rebuilds everything the room knows, reusing unchanged participant objects. */
  private refresh = (): void => {
    const previous = new Map(this.snapshot.participants.map((p) => [p.identity, p]));
    const view = (p: Participant) => reuseIfEqual(previous.get(p.identity), toParticipantView(p));
    const local = view(this.room.localParticipant);
    const remoteParticipants = [...this.room.remoteParticipants.values()];
    const remotes = remoteParticipants.map(view).sort((a, b) => a.joinedAt - b.joinedAt);
    const participants: ParticipantView[] = [local, ...remotes];
    this.update({
      participants,
      local,
      screenShareEnabled: this.room.localParticipant.isScreenShareEnabled,
      screenShares: participants.flatMap((p) => screenShareOf(p) ?? []),
      audioTracks: remoteParticipants.flatMap(remoteAudioTracks),
      canPlaybackAudio: this.room.canPlaybackAudio,
      recording: this.room.isRecording,
    });
  };

  private onConnected = (): void => {
    if (this.disposed) return;
    this.snapshot = { ...this.snapshot, status: 'connected', failure: null };
    this.refresh();
  };

  /** A safety net: whatever path the SDK took back to Connected, the banner goes away. */
  private onConnectionState = (state: ConnectionState): void => {
    if (state === ConnectionState.Connected && this.snapshot.status === 'reconnecting') {
      this.onConnected();
    }
  };

  private onReconnecting = (): void => {
    if (this.snapshot.status === 'connected') this.update({ status: 'reconnecting' });
  };

  private onDisconnected = (reason?: DisconnectReason): void => {
    // A first connection that fails is reported by connect() as `failed`, not as a leave.
    if (this.snapshot.status === 'connecting' || this.snapshot.status === 'failed') return;
    const leaveReason = this.leaving ? 'user' : leaveReasonOf(reason);
    this.update({ status: 'disconnected', leaveReason, reactions: [] });
  };

  private onData = (
    payload: Uint8Array,
    participant?: RemoteParticipant,
    _kind?: DataPacket_Kind,
    topic?: string,
  ): void => {
    if (topic === LOBBY_TOPIC) {
      this.onLobbySignal(payload);
      return;
    }
    if (topic !== REACTION_TOPIC || !participant) return;
    const emoji = decodeReaction(payload);
    if (emoji) this.addReaction(participant, emoji);
  };

  /** Any sender is accepted: the packet only makes hosts refetch the list from the API. */
  private onLobbySignal(payload: Uint8Array): void {
    const waiting = decodeLobbySignal(payload);
    if (waiting === null || this.disposed) return;
    this.lobbySeq += 1;
    this.update({ lobby: { waiting, seq: this.lobbySeq } });
  }

  private onChatStream = (reader: TextStreamReader, sender: { identity: string }): void => {
    const { id, timestamp } = reader.info;
    reader
      .readAll()
      .then((text) => {
        const participant = this.room.getParticipantByIdentity(sender.identity);
        this.addMessage({
          id,
          identity: sender.identity,
          name: participant?.name || sender.identity,
          text: text.slice(0, MAX_CHAT_LENGTH),
          timestamp,
          isLocal: false,
        });
      })
      .catch(() => undefined);
  };

  /** Chat from clients still on LiveKit's legacy `chatMessage` packets. */
  private onLegacyChat = (message: ChatMessage, participant?: Participant): void => {
    if (!participant || participant.isLocal) return;
    this.addMessage({
      id: message.id,
      identity: participant.identity,
      name: participant.name || participant.identity,
      text: message.message.slice(0, MAX_CHAT_LENGTH),
      timestamp: message.timestamp,
      isLocal: false,
    });
  };

  private addMessage(message: ChatMessageView): void {
    if (this.disposed || this.seenMessages.has(message.id)) return;
    this.seenMessages.add(message.id);
    this.update({ messages: [...this.snapshot.messages, message].slice(-MAX_CHAT_MESSAGES) });
  }

  private addReaction(participant: Participant, emoji: string): void {
    if (this.disposed) return;
    this.reactionSeq += 1;
    const reaction: ReactionView = {
      id: `reaction-${this.reactionSeq}`,
      identity: participant.identity,
      name: participant.name || participant.identity,
      emoji,
      isLocal: participant.isLocal,
    };
    this.update({
      reactions: [...this.snapshot.reactions, reaction].slice(-MAX_VISIBLE_REACTIONS),
    });
    this.schedule(() => {
      this.update({ reactions: this.snapshot.reactions.filter((r) => r.id !== reaction.id) });
    }, REACTION_LIFETIME_MS);
  }

  private schedule(callback: () => void, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      callback();
    }, delay);
    this.timers.add(timer);
  }

  /** Runs one control at a time per kind; failures become a translated error, not a throw. */
  private async run(kind: ControlError, action: () => Promise<unknown>): Promise<void> {
    if (this.pending.has(kind) || this.disposed) return;
    this.pending.add(kind);
    try {
      await action();
    } catch (error) {
      if (!(kind === 'screenShare' && isUserCancel(error))) this.fail(kind);
    } finally {
      this.pending.delete(kind);
      if (!this.disposed) this.refresh();
    }
  }

  private fail(kind: ControlError): void {
    this.errorSeq += 1;
    this.update({ error: { kind, seq: this.errorSeq } });
  }
}
