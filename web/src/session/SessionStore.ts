import { setCsrfToken, type ServerConfig, type User } from '../api';
import { sessionApi, type SessionApi } from './sessionApi';

/** Who is using this browser and what the server allows, as the UI reads it. */
export interface SessionSnapshot {
  /** `loading` until both `/me` and `/config` have answered (or failed). */
  readonly status: 'loading' | 'ready';
  /** Null when signed out, or when `/me` could not be read. */
  readonly user: User | null;
  /** Null while loading, or when `/config` could not be read. */
  readonly config: ServerConfig | null;
}

/**
 * The browser session: the signed-in user, the server's config, and the CSRF token, which it
 * hands to `fetchApi` (never to the UI). One immutable snapshot behind `subscribe`/`getSnapshot`,
 * read in React with `useSyncExternalStore` (see `useSession`).
 */
export class SessionStore {
  private readonly api: SessionApi;
  private snapshot: SessionSnapshot = { status: 'loading', user: null, config: null };
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;

  constructor(api: SessionApi = sessionApi) {
    this.api = api;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Reads `/me` and `/config` once; later calls share the first load. */
  load(): Promise<void> {
    this.loading ??= this.fetchAll();
    return this.loading;
  }

  /** Reads `/me` and `/config` again (after an OIDC round trip, a 401, a CSRF refusal). */
  reload(): Promise<void> {
    this.loading = this.fetchAll();
    return this.loading;
  }

  /** Local sign-in; rejects with `ApiError` (`invalid_credentials`, `rate_limited`) on refusal. */
  async signIn(username: string, password: string): Promise<User> {
    const answer = await this.api.login(username, password);
    setCsrfToken(answer.csrf);
    this.update({ user: answer.user });
    return answer.user;
  }

  /**
   * Signs out. Resolves with the identity provider's end-session URL to visit next, if any
   * (only http and https URLs are passed on). The local session is forgotten even when the
   * request fails: the user asked to be signed out.
   */
  async signOut(): Promise<string | null> {
    try {
      const answer = await this.api.logout();
      return safeRedirect(answer.redirect);
    } finally {
      setCsrfToken(null);
      this.update({ user: null });
    }
  }

  private async fetchAll(): Promise<void> {
    const [me, config] = await Promise.allSettled([this.api.getMe(), this.api.getConfig()]);
    const user = me.status === 'fulfilled' ? me.value.user : null;
    setCsrfToken(me.status === 'fulfilled' && me.value.user ? me.value.csrf : null);
    this.update({
      status: 'ready',
      user,
      config: config.status === 'fulfilled' ? config.value : this.snapshot.config,
    });
  }

  private update(patch: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}

function safeRedirect(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Rooms may be created by signed-in users, and by anyone when the server allows it. */
export function canCreateRooms(snapshot: SessionSnapshot): boolean {
  return snapshot.user !== null || snapshot.config?.anonymous_rooms === true;
}

/** Signed-in users join under their account name when the server forces it. */
export function joinsUnderAccountName(snapshot: SessionSnapshot): boolean {
  return snapshot.user !== null && snapshot.config?.auth.force_idp_names === true;
}

/** The one session of this page. */
export const session = new SessionStore();
