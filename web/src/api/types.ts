/**
 * Wire types of the product API (`/api/v1`). The shapes come from `schema.d.ts`, which is
 * generated from the server's OpenAPI document (`npm run api:types`; CI fails when it drifts
 * from `docs/openapi.json`, itself checked against `parlons openapi`). This file only names them
 * and narrows a few strings the server documents as free text (roles, refusal codes), with
 * compile-time checks that each narrowing stays compatible with the generated shape.
 */

import type { components } from './schema';

type Schemas = components['schemas'];

/** Fails to compile unless `T` is assignable to `U`. */
type Conforms<T extends U, U> = T;

// ---- Shared vocabulary -------------------------------------------------------------------------

/** Who walks straight into a room: anyone, signed-in users, or people with a role on it. */
export type AccessLevel = Schemas['AccessLevel'];

/** Who may publish one kind of source. */
export type PublishWho = Schemas['PublishWho'];

/** Who may use camera, microphone and screen share in a room. */
export type PublishPolicy = Schemas['PublishOut'];

/** A user's role on a room. Owner and admins are the hosts. */
export type RoomRole = Schemas['RoomRole'];

/**
 * A participant's role in a meeting, from the LiveKit attribute `parlons.role`: a room role,
 * `guest` (not signed in) or `user` (signed in, no role on the room).
 */
export type ParticipantRole = RoomRole | 'guest' | 'user';

/** A track source a host can mute. */
export type MuteSource = 'microphone' | 'camera' | 'screen_share';

/** `{code, message}` error body; see `ApiError`. */
export type ErrorBody = Schemas['ErrorOut'];

// ---- Auth ----------------------------------------------------------------------------------------

/** `GET /api/v1/config` */
export type ServerConfig = Schemas['ConfigOut'];

export type AuthConfig = Schemas['AuthMethods'];

export type User = Schemas['UserOut'];

/** `GET /api/v1/me` */
export type MeResponse =
  { readonly user: null; readonly csrf: null } | { readonly user: User; readonly csrf: string };

/** `POST /api/v1/auth/login` body. */
export type LoginRequest = Schemas['LoginIn'];

/** `POST /api/v1/auth/login` answer (200). Errors: `invalid_credentials` (401), `rate_limited` (429). */
export interface LoginResponse {
  readonly user: User;
  readonly csrf: string;
}

/** `POST /api/v1/auth/logout` answer: the IdP's end-session URL for OIDC sessions. */
export type LogoutResponse = Schemas['LogoutOut'];

// ---- Rooms ---------------------------------------------------------------------------------------

/** `Room` */
export type Room = Schemas['RoomOut'];

/** `POST /api/v1/rooms` body. */
export type CreateRoomRequest = Schemas['CreateRoomIn'];

/** `PATCH /api/v1/rooms/{slug}` body. */
export type UpdateRoomRequest = Schemas['PatchRoomIn'];

/** `GET /api/v1/rooms` */
export type RoomListResponse = Schemas['RoomsOut'];

export type Member = Schemas['MemberOut'];

/** `GET /api/v1/rooms/{slug}/members` */
export type MemberListResponse = Schemas['MembersOut'];

/** `PUT /api/v1/rooms/{slug}/members/{user_id}` and `PUT …/participants/{identity}/role` body. */
export interface SetRoleRequest {
  readonly role: 'admin' | 'member';
}

// ---- Joining and the lobby -----------------------------------------------------------------------

/** `POST /api/v1/rooms/{slug}/join` body; `name` is ignored for signed-in users when forced. */
export type JoinRequest = Schemas['JoinIn'];

/** 200: enter now with this LiveKit URL and token (valid 10 minutes, refreshed over signalling). */
export interface JoinEnter {
  readonly status: 'enter';
  /** LiveKit signalling URL; the page's origin when empty. */
  readonly url: string;
  readonly token: string;
  readonly identity: string;
  readonly role: ParticipantRole;
  readonly room: Room;
}

/** 202: knocked; poll `GET …/lobby/{lobby_id}` every `poll_after_ms`. */
export interface JoinWait {
  readonly status: 'wait';
  readonly lobby_id: string;
  readonly poll_after_ms: number;
}

export type RefusalCode = 'denied' | 'removed' | 'room_full' | 'meeting_ended';

/** 403 body of a refused join or lobby poll; `reason` is the host's, for `denied`. */
export interface JoinRefused {
  readonly status: 'refused';
  readonly code: RefusalCode;
  readonly message: string;
  readonly reason?: string | null;
}

/** `POST /api/v1/rooms/{slug}/join` 2xx answers. */
export type JoinResponse = JoinEnter | JoinWait;

/** `GET /api/v1/rooms/{slug}/lobby/{lobby_id}` 200 answers. */
export type LobbyPollResponse = { readonly status: 'wait' } | JoinEnter;

export type LobbyEntry = Schemas['Waiting'];

/** `GET /api/v1/rooms/{slug}/lobby` */
export type LobbyListResponse = Schemas['LobbyOut'];

/** `POST /api/v1/rooms/{slug}/lobby/{lobby_id}/deny` body. */
export type DenyRequest = Schemas['DenyIn'];

/** Reliable data packet on topic `parlons.lobby`, sent to hosts when the waiting list changes. */
export interface LobbySignal {
  readonly waiting: number;
}

// ---- Moderation ----------------------------------------------------------------------------------

/** `POST …/participants/{identity}/mute` and `POST …/mute-all` body. */
export type MuteRequest = Schemas['MuteIn'];

// ---- Narrowings, checked against the generated shapes ----------------------------------------------

type JoinOut = Schemas['JoinOut'];
export type _JoinEnterConforms = Conforms<JoinEnter, Extract<JoinOut, { status: 'enter' }>>;
export type _JoinWaitConforms = Conforms<JoinWait, Extract<JoinOut, { status: 'wait' }>>;
export type _JoinRefusedConforms = Conforms<
  JoinRefused,
  Omit<Extract<JoinOut, { status: 'refused' }>, 'reason'>
>;
export type _MeConforms = Conforms<MeResponse, Schemas['MeOut']>;
export type _LoginConforms = Conforms<LoginResponse, Schemas['MeOut']>;
export type _SetRoleConforms = Conforms<SetRoleRequest, Schemas['RoleIn']>;

// ---- Recordings ------------------------------------------------------------------------------
// Narrowed (string unions, readonly) versions of the generated shapes; the checks at the end of this
// section fail to compile when a field appears in one and not the other.

/** What a recording captures: cameras, screens and microphones (`video`), or microphones only. */
export type RecordingMode = 'video' | 'audio';

/** `recovered`: the server stopped abruptly and the files were recovered on restart. */
export type RecordingStatus = 'recording' | 'finished' | 'recovered' | 'failed';

/** One file per participant source: a camera (WebM), a microphone (Ogg/Opus), a screen (WebM). */
export type RecordingFileKind = 'video' | 'audio' | 'screen';

/** One file of a recording. */
export interface RecordingFile {
  readonly kind: RecordingFileKind;
  /** The participant's identity (`u-…`, `g-…`). */
  readonly identity: string;
  /** The participant's display name. */
  readonly name: string;
  readonly codec: string;
  /** Milliseconds after the recording's start. */
  readonly start_ms: number;
  /** Milliseconds after the recording's start; null while the file is being written. */
  readonly end_ms: number | null;
  readonly status: RecordingStatus;
  /** Download URL (`/api/v1/recordings/{id}/files/{file}`); the server checks rights. */
  readonly url: string;
}

/** `Recording` */
export interface Recording {
  readonly id: string;
  /** The room's slug. */
  readonly room: string;
  readonly mode: RecordingMode;
  readonly transcribe: boolean;
  readonly status: RecordingStatus;
  /** Why it failed. */
  readonly error: string | null;
  /** RFC 3339. */
  readonly started_at: string;
  readonly stopped_at: string | null;
  /** When the recording is deleted automatically. */
  readonly expires_at: string | null;
  readonly files: readonly RecordingFile[];
  /** The composite video, once rendered. */
  readonly composite_url: string | null;
  /** The composite job: `queued`, `running`, `done` or `failed`; null when none was queued. */
  readonly composite_status: 'queued' | 'running' | 'done' | 'failed' | null;
  /** Percent of the composite rendered. */
  readonly composite_progress: number;
  /** Why the composite failed. */
  readonly composite_error: string | null;
}

/**
 * `POST /api/v1/rooms/{slug}/recordings` body. Errors: 409 `recording_running`,
 * `meeting_not_running`.
 */
export interface StartRecordingRequest {
  readonly mode?: RecordingMode;
  readonly transcribe?: boolean;
}

/** `GET /api/v1/rooms/{slug}/recordings`, newest first. */
export interface RecordingListResponse {
  readonly recordings: readonly Recording[];
}

/** `Room`, whose `recording` is the id of the recording running now (null otherwise). */
export type RoomWithRecording = Room;

/** Fails to compile unless the two key sets are equal. */
type SameKeys<T, U> = [keyof T] extends [keyof U]
  ? [keyof U] extends [keyof T]
    ? true
    : never
  : never;
export type _RecordingKeys = SameKeys<Recording, Schemas['RecordingOut']>;
export type _RecordingFileKeys = SameKeys<RecordingFile, Schemas['FileOut']>;
export type _RecordingListKeys = SameKeys<RecordingListResponse, Schemas['RecordingsOut']>;
export type _StartRecordingKeys = SameKeys<StartRecordingRequest, Schemas['StartIn']>;
const _keysMatch: [_RecordingKeys, _RecordingFileKeys, _RecordingListKeys, _StartRecordingKeys] = [
  true,
  true,
  true,
  true,
];
void _keysMatch;

// ---- Notifications -----------------------------------------------------------------------------

/** `GET /api/v1/notifications`: the signed-in user's latest notifications, newest first. */
export type NotificationList = Schemas['NotificationsOut'];
/** One notification; the client words it from `kind` and `subject`. */
export type AppNotification = Schemas['NotificationOut'];
