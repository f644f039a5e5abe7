import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchApi, setCsrfToken, type ServerConfig, type User } from '../api';
import { SessionStore, canCreateRooms, joinsUnderAccountName } from './SessionStore';
import type { SessionApi } from './sessionApi';

const ada: User = {
  id: 'US_1',
  username: 'ada',
  name: 'Ada Lovelace',
  email: 'ada@example.org',
  is_admin: false,
};

const config: ServerConfig = {
  version: '1.2.3',
  dev: false,
  anonymous_rooms: false,
  auth: { local: true, oidc: { name: 'ProConnect' }, force_idp_names: false },
};

function fakeApi(overrides: Partial<SessionApi> = {}): SessionApi {
  return {
    getMe: vi.fn().mockResolvedValue({ user: null }),
    getConfig: vi.fn().mockResolvedValue(config),
    login: vi.fn().mockResolvedValue({ user: ada, csrf: 'login-csrf' }),
    logout: vi.fn().mockResolvedValue({ redirect: null }),
    ...overrides,
  };
}

/** The CSRF header fetchApi would send on a POST now. */
async function csrfSent(): Promise<string | undefined> {
  const fetchMock = vi.fn().mockResolvedValue(new Response(null, { status: 204 }));
  vi.stubGlobal('fetch', fetchMock);
  await fetchApi('/probe', { method: 'POST' });
  const init = (fetchMock.mock.calls[0] as [string, RequestInit])[1];
  return (init.headers as Record<string, string>)['x-csrf-token'];
}

describe('SessionStore', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it('loads the user and the config once, and hands the CSRF token to fetchApi', async () => {
    const api = fakeApi({ getMe: vi.fn().mockResolvedValue({ user: ada, csrf: 'me-csrf' }) });
    const store = new SessionStore(api);
    expect(store.getSnapshot()).toEqual({ status: 'loading', user: null, config: null });
    const listener = vi.fn();
    store.subscribe(listener);
    await Promise.all([store.load(), store.load()]);
    expect(api.getMe).toHaveBeenCalledOnce();
    expect(store.getSnapshot()).toEqual({ status: 'ready', user: ada, config });
    expect(listener).toHaveBeenCalled();
    expect(await csrfSent()).toBe('me-csrf');
  });

  it('is ready and signed out when /me fails, keeping the config', async () => {
    const store = new SessionStore(
      fakeApi({ getMe: vi.fn().mockRejectedValue(new ApiError(500, null)) }),
    );
    await store.load();
    expect(store.getSnapshot()).toEqual({ status: 'ready', user: null, config });
    expect(await csrfSent()).toBeUndefined();
  });

  it('signs in, then out, following a safe IdP redirect only', async () => {
    const logout = vi
      .fn()
      .mockResolvedValueOnce({ redirect: 'https://idp.example.org/logout?x=1' })
      .mockResolvedValueOnce({ redirect: 'javascript:alert(1)' });
    const store = new SessionStore(fakeApi({ logout }));
    await store.load();
    await store.signIn('ada', 'secret');
    expect(store.getSnapshot().user).toEqual(ada);
    expect(await csrfSent()).toBe('login-csrf');

    await expect(store.signOut()).resolves.toBe('https://idp.example.org/logout?x=1');
    expect(store.getSnapshot().user).toBeNull();
    expect(await csrfSent()).toBeUndefined();

    await store.signIn('ada', 'secret');
    await expect(store.signOut()).resolves.toBeNull();
  });

  it('forgets the user even when the sign-out request fails', async () => {
    const store = new SessionStore(
      fakeApi({
        getMe: vi.fn().mockResolvedValue({ user: ada, csrf: 'c' }),
        logout: vi.fn().mockRejectedValue(new ApiError(500, null)),
      }),
    );
    await store.load();
    await expect(store.signOut()).rejects.toBeInstanceOf(ApiError);
    expect(store.getSnapshot().user).toBeNull();
  });

  it('passes a refused sign-in on to the form', async () => {
    const refusal = new ApiError(401, { code: 'invalid_credentials', message: 'Wrong' });
    const store = new SessionStore(fakeApi({ login: vi.fn().mockRejectedValue(refusal) }));
    await expect(store.signIn('ada', 'nope')).rejects.toBe(refusal);
    expect(store.getSnapshot().user).toBeNull();
  });
});

describe('session rules', () => {
  const ready = { status: 'ready' as const };

  it('lets signed-in users create rooms, and anyone when the server allows it', () => {
    expect(canCreateRooms({ ...ready, user: ada, config })).toBe(true);
    expect(canCreateRooms({ ...ready, user: null, config })).toBe(false);
    expect(
      canCreateRooms({ ...ready, user: null, config: { ...config, anonymous_rooms: true } }),
    ).toBe(true);
    expect(canCreateRooms({ ...ready, user: null, config: null })).toBe(false);
  });

  it('skips the name only for signed-in users when the server forces account names', () => {
    const forced = { ...config, auth: { ...config.auth, force_idp_names: true } };
    expect(joinsUnderAccountName({ ...ready, user: ada, config: forced })).toBe(true);
    expect(joinsUnderAccountName({ ...ready, user: null, config: forced })).toBe(false);
    expect(joinsUnderAccountName({ ...ready, user: ada, config })).toBe(false);
  });
});
