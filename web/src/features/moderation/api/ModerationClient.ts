import {
  ApiError,
  fetchApi,
  type DenyRequest,
  type FetchApiOptions,
  type LobbyListResponse,
  type MuteRequest,
  type MuteSource,
  type Room,
  type SetRoleRequest,
  type UpdateRoomRequest,
} from '../../../api';

/**
 * The host's calls for one meeting: lobby, moderation and room settings. They authenticate
 * with the meeting token from `/join` (`Authorization: Bearer`; a host's token carries
 * `roomAdmin`). That token expires after 10 minutes (livekit-client keeps the refreshed ones
 * to itself) and lacks `roomAdmin` for someone made admin during the meeting: when a call is
 * refused with it (401/403), it is retried once on the cookie session, and the token is not
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

  getRoom(): Promise<Room> {
    return this.call<Room>('');
  }

  updateRoom(patch: UpdateRoomRequest): Promise<Room> {
    return this.call<Room>('', { method: 'PATCH', body: patch });
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

  private send(path: string, body?: unknown): Promise<void> {
    return this.call<null>(path, { method: 'POST', body }).then(() => undefined);
  }

  private async call<T>(path: string, options: FetchApiOptions = {}): Promise<T> {
    const url = `/rooms/${encodeURIComponent(this.slug)}${path}`;
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
