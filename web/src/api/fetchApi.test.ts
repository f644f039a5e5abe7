import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from './ApiError';
import { fetchApi, setCsrfToken } from './fetchApi';

function respond(status: number, body: unknown, contentType = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return vi
    .fn()
    .mockResolvedValue(new Response(text, { status, headers: { 'content-type': contentType } }));
}

describe('fetchApi', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  const headersOf = (fetchMock: ReturnType<typeof vi.fn>, call = 0) =>
    (fetchMock.mock.calls[call] as [string, RequestInit])[1].headers as Record<string, string>;

  it('sends the CSRF token on every non-GET request once it is known', async () => {
    const fetchMock = vi.fn().mockImplementation(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchMock);
    await fetchApi('/rooms/x', { method: 'DELETE' });
    expect(headersOf(fetchMock, 0)['x-csrf-token']).toBeUndefined();

    setCsrfToken('c5rf');
    await fetchApi('/rooms/x', { method: 'DELETE' });
    await fetchApi('/rooms', { body: {} });
    await fetchApi('/rooms/x', { method: 'PATCH', body: { locked: true } });
    await fetchApi('/me');
    expect(headersOf(fetchMock, 1)['x-csrf-token']).toBe('c5rf');
    expect(headersOf(fetchMock, 2)['x-csrf-token']).toBe('c5rf');
    expect(headersOf(fetchMock, 3)['x-csrf-token']).toBe('c5rf');
    expect(headersOf(fetchMock, 4)['x-csrf-token']).toBeUndefined();

    setCsrfToken(null);
    await fetchApi('/auth/logout', { method: 'POST' });
    expect(headersOf(fetchMock, 5)['x-csrf-token']).toBeUndefined();
  });

  it('authenticates with a bearer token when given one', async () => {
    const fetchMock = vi.fn().mockImplementation(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetchMock);
    await fetchApi('/rooms/x/end', { method: 'POST', bearer: 'jwt' });
    await fetchApi('/rooms/x/end', { method: 'POST' });
    expect(headersOf(fetchMock, 0).authorization).toBe('Bearer jwt');
    expect(headersOf(fetchMock, 1).authorization).toBeUndefined();
  });

  it('posts JSON under /api/v1 and returns the parsed answer', async () => {
    const fetchMock = respond(201, {
      slug: 'abc-defg-hij',
      url: 'http://h/r/abc-defg-hij',
      name: 'x',
    });
    vi.stubGlobal('fetch', fetchMock);
    const room = await fetchApi<{ slug: string }>('/rooms', { method: 'POST', body: {} });
    expect(room.slug).toBe('abc-defg-hij');
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/v1/rooms');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{}');
    expect((init.headers as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('uses GET without a body', async () => {
    const fetchMock = respond(200, { version: '1.0', dev: true });
    vi.stubGlobal('fetch', fetchMock);
    await expect(fetchApi('/config')).resolves.toEqual({ version: '1.0', dev: true });
    const [, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(init.method).toBe('GET');
    expect(init.body).toBeUndefined();
  });

  it('throws ApiError with the server code and message', async () => {
    vi.stubGlobal('fetch', respond(404, { code: 'room_not_found', message: 'No such room' }));
    const error = await fetchApi('/rooms/x/join', { body: { name: 'A' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 404,
      code: 'room_not_found',
      message: 'No such room',
      body: { code: 'room_not_found', message: 'No such room' },
    });
  });

  it('keeps a non-JSON error body and names the status', async () => {
    vi.stubGlobal('fetch', respond(502, 'Bad gateway', 'text/plain'));
    const error = await fetchApi('/config').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 502,
      code: null,
      message: 'HTTP 502',
      body: 'Bad gateway',
    });
  });

  it('reports a failed request as NetworkError', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(fetchApi('/config')).rejects.toBeInstanceOf(NetworkError);
  });
});
