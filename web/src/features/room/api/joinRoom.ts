import { fetchApi } from '../../../api';

/** `POST /api/v1/rooms/{slug}/join` answer: where and how to connect with livekit-client. */
export interface JoinAnswer {
  /** LiveKit signalling URL (`ws://host:port`); the page's origin when empty. */
  readonly url: string;
  /** LiveKit access token (JWT). */
  readonly token: string;
  readonly identity: string;
  readonly room: { readonly slug: string; readonly name: string };
}

export function joinRoom(slug: string, name: string): Promise<JoinAnswer> {
  return fetchApi<JoinAnswer>(`/rooms/${encodeURIComponent(slug)}/join`, {
    method: 'POST',
    body: { name },
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
