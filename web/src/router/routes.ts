/** The client-side routes. The server answers `index.html` for any unknown path. */
export type Route =
  | { readonly name: 'home' }
  | { readonly name: 'room'; readonly slug: string }
  | { readonly name: 'notFound' };

/** A meeting code: letters, digits and dashes (the server makes `abc-defg-hij`). */
const SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function isSlug(value: string): boolean {
  return SLUG.test(value);
}

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  const room = /^\/r\/([^/]+)$/.exec(path);
  if (room?.[1]) {
    let slug: string;
    try {
      slug = decodeURIComponent(room[1]);
    } catch {
      return { name: 'notFound' };
    }
    if (isSlug(slug)) return { name: 'room', slug };
  }
  return { name: 'notFound' };
}

export function roomPath(slug: string): string {
  return `/r/${encodeURIComponent(slug)}`;
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
