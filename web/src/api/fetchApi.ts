import { ApiError, NetworkError } from './ApiError';

export interface FetchApiOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Serialised as JSON. */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
  /**
   * Sent as `Authorization: Bearer <token>`: in a meeting, a host's LiveKit token (it carries
   * `roomAdmin` for the room) authenticates moderation calls.
   */
  readonly bearer?: string;
}

/** Where the API lives: same origin as the page. */
export const API_PREFIX = '/api/v1';

/**
 * The session's CSRF token (`GET /api/v1/me`), sent as `X-CSRF-Token` on every non-GET request
 * while known: requests authenticated by the session cookie are refused without it.
 */
let csrfToken: string | null = null;

/** Set by the session store when it learns the token (sign-in, `/me`), cleared on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The one way the client calls the Parlons API. Resolves with the parsed JSON body of a 2xx
 * answer; throws `ApiError(status, body)` for any other status and `NetworkError` when no
 * answer came. The type parameter is trusted, not checked.
 */
export async function fetchApi<T>(path: string, options: FetchApiOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let response: Response;
  try {
    response = await fetch(`${API_PREFIX}${path}`, {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError(error);
  }
  const parsed = await readBody(response);
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed as T;
}
