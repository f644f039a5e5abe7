// A real OpenID Connect provider for login tests (oidc-provider 9.13.3, in-process, on
// 127.0.0.1; docs/testing.md §6), and the browser side of the flow driven with fetch:
//
//   const idp = await startIdp({ port: 0, redirectUris: [`${base}/auth/callback`] });
//   const server = await startServer({ env: idp.serverEnv(), ... });
//   const { client, cookie, csrf } = await oidcLogin(server.httpUrl, 'alice');   // signed in as alice
//   await idp.stop();
//
// The IdP accepts any login name with any password (oidc-provider's development interactions):
// the name becomes `sub`; the account's name is "Agent <sub>" and its email <sub>@example.test
// (override per user with `users`). PKCE is required for every client (the server must send
// S256); RP-initiated logout (end_session_endpoint) is on, with `postLogoutRedirectUris`.
// oidc-provider warns "Unsupported runtime" on Node 20 and about its development interactions:
// both are expected here.
import http from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';
import { ApiClient, randomString } from './api.mjs';

/**
 * Starts the IdP. `port` 0 picks a free port. Resolves with
 * `{ issuer, port, clientId, clientSecret, provider, events, stop(), serverEnv() }`;
 * `events` records the provider's grant, logout and error events ({event, at, detail}).
 *
 * Options: `redirectUris` (required: the server's `…/auth/callback`), `postLogoutRedirectUris`
 * (default: each redirect URI's origin, with and without a trailing slash), `users`
 * (`{ sub: { name, email, email_verified, claims } }` overrides), `clientId` ('parlons'),
 * `clientSecret` (random), `tokenEndpointAuthMethod` ('client_secret_basic'; or
 * 'client_secret_post'), `idTokenClaims` (true: name/email in the ID token as well; default false:
 * only from the userinfo endpoint, as oidc-provider's default and many real IdPs do).
 */
export async function startIdp({
  port = 9090,
  host = '127.0.0.1',
  redirectUris,
  postLogoutRedirectUris,
  users = {},
  clientId = 'parlons',
  clientSecret = `parlons-test-${randomString(24)}`,
  tokenEndpointAuthMethod = 'client_secret_basic',
  idTokenClaims = false,
} = {}) {
  if (!Array.isArray(redirectUris) || redirectUris.length === 0) {
    throw new Error('startIdp: redirectUris (the server\'s …/auth/callback URLs) is required');
  }
  const logoutUris = postLogoutRedirectUris ?? [...new Set(redirectUris.flatMap((u) => {
    const o = new URL(u).origin;
    return [o, `${o}/`];
  }))];

  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actualPort = server.address().port;
  const issuer = `http://${host}:${actualPort}`;

  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'parlons-test-rs256', use: 'sig', alg: 'RS256' };
  const events = [];
  const note = (event, detail) => events.push({ event, at: Date.now(), detail });

  const provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: logoutUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: tokenEndpointAuthMethod,
      id_token_signed_response_alg: 'RS256',
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    conformIdTokenClaims: !idTokenClaims,
    findAccount: async (_ctx, sub) => {
      const u = users[sub] ?? {};
      return {
        accountId: sub,
        claims: async () => ({
          sub,
          name: u.name ?? `Agent ${sub}`,
          preferred_username: sub,
          email: u.email ?? `${sub}@example.test`,
          email_verified: u.email_verified ?? true,
          ...u.claims,
        }),
      };
    },
    cookies: { keys: [randomString(32)] },
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        async logoutSource(ctx, form) {
          ctx.body = `<!DOCTYPE html><html><body><h1>Sign out?</h1>${form}
            <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>`;
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = '<!DOCTYPE html><html><body><h1>Signed out</h1></body></html>';
        },
      },
    },
    // Plain, readable error pages: a failing test shows them in its message.
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><body><h1>IdP error</h1><pre>${escapeHtml(JSON.stringify(out))}</pre></body></html>`;
    },
  });
  for (const e of ['grant.success', 'grant.error', 'authorization.error', 'end_session.success',
    'end_session.error', 'server_error', 'userinfo.error', 'interaction.started']) {
    provider.on(e, (_ctx, x) => note(e, x?.message ?? x?.name ?? (typeof x === 'object' ? undefined : x)));
  }
  const callback = provider.callback();
  server.on('request', callback);

  return {
    issuer,
    port: actualPort,
    clientId,
    clientSecret,
    provider,
    events,
    /** The server configuration (environment) that points Parlons at this IdP. */
    serverEnv() {
      return {
        PARLONS_AUTH__OIDC__ISSUER: issuer,
        PARLONS_AUTH__OIDC__CLIENT_ID: clientId,
        PARLONS_AUTH__OIDC__CLIENT_SECRET: clientSecret,
      };
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function unescapeHtml(s) {
  return String(s).replace(/&(amp|lt|gt|quot|#39|#x27|#x2F);/g, (_, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", '#x2F': '/' })[e]);
}

/** The first `<form>` of an HTML page: `{ action, method, fields }` (hidden and valued inputs). */
export function parseForm(html, { id } = {}) {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const pick = forms.find((f) => !id || new RegExp(`\\bid=["']${id.replace(/[.]/g, '\\.')}["']`).test(f[1])) ?? forms[0];
  if (!pick) return null;
  const attr = (s, name) => {
    const m = s.match(new RegExp(`\\b${name}=("([^"]*)"|'([^']*)')`, 'i'));
    return m ? unescapeHtml(m[2] ?? m[3]) : undefined;
  };
  const fields = {};
  for (const m of pick[2].matchAll(/<input\b([^>]*)>/gi)) {
    const name = attr(m[1], 'name');
    const value = attr(m[1], 'value');
    if (name && value !== undefined) fields[name] = value;
  }
  return { action: attr(pick[1], 'action') ?? '', method: (attr(pick[1], 'method') ?? 'get').toUpperCase(), fields };
}

const text = (html) => html.replace(/<style[\s\S]*?<\/style>/gi, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);

/**
 * Follows redirects (and submits the IdP's forms with `submit(form, url)`) the way a browser
 * would, sharing `client`'s cookie jar. Stops at a redirect that leaves the known origins, or that
 * `isEnd(url)` accepts; resolves with `{ landed, trace }`. Throws, with the trace, on anything else.
 */
async function browse(client, start, { origins, isEnd, submit, maxSteps = 25, what }) {
  const trace = [];
  let url = start;
  let method = 'GET';
  let form = null;
  for (let step = 0; step < maxSteps; step++) {
    const headers = { accept: 'text/html,application/json;q=0.9' };
    const cookie = client.jar.header(url);
    if (cookie) headers.cookie = cookie;
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const r = await fetch(url, { method, headers, body, redirect: 'manual' });
    client.jar.storeFrom(url, r);
    const location = r.headers.get('location');
    trace.push(`${method} ${url} -> ${r.status}${location ? ` ${location}` : ''}`);
    if (r.status >= 300 && r.status < 400 && location) {
      await r.arrayBuffer();
      const next = new URL(location, url);
      origins.add(new URL(url).origin);
      if (isEnd(next) || (!origins.has(next.origin) && step > 0)) return { landed: next.href, trace };
      if (step === 0) origins.add(next.origin); // the first hop goes to the IdP
      url = next.href;
      method = 'GET';
      form = null;
      continue;
    }
    const html = await r.text();
    if (r.status === 200 && /html/.test(r.headers.get('content-type') ?? '')) {
      const f = parseForm(html);
      const fields = f && submit(f, new URL(url), html);
      if (fields) {
        url = new URL(f.action || url, url).href;
        method = f.method === 'GET' ? 'GET' : 'POST';
        form = fields;
        continue;
      }
    }
    throw new Error(`${what}: stopped at ${method} ${url} -> ${r.status}: ${text(html)}\n  steps:\n    ${trace.join('\n    ')}`);
  }
  throw new Error(`${what}: more than ${maxSteps} steps\n  steps:\n    ${trace.join('\n    ')}`);
}

/**
 * Signs in to the Parlons server at `serverBaseUrl` through its OIDC login, as `username`:
 * `GET /auth/oidc/login?next=…` → the IdP's login and consent forms → `/auth/callback` → `next`.
 * Resolves with `{ client, cookie, csrf, landed, trace }`: `client` is an ApiClient whose jar holds
 * the `parlons_session` cookie (and the IdP's session), `cookie` is `parlons_session=…`, `csrf`
 * comes from `GET /api/v1/me`, `landed` is where the last redirect pointed.
 * Options: `next` ('/'), `client` (an existing browser), `password` (ignored by the IdP),
 * `requireSession` (default true: throw when no parlons_session cookie was set).
 */
export async function oidcLogin(serverBaseUrl, username, { next = '/', client, password = 'any-password', requireSession = true } = {}) {
  const base = serverBaseUrl.replace(/\/$/, '');
  const c = client ?? new ApiClient(base, { label: username });
  const serverOrigin = new URL(base).origin;
  const start = `${base}/auth/oidc/login?next=${encodeURIComponent(next)}`;
  const { landed, trace } = await browse(c, start, {
    what: `OIDC login of ${username} at ${base}`,
    origins: new Set([serverOrigin]),
    // back on the server, past the callback: signed in (or refused) and sent on to `next`
    isEnd: (u) => u.origin === serverOrigin && !u.pathname.startsWith('/auth/'),
    submit: (form, url) => {
      if (url.origin === serverOrigin) return null;
      const prompt = form.fields.prompt;
      if (prompt === 'login') return { ...form.fields, login: username, password };
      if (prompt === 'consent') return { ...form.fields };
      return null;
    },
  });
  const cookie = c.sessionCookie;
  if (!cookie && requireSession) {
    throw new Error(`OIDC login of ${username}: no parlons_session cookie after the flow (landed on ${landed})\n  steps:\n    ${trace.join('\n    ')}`);
  }
  if (cookie) await c.me();
  return { client: c, cookie, csrf: c.csrf, landed, trace };
}

/**
 * RP-initiated logout at the IdP, as a browser after `POST /api/v1/auth/logout` answered
 * `{redirect: url}`: opens `url` (the end-session endpoint), confirms the sign-out and follows the
 * redirect back. Resolves with `{ landed, trace }` (`landed`: the post-logout redirect target).
 */
export async function idpLogout(client, endSessionUrl) {
  const idpOrigin = new URL(endSessionUrl).origin;
  return browse(client, endSessionUrl, {
    what: `IdP logout at ${endSessionUrl}`,
    origins: new Set([idpOrigin]),
    isEnd: (u) => u.origin !== idpOrigin,
    submit: (form, url) => (url.origin === idpOrigin && /logout|session\/end/.test(form.action)
      ? { ...form.fields, logout: 'yes' } : null),
  });
}
