import {
  ApiError,
  fetchApi,
  type DenyRequest,
  type FetchApiOptions,
  type LobbyListResponse,
  type MuteRequest,
  type MuteSource,
  type Recording,
  type RoomWithRecording,
  type SetRoleRequest,
  type StartRecordingRequest,
  type UpdateRoomRequest,
} from '../../../api';

/**
 * The host's calls for one meeting: lobby, moderation, room settings and recording. They
 * authenticate with the meeting token from `/join` (`Authorization: Bearer`; a host's token
 * carries `roomAdmin`). That token expires after 10 minutes (livekit-client keeps the refreshed
 * ones to itself) and lacks `roomAdmin` for someone made admin during the meeting: when a call
 * is refused with it (401/403), it is retried once on the cookie session, and the token is not
 * used again once the session has worked.
 */
export class ModerationClient {
  readonly slug: string;
  private token: string | null;

  constructor(slug: string, token: string | null) {
    this.slug = slug;
    this.token = token;
  }

  // ---- Room settings

  getRoom(): Promise<RoomWithRecording> {
    return this.call<RoomWithRecording>('');
  }

  updateRoom(patch: UpdateRoomRequest): Promise<RoomWithRecording> {
    return this.call<RoomWithRecording>('', { method: 'PATCH', body: patch });
  }

  end(): Promise<void> {
    return this.send('/end');
  }

  // ---- Lobby

  lobby(): Promise<LobbyListResponse> {
    return this.call<LobbyListResponse>('/lobby');
  }

  admit(lobbyId: string): Promise<void> {
    return this.send(`/lobby/${encodeURIComponent(lobbyId)}/admit`);
  }

  deny(lobbyId: string, reason?: string): Promise<void> {
    const body: DenyRequest = reason?.trim() ? { reason: reason.trim() } : {};
    return this.send(`/lobby/${encodeURIComponent(lobbyId)}/deny`, body);
  }

  admitAll(): Promise<void> {
    return this.send('/lobby/admit-all');
  }

  // ---- Participants

  mute(identity: string, source?: MuteSource): Promise<void> {
    const body: MuteRequest = source ? { source } : {};
    return this.send(`${participant(identity)}/mute`, body);
  }

  /** Mutes everyone but the caller (the server's default source: the microphone). */
  muteAll(source?: MuteSource): Promise<void> {
    const body: MuteRequest = source ? { source } : {};
    return this.send('/mute-all', body);
  }

  remove(identity: string): Promise<void> {
    return this.send(`${participant(identity)}/remove`);
  }

  lowerHand(identity: string): Promise<void> {
    return this.send(`${participant(identity)}/lower-hand`);
  }

  setRole(identity: string, role: SetRoleRequest['role']): Promise<void> {
    const body: SetRoleRequest = { role };
    return this.call<null>(`${participant(identity)}/role`, { method: 'PUT', body }).then(
      () => undefined,
    );
  }

  // ---- Recording

  /** `201 Recording`; 409 `recording_running` or `meeting_not_running`. */
  startRecording(request: StartRecordingRequest): Promise<Recording> {
    return this.call<Recording>('/recordings', { method: 'POST', body: request });
  }

  /** Stopping a recording that already stopped is not an error. */
  stopRecording(id: string): Promise<Recording> {
    return this.request<Recording>(`/recordings/${encodeURIComponent(id)}/stop`, {
      method: 'POST',
    });
  }

  private send(path: string, body?: unknown): Promise<void> {
    return this.call<null>(path, { method: 'POST', body }).then(() => undefined);
  }

  /** A call under `/rooms/{slug}`. */
  private call<T>(path: string, options: FetchApiOptions = {}): Promise<T> {
    return this.request<T>(`/rooms/${encodeURIComponent(this.slug)}${path}`, options);
  }

  private async request<T>(url: string, options: FetchApiOptions = {}): Promise<T> {
    if (this.token) {
      try {
        return await fetchApi<T>(url, { ...options, bearer: this.token });
      } catch (error) {
        if (!(error instanceof ApiError && (error.status === 401 || error.status === 403))) {
          throw error;
        }
      }
      const answer = await fetchApi<T>(url, options);
      this.token = null;
      return answer;
    }
    return fetchApi<T>(url, options);
  }
}

const participant = (identity: string) => `/participants/${encodeURIComponent(identity)}`;
