import {
  ApiError,
  fetchApi,
  type JoinEnter,
  type JoinRefused,
  type JoinResponse,
  type JoinWait,
  type LobbyPollResponse,
  type RefusalCode,
} from '../../../api';

/**
 * Why the client may not (or no longer) get in: the server's refusal codes, plus
 * `room_not_found`, and `lobby_expired` when the server no longer knows the lobby entry.
 */
export type RefusedCode = RefusalCode | 'room_not_found' | 'lobby_expired';

export interface Refusal {
  readonly status: 'refused';
  readonly code: RefusedCode;
  /** The host's reason, for `denied`. */
  readonly reason: string | null;
}

/** What a join attempt came to; HTTP failures that are not a refusal are thrown. */
export type JoinOutcome = JoinEnter | JoinWait | Refusal;
/** What a lobby poll came to. */
export type LobbyOutcome = JoinEnter | { readonly status: 'wait' } | Refusal;

const REFUSAL_CODES: readonly RefusalCode[] = ['denied', 'removed', 'room_full', 'meeting_ended'];

function isRefusalBody(body: unknown): body is JoinRefused {
  if (typeof body !== 'object' || body === null) return false;
  const { status, code } = body as Record<string, unknown>;
  return status === 'refused' && REFUSAL_CODES.some((known) => known === code);
}

/** A 403 refusal or a 404 for the room (or, when polling, for the lobby entry) as a value. */
function refusalOf(error: unknown, missingCode: RefusedCode): Refusal | null {
  if (!(error instanceof ApiError)) return null;
  if (error.status === 403 && isRefusalBody(error.body)) {
    const reason = error.body.reason?.trim();
    return { status: 'refused', code: error.body.code, reason: reason || null };
  }
  if (error.status === 404) {
    const code = error.code === 'room_not_found' ? 'room_not_found' : missingCode;
    return { status: 'refused', code, reason: null };
  }
  return null;
}

const roomUrl = (slug: string) => `/rooms/${encodeURIComponent(slug)}`;

/** `POST /api/v1/rooms/{slug}/join`: enter, knock (wait), or refused. */
export async function joinRoom(slug: string, name: string): Promise<JoinOutcome> {
  try {
    return await fetchApi<JoinResponse>(`${roomUrl(slug)}/join`, {
      method: 'POST',
      body: { name },
    });
  } catch (error) {
    const refusal = refusalOf(error, 'room_not_found');
    if (refusal) return refusal;
    throw error;
  }
}

/** `GET /api/v1/rooms/{slug}/lobby/{lobby_id}`: still waiting, let in, or refused. */
export async function pollLobby(
  slug: string,
  lobbyId: string,
  signal?: AbortSignal,
): Promise<LobbyOutcome> {
  try {
    return await fetchApi<LobbyPollResponse>(
      `${roomUrl(slug)}/lobby/${encodeURIComponent(lobbyId)}`,
      { signal },
    );
  } catch (error) {
    const refusal = refusalOf(error, 'lobby_expired');
    if (refusal) return refusal;
    throw error;
  }
}

/** `DELETE /api/v1/rooms/{slug}/lobby/{lobby_id}`: stop knocking. */
export async function leaveLobby(slug: string, lobbyId: string): Promise<void> {
  await fetchApi<null>(`${roomUrl(slug)}/lobby/${encodeURIComponent(lobbyId)}`, {
    method: 'DELETE',
  });
}

/** The signalling URL when the server leaves it to the client: this origin over WebSocket. */
export function signalUrl(
  answerUrl: string,
  location: Pick<Location, 'protocol' | 'host'>,
): string {
  if (answerUrl) return answerUrl;
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}
