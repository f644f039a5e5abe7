import type { RemoteAudioTrack, VideoTrack } from 'livekit-client';
import type { ParticipantRole } from '../api';

/** Where the join stands. `failed`: the first connection never succeeded. */
export type ConnectionStatus =
  'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'failed';

/**
 * Why a connected participant is no longer in the room. `ended`: a host ended the meeting for
 * everyone (`ROOM_DELETED`); `closed`: the server closed the room (`ROOM_CLOSED`).
 */
export type LeaveReason = 'user' | 'lost' | 'removed' | 'ended' | 'closed' | 'duplicate';

/** A control that failed; the UI shows the matching translated message. */
export type ControlError = 'camera' | 'microphone' | 'screenShare' | 'hand' | 'reaction' | 'chat';

/** One participant as the UI sees it. Track objects are opaque handles for `attach()`. */
export interface ParticipantView {
  readonly identity: string;
  /** Display name; the identity when the participant has none. */
  readonly name: string;
  readonly isLocal: boolean;
  /** Milliseconds since the epoch; 0 when unknown. */
  readonly joinedAt: number;
  /** True when there is no microphone track or it is muted. */
  readonly micMuted: boolean;
  /** The camera track when published, subscribed and not muted. */
  readonly cameraTrack: VideoTrack | null;
  /** The screen-share track when published, subscribed and not muted. */
  readonly screenTrack: VideoTrack | null;
  readonly isSpeaking: boolean;
  /** When the hand went up (ms, from the `parlons.hand` attribute); null when down. */
  readonly handRaisedAt: number | null;
  /** From the `parlons.role` attribute, set by the server; null when absent or unknown. */
  readonly role: ParticipantRole | null;
}

/** A remote audio track to play (microphone or screen-share audio). */
export interface AudioTrackView {
  readonly key: string;
  readonly identity: string;
  readonly track: RemoteAudioTrack;
}

export interface ScreenShareView {
  readonly key: string;
  readonly identity: string;
  readonly name: string;
  readonly isLocal: boolean;
  readonly track: VideoTrack;
}

export interface ChatMessageView {
  readonly id: string;
  readonly identity: string;
  readonly name: string;
  readonly text: string;
  /** Milliseconds since the epoch, as stamped by the sender. */
  readonly timestamp: number;
  readonly isLocal: boolean;
}

export interface ReactionView {
  readonly id: string;
  readonly identity: string;
  readonly name: string;
  readonly emoji: string;
  readonly isLocal: boolean;
}

/** Everything the meeting UI renders, replaced (never mutated) on every change. */
export interface ConferenceSnapshot {
  readonly slug: string;
  readonly roomName: string;
  readonly status: ConnectionStatus;
  /** Set once `status` is `disconnected`. */
  readonly leaveReason: LeaveReason | null;
  /** Why the first connection failed, when `status` is `failed`. */
  readonly failure: string | null;
  /** Local participant first, then the others in the order they joined. */
  readonly participants: readonly ParticipantView[];
  readonly local: ParticipantView;
  readonly screenShareEnabled: boolean;
  readonly screenShares: readonly ScreenShareView[];
  readonly audioTracks: readonly AudioTrackView[];
  /** False when the browser blocked autoplay: the UI must offer a button calling `startAudio()`. */
  readonly canPlaybackAudio: boolean;
  readonly messages: readonly ChatMessageView[];
  /** Reactions still floating on screen. */
  readonly reactions: readonly ReactionView[];
  /**
   * The last `parlons.lobby` packet (sent to hosts when the waiting list changes), with a
   * counter so that every packet is seen; null before the first. Only a hint to refetch the
   * list: the list itself comes from the API.
   */
  readonly lobby: { readonly waiting: number; readonly seq: number } | null;
  /**
   * The room is being recorded: LiveKit's `Room.active_recording`, which the server sets while
   * a recording runs (`room.isRecording`, `RoomEvent.RecordingStatusChanged`).
   */
  readonly recording: boolean;
  /** The last failed control, with a counter so that the same failure twice is shown twice. */
  readonly error: { readonly kind: ControlError; readonly seq: number } | null;
}

/** Choices made on the pre-join page. */
export interface MediaChoices {
  readonly cameraEnabled: boolean;
  readonly microphoneEnabled: boolean;
  readonly cameraDeviceId?: string;
  readonly microphoneDeviceId?: string;
  readonly speakerDeviceId?: string;
}

export interface ConferenceMeta {
  readonly slug: string;
  readonly roomName: string;
}
