// A small HTTP client for the product API (`/api/v1`, docs/api.md) that behaves like one browser:
// a cookie jar (parlons_session, parlons_guest, the IdP's cookies), the CSRF header on
// cookie-authenticated writes, manual redirects. Plus HS256 JWTs signed by hand (any claims, e.g.
// an `exp` in the past) and the local sign-in.
import { createHmac, randomBytes } from 'node:crypto';

/**
 * Cookies as a browser keeps them for plain-HTTP test hosts: per host (ports share cookies, as in
 * browsers), with path matching, Max-Age/Expires deletion, and the attributes kept for assertions.
 */
export class CookieJar {
  constructor() {
    /** @type {Map<string, {name, value, host, path, attrs: Record<string, string|true>, expires: number|null}>} */
    this.cookies = new Map();
  }

  static key(host, path, name) {
    return `${host}\t${path}\t${name}`;
  }

  /** Records the Set-Cookie headers of `response` (a fetch Response) received from `url`. */
  storeFrom(url, response) {
    const list = typeof response.headers.getSetCookie === 'function'
      ? response.headers.getSetCookie()
      : [response.headers.get('set-cookie')].filter(Boolean);
    for (const line of list) this.storeLine(url, line);
  }

  storeLine(url, line) {
    const u = new URL(url);
    const [pair, ...rest] = line.split(';');
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const attrs = {};
    for (const a of rest) {
      const i = a.indexOf('=');
      const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
      if (k) attrs[k] = i < 0 ? true : a.slice(i + 1).trim();
    }
    let path = typeof attrs.path === 'string' && attrs.path.startsWith('/') ? attrs.path : null;
    if (!path) {
      const dir = u.pathname.slice(0, u.pathname.lastIndexOf('/'));
      path = dir || '/';
    }
    let expires = null;
    if (attrs['max-age'] !== undefined) expires = Date.now() + Number(attrs['max-age']) * 1000;
    else if (typeof attrs.expires === 'string' && !Number.isNaN(Date.parse(attrs.expires))) expires = Date.parse(attrs.expires);
    const key = CookieJar.key(u.hostname, path, name);
    if (expires !== null && expires <= Date.now()) {
      this.cookies.delete(key);
      return;
    }
    this.cookies.set(key, { name, value, host: u.hostname, path, attrs, expires });
  }

  /** The cookies that would be sent to `url`. */
  matching(url) {
    const u = new URL(url);
    const now = Date.now();
    return [...this.cookies.values()].filter((c) => c.host === u.hostname
      && (c.expires === null || c.expires > now)
      && (u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)))
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** The Cookie header value for `url` ('' when none). */
  header(url) {
    return this.matching(url).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** The cookie `name` (any host and path), or undefined. */
  get(name) {
    return [...this.cookies.values()].find((c) => c.name === name);
  }

  /** Sets a cookie by hand (e.g. a stolen or forged one). */
  set(url, name, value, path = '/') {
    const u = new URL(url);
    this.cookies.set(CookieJar.key(u.hostname, path, name), { name, value, host: u.hostname, path, attrs: {}, expires: null });
  }

  delete(name) {
    for (const [k, c] of this.cookies) if (c.name === name) this.cookies.delete(k);
  }
}

/** Parses a fetch Response into {status, headers, contentType, text, body (JSON or undefined), location}. */
export async function readResponse(r) {
  const text = await r.text();
  let body;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return {
    status: r.status,
    headers: r.headers,
    contentType: r.headers.get('content-type') ?? '',
    text,
    body,
    location: r.headers.get('location'),
  };
}

/** One short line describing an answer, for assertion messages. */
export function describeRes(res) {
  return `${res.status} ${res.contentType} ${res.text.slice(0, 300)}`;
}

/**
 * One browser (or API caller) talking to the server at `base`: a cookie jar, the CSRF token once
 * known (login, /me), an optional bearer token. Non-GET requests carry X-CSRF-Token when the
 * client knows one, unless `{ csrf: false }` (or another value) is passed.
 */
export class ApiClient {
  constructor(base, { jar = new CookieJar(), csrf = null, bearer = null, label = 'client' } = {}) {
    this.base = base.replace(/\/$/, '');
    this.jar = jar;
    this.csrf = csrf;
    this.bearer = bearer;
    this.label = label;
  }

  /** A client with the same settings and no cookies: another browser. */
  fresh(label) {
    return new ApiClient(this.base, { label: label ?? `${this.label}'` });
  }

  url(p) {
    return /^https?:/.test(p) ? p : `${this.base}${p}`;
  }

  /**
   * `method path` with an optional JSON `body`. Options: `headers`, `csrf` (true: the known token,
   * false: none, a string: that value), `bearer` (overrides the client's), `raw` (a string body
   * sent as is), `contentType`.
   */
  async request(method, p, { body, headers = {}, csrf = true, bearer, raw, contentType } = {}) {
    const url = this.url(p);
    const h = { accept: 'application/json', ...headers };
    const cookie = this.jar.header(url);
    if (cookie) h.cookie = cookie;
    const tok = bearer === undefined ? this.bearer : bearer;
    if (tok) h.authorization = `Bearer ${tok}`;
    if (method !== 'GET' && method !== 'HEAD') {
      const c = csrf === true ? this.csrf : csrf === false ? null : csrf;
      if (c) h['x-csrf-token'] = c;
    }
    let payload;
    if (raw !== undefined) {
      payload = raw;
      if (contentType) h['content-type'] = contentType;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['content-type'] = contentType ?? 'application/json';
    }
    const r = await fetch(url, { method, headers: h, body: payload, redirect: 'manual' });
    this.jar.storeFrom(url, r);
    return readResponse(r);
  }

  get(p, o) { return this.request('GET', p, o); }
  post(p, body, o = {}) { return this.request('POST', p, { ...o, body }); }
  put(p, body, o = {}) { return this.request('PUT', p, { ...o, body }); }
  patch(p, body, o = {}) { return this.request('PATCH', p, { ...o, body }); }
  del(p, o) { return this.request('DELETE', p, o); }

  /** GET /api/v1/me; remembers the csrf token. Resolves with the body. */
  async me() {
    const r = await this.get('/api/v1/me');
    if (r.status !== 200) throw new Error(`${this.label}: GET /api/v1/me answered ${describeRes(r)}`);
    if (r.body?.csrf) this.csrf = r.body.csrf;
    return r.body;
  }

  /** The `parlons_session` cookie as a `name=value` string, or null. */
  get sessionCookie() {
    const c = this.jar.get('parlons_session');
    return c ? `${c.name}=${c.value}` : null;
  }
}

/**
 * Signs in with a local account: `POST /api/v1/auth/login`. Resolves with
 * `{ res, client, cookie, csrf, user }` (`cookie` = `parlons_session=…`); throws unless 200.
 * `client` (an ApiClient whose jar holds the session) may be passed in to sign in an existing browser.
 */
export async function localLogin(base, username, password, { client = new ApiClient(base, { label: username }) } = {}) {
  const res = await client.post('/api/v1/auth/login', { username, password }, { csrf: false });
  if (res.status !== 200) throw new Error(`local login of ${username} answered ${describeRes(res)}`);
  client.csrf = res.body?.csrf ?? client.csrf;
  if (!client.csrf) await client.me();
  return { res, client, cookie: client.sessionCookie, csrf: client.csrf, user: res.body?.user };
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

/** An HS256 JWT with exactly these claims (nothing added): for expired, forged or odd tokens. */
export function signJwt(claims, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const head = b64url(JSON.stringify(header));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  return `${head}.${body}.${b64url(sig)}`;
}

/** The claims of a JWT, unverified. */
export function decodeJwt(token) {
  const parts = String(token).split('.');
  if (parts.length !== 3) throw new Error(`not a JWT: ${String(token).slice(0, 40)}`);
  return JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
}

/** `token` with its claims replaced by `mutate(claims)` and the original signature kept (tampering). */
export function tamperJwt(token, mutate) {
  const [head, , sig] = token.split('.');
  const claims = mutate(decodeJwt(token));
  return `${head}.${b64url(JSON.stringify(claims))}.${sig}`;
}

/** A LiveKit-style server token (`iss` = key) with the given video grant, valid `ttl` seconds. */
export function apiJwt(apiKey, apiSecret, video, { sub = 'parlons-tests', ttl = 600, now = Math.floor(Date.now() / 1000), ...extra } = {}) {
  return signJwt({ iss: apiKey, sub, nbf: now - 5, iat: now, exp: now + ttl, video, ...extra }, apiSecret);
}

/** A random printable string (passwords, names). */
export function randomString(n = 12) {
  return randomBytes(n).toString('base64url').slice(0, n);
}
