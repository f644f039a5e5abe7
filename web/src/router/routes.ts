/** The client-side routes. The server answers `index.html` for any unknown path. */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'login' }
  | { readonly name: 'rooms' }
  | { readonly name: 'room'; readonly slug: string }
  | { readonly name: 'recordings'; readonly slug: string }
  | { readonly name: 'notFound' };

/** A meeting code: letters, digits and dashes (the server makes `abc-defg-hij`). */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

/** A path segment that decodes to a meeting code, or null. */
function slugOf(segment: string | undefined): string | null {
  if (!segment) return null;
  try {
    const slug = decodeURIComponent(segment);
    return isSlug(slug) ? slug : null;
  } catch {
    return null;
  }
}

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === '/login') return { name: 'login' };
  if (path === '/rooms') return { name: 'rooms' };
  const room = slugOf(/^\/r\/([^/]+)$/.exec(path)?.[1]);
  if (room) return { name: 'room', slug: room };
  const recordings = slugOf(/^\/rooms\/([^/]+)\/recordings$/.exec(path)?.[1]);
  if (recordings) return { name: 'recordings', slug: recordings };
  return { name: 'notFound' };
}

export function roomPath(slug: string): string {
  return `/r/${encodeURIComponent(slug)}`;
}

/** The recordings of a room (hosts). */
export function recordingsPath(slug: string): string {
  return `/rooms/${encodeURIComponent(slug)}/recordings`;
}

export const ROOMS_PATH = '/rooms';

/**
 * Where to go after signing in: only a same-origin path (`/rooms`, `/r/abc?x`), never a URL
 * nor a protocol-relative `//host` (an open redirect); home otherwise.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return '/';
  // Browsers read `\` as `/` (`/\host` is `//host`) and drop tabs and newlines from URLs.
  const unsafe = [...next].some((c) => c === '\\' || c.charCodeAt(0) < 0x20);
  return unsafe ? '/' : next;
}

/** The sign-in page, coming back to `next` afterwards. */
export function loginPath(next: string): string {
  const safe = safeNextPath(next);
  return safe === '/' ? '/login' : `/login?next=${encodeURIComponent(safe)}`;
}

/** The server's OpenID Connect entry point, coming back to `next` afterwards. */
export function oidcLoginUrl(next: string): string {
  return `/auth/oidc/login?next=${encodeURIComponent(safeNextPath(next))}`;
}

/**
 * Reads what a user typed or pasted to join: a bare code (`abc-defg-hij`) or any link whose
 * path is `/r/<code>`. Returns the code, or null when the input is neither.
 */
export function parseRoomInput(input: string): string | null {
  const value = input.trim();
  if (!value) return null;
  if (isSlug(value)) return value;
  let url: URL;
  try {
    url = new URL(value, 'http://parlons.invalid');
  } catch {
    return null;
  }
  const route = matchRoute(url.pathname);
  return route.name === 'room' ? route.slug : null;
}
