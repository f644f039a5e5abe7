/**
 * Wire types of the product API (`/api/v1`), mirroring docs/api.md field for field (snake_case,
 * as in the JSON). This one file is meant to be replaced by types generated from the server's
 * OpenAPI document (`GET /api/v1/openapi.json`): keep names and shapes as the server writes them
 * and put no client logic here.
 */

// ---- Shared vocabulary -------------------------------------------------------------------------

/** Who walks straight into a room: anyone, signed-in users, or people with a role on it. */
export type AccessLevel = 'public' | 'trusted' | 'restricted';

/** Who may publish one kind of source. */
export type PublishWho = 'everyone' | 'hosts';

/** Who may use camera, microphone and screen share in a room. */
export interface PublishPolicy {
  readonly camera: PublishWho;
  readonly microphone: PublishWho;
  readonly screen_share: PublishWho;
}

/** A user's role on a room. Owner and admins are the hosts. */
export type RoomRole = 'owner' | 'admin' | 'member';

/**
 * A participant's role in a meeting, from the LiveKit attribute `parlons.role`: a room role,
 * `guest` (not signed in) or `user` (signed in, no role on the room).
 */
export type ParticipantRole = RoomRole | 'guest' | 'user';

/** A track source a host can mute. */
export type MuteSource = 'microphone' | 'camera' | 'screen_share';

/** `{code, message}` error body; see `ApiError`. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
}

// ---- Auth ----------------------------------------------------------------------------------------

/** `GET /api/v1/config` */
export interface ServerConfig {
  readonly version: string;
  readonly dev: boolean;
  /** Anyone may create a room, signed in or not. */
  readonly anonymous_rooms: boolean;
  readonly auth: AuthConfig;
}

export interface AuthConfig {
  /** Local username/password accounts are enabled. */
  readonly local: boolean;
  /** The OpenID Connect provider, when one is configured; `name` is shown on the button. */
  readonly oidc: { readonly name: string } | null;
  /**
   * Signed-in users join under their account's name (the server's `auth.force_idp_names`).
   * Sent by the server but not yet listed in docs/api.md's table; treated as false when absent.
   */
  readonly force_idp_names?: boolean;
}

export interface User {
  readonly id: string;
  readonly username: string;
  readonly name: string;
  readonly email: string | null;
  readonly is_admin: boolean;
}

/** `GET /api/v1/me` */
export type MeResponse =
  { readonly user: null; readonly csrf?: null } | { readonly user: User; readonly csrf: string };

/** `POST /api/v1/auth/login` body. */
export interface LoginRequest {
  readonly username: string;
  readonly password: string;
}

/** `POST /api/v1/auth/login` answer (200). Errors: `invalid_credentials` (401), `rate_limited` (429). */
export interface LoginResponse {
  readonly user: User;
  readonly csrf: string;
}

/** `POST /api/v1/auth/logout` answer: the IdP's end-session URL for OIDC sessions. */
export interface LogoutResponse {
  readonly redirect: string | null;
}

// ---- Rooms ---------------------------------------------------------------------------------------

/** `Room` */
export interface Room {
  readonly slug: string;
  readonly name: string;
  readonly url: string;
  readonly access: AccessLevel;
  /** 0: no cap. */
  readonly max_participants: number;
  readonly locked: boolean;
  readonly publish: PublishPolicy;
  readonly my_role: RoomRole | null;
  /** RFC 3339, or null when not scheduled. */
  readonly scheduled_at: string | null;
  readonly created_at: string;
  readonly last_used_at: string | null;
  readonly active: boolean;
  readonly participants: number;
}

/** `POST /api/v1/rooms` body. */
export interface CreateRoomRequest {
  readonly name?: string;
  readonly access?: AccessLevel;
  readonly max_participants?: number;
  readonly publish?: PublishPolicy;
  readonly scheduled_at?: string | null;
}

/** `PATCH /api/v1/rooms/{slug}` body. */
export interface UpdateRoomRequest {
  readonly name?: string;
  readonly access?: AccessLevel;
  readonly max_participants?: number;
  readonly locked?: boolean;
  readonly publish?: PublishPolicy;
  readonly scheduled_at?: string | null;
}

/** `GET /api/v1/rooms` */
export interface RoomListResponse {
  readonly rooms: readonly Room[];
}

export interface Member {
  readonly user_id: string;
  readonly name: string;
  readonly email: string | null;
  readonly role: RoomRole;
}

/** `GET /api/v1/rooms/{slug}/members` */
export interface MemberListResponse {
  readonly members: readonly Member[];
}

/** `PUT /api/v1/rooms/{slug}/members/{user_id}` and `PUT …/participants/{identity}/role` body. */
export interface SetRoleRequest {
  readonly role: 'admin' | 'member';
}

// ---- Joining and the lobby -----------------------------------------------------------------------

/** `POST /api/v1/rooms/{slug}/join` body; `name` is ignored for signed-in users when forced. */
export interface JoinRequest {
  readonly name: string;
}

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

export interface LobbyEntry {
  readonly id: string;
  readonly name: string;
  readonly signed_in: boolean;
  /** When they knocked, in Unix milliseconds (as the server sends it; docs/api.md is silent). */
  readonly since: number;
}

/** `GET /api/v1/rooms/{slug}/lobby` */
export interface LobbyListResponse {
  /** Longest-waiting first. */
  readonly waiting: readonly LobbyEntry[];
}

/** `POST /api/v1/rooms/{slug}/lobby/{lobby_id}/deny` body. */
export interface DenyRequest {
  readonly reason?: string;
}

/** Reliable data packet on topic `parlons.lobby`, sent to hosts when the waiting list changes. */
export interface LobbySignal {
  readonly waiting: number;
}

// ---- Moderation ----------------------------------------------------------------------------------

/** `POST …/participants/{identity}/mute` and `POST …/mute-all` body. */
export interface MuteRequest {
  readonly source?: MuteSource;
}
