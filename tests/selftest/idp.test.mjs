// Self-test of the test harness's OIDC pieces (lib/idp.mjs, lib/api.mjs), without Parlons: a
// tiny relying party written here (discovery, authorization code + PKCE S256 + nonce + state,
// token exchange with client_secret_basic, ID token signature check, userinfo, RP-initiated
// logout) plays the server's part, so that a failure in access.test.mjs points at the server, not
// at the harness.
//
//   node --test tests/selftest/          (loopback only; no server binary needed)
import assert from 'node:assert/strict';
import http from 'node:http';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ApiClient, decodeJwt } from '../lib/api.mjs';
import { idpLogout, oidcLogin, startIdp } from '../lib/idp.mjs';

const b64url = (b) => Buffer.from(b).toString('base64url');

/** A minimal relying party with Parlons' routes. */
async function startFakeRp() {
  const srv = http.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${srv.address().port}`;
  const rp = { base, idp: null, pending: new Map(), sessions: new Map(), requests: [] };
  const discovery = async () => (await fetch(`${rp.idp.issuer}/.well-known/openid-configuration`)).json();
  const cookies = (req) => Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((c) => c.split('=')));
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  };
  srv.on('request', async (req, res) => {
    const u = new URL(req.url, base);
    rp.requests.push(`${req.method} ${u.pathname}`);
    try {
      const d = await discovery();
      if (u.pathname === '/auth/oidc/login') {
        const state = b64url(randomBytes(16));
        const nonce = b64url(randomBytes(16));
        const verifier = b64url(randomBytes(32));
        const next = u.searchParams.get('next') ?? '/';
        rp.pending.set(state, { nonce, verifier, next });
        const a = new URL(d.authorization_endpoint);
        const params = { client_id: rp.idp.clientId, response_type: 'code', scope: 'openid email profile',
          redirect_uri: `${base}/auth/callback`, state, nonce, code_challenge_method: 'S256',
          code_challenge: b64url(createHash('sha256').update(verifier).digest()) };
        if (u.searchParams.get('nopkce')) {
          delete params.code_challenge;
          delete params.code_challenge_method;
        }
        for (const [k, v] of Object.entries(params)) a.searchParams.set(k, v);
        return send(res, 302, undefined, { location: a.href, 'set-cookie': `parlons_oidc=${state}; Path=/auth; HttpOnly; SameSite=Lax` });
      }
      if (u.pathname === '/auth/callback') {
        const state = u.searchParams.get('state');
        const p = rp.pending.get(state);
        if (!p || cookies(req).parlons_oidc !== state) return send(res, 400, { code: 'bad_state' });
        if (u.searchParams.get('error')) return send(res, 400, { code: u.searchParams.get('error') });
        assert.equal(u.searchParams.get('iss'), rp.idp.issuer, 'RFC 9207 iss on the callback');
        const tok = await fetch(d.token_endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`${rp.idp.clientId}:${rp.idp.clientSecret}`).toString('base64')}` },
          body: new URLSearchParams({ grant_type: 'authorization_code', code: u.searchParams.get('code'),
            redirect_uri: `${base}/auth/callback`, code_verifier: p.verifier }),
        });
        const t = await tok.json();
        if (tok.status !== 200) return send(res, 502, { code: 'token', detail: t });
        const [h, b, s] = t.id_token.split('.');
        const jwks = await (await fetch(d.jwks_uri)).json();
        const header = JSON.parse(Buffer.from(h, 'base64url'));
        const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === header.kid), format: 'jwk' });
        assert.ok(verify('sha256', Buffer.from(`${h}.${b}`), key, Buffer.from(s, 'base64url')), 'ID token signature');
        const claims = decodeJwt(t.id_token);
        assert.equal(claims.nonce, p.nonce);
        assert.equal(claims.aud, rp.idp.clientId);
        assert.equal(claims.iss, rp.idp.issuer);
        const info = await (await fetch(d.userinfo_endpoint, { headers: { authorization: `Bearer ${t.access_token}` } })).json();
        assert.equal(info.sub, claims.sub);
        const sid = b64url(randomBytes(16));
        rp.sessions.set(sid, { sub: claims.sub, name: info.name, email: info.email, idToken: t.id_token, idTokenClaims: claims });
        rp.pending.delete(state);
        const next = p.next.startsWith('/') && !p.next.startsWith('//') ? p.next : '/';
        return send(res, 302, undefined, { location: next, 'set-cookie': `parlons_session=${sid}; Path=/; HttpOnly; SameSite=Lax` });
      }
      const session = rp.sessions.get(cookies(req).parlons_session);
      if (u.pathname === '/api/v1/me') {
        return send(res, 200, session ? { user: { id: session.sub, username: session.sub, name: session.name,
          email: session.email, is_admin: false }, csrf: 'csrf-of-the-fake-rp' } : { user: null });
      }
      if (u.pathname === '/api/v1/auth/logout' && req.method === 'POST') {
        const e = new URL(d.end_session_endpoint);
        if (session) {
          e.searchParams.set('id_token_hint', session.idToken);
          e.searchParams.set('post_logout_redirect_uri', `${base}/`);
          rp.sessions.delete(cookies(req).parlons_session);
        }
        return send(res, 200, { redirect: session ? e.href : null }, { 'set-cookie': 'parlons_session=; Path=/; Max-Age=0' });
      }
      if (u.pathname === '/') return send(res, 200, { home: true });
      return send(res, 404, { code: 'not_found' });
    } catch (e) {
      return send(res, 500, { code: 'rp_error', message: e.message });
    }
  });
  rp.stop = () => new Promise((r) => {
    srv.closeAllConnections();
    srv.close(r);
  });
  return rp;
}

let rp;
let idp;
before(async () => {
  rp = await startFakeRp();
  idp = await startIdp({ port: 0, redirectUris: [`${rp.base}/auth/callback`],
    users: { carol: { name: 'Carol Custom', email: 'carol@corp.test' } } });
  rp.idp = idp;
});
after(async () => {
  await idp?.stop();
  await rp?.stop();
});

test('the IdP publishes discovery with PKCE S256 and an end-session endpoint', async () => {
  const d = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
  assert.equal(d.issuer, idp.issuer);
  assert.deepEqual(d.code_challenge_methods_supported, ['S256']);
  assert.match(d.end_session_endpoint, /^http:\/\/127\.0\.0\.1:\d+\//);
  assert.ok(d.id_token_signing_alg_values_supported.includes('RS256'));
  assert.deepEqual(idp.serverEnv(), { PARLONS_AUTH__OIDC__ISSUER: idp.issuer,
    PARLONS_AUTH__OIDC__CLIENT_ID: 'parlons', PARLONS_AUTH__OIDC__CLIENT_SECRET: idp.clientSecret });
});

test('oidcLogin runs the whole code + PKCE flow and returns the session cookie', async () => {
  const { client, cookie, csrf, landed, trace } = await oidcLogin(rp.base, 'alice', { next: '/r/abc-defg-hij' });
  assert.match(cookie, /^parlons_session=[\w-]+$/);
  assert.equal(csrf, 'csrf-of-the-fake-rp');
  assert.equal(landed, `${rp.base}/r/abc-defg-hij`);
  assert.ok(trace.some((s) => s.includes('/interaction/')), `went through the IdP's interactions: ${trace.join(' | ')}`);
  const me = await client.me();
  assert.deepEqual(me.user, { id: 'alice', username: 'alice', name: 'Agent alice', email: 'alice@example.test', is_admin: false });
  // the cookie alone (no jar) authenticates, as security tests use it
  const bare = await (await fetch(`${rp.base}/api/v1/me`, { headers: { cookie } })).json();
  assert.equal(bare.user.name, 'Agent alice');
});

test('users overrides name and email; a second login in the same browser reuses the IdP session', async () => {
  const first = await oidcLogin(rp.base, 'carol');
  assert.equal((await first.client.me()).user.email, 'carol@corp.test');
  assert.equal((await first.client.me()).user.name, 'Carol Custom');
  first.client.jar.delete('parlons_session');
  const again = await oidcLogin(rp.base, 'carol', { client: first.client });
  assert.ok(!again.trace.some((s) => s.startsWith('POST')), `no login form the second time: ${again.trace.join(' | ')}`);
  assert.notEqual(again.cookie, first.cookie);
});

test('the IdP refuses an authorization request without PKCE', async () => {
  const c = new ApiClient(rp.base);
  const start = await c.get('/auth/oidc/login?nopkce=1');
  assert.equal(start.status, 302);
  const r = await fetch(start.location, { redirect: 'manual' });
  const back = new URL(r.headers.get('location'));
  assert.equal(back.pathname, '/auth/callback');
  assert.equal(back.searchParams.get('error'), 'invalid_request');
  assert.match(back.searchParams.get('error_description'), /PKCE/);
});

test('RP-initiated logout: the end-session URL signs out at the IdP and comes back', async () => {
  const { client } = await oidcLogin(rp.base, 'dave');
  const out = await client.post('/api/v1/auth/logout', {});
  assert.equal(out.status, 200);
  assert.match(out.body.redirect, /^http:\/\/127\.0\.0\.1:\d+\/session\/end\?/);
  assert.equal(client.sessionCookie, null, 'Max-Age=0 removed the cookie');
  const before = idp.events.filter((e) => e.event === 'end_session.success').length;
  const { landed } = await idpLogout(client, out.body.redirect);
  assert.equal(landed, `${rp.base}/`);
  assert.equal(idp.events.filter((e) => e.event === 'end_session.success').length, before + 1);
  // signed out at the IdP too: the next login shows the login form again
  const again = await oidcLogin(rp.base, 'dave', { client });
  assert.ok(again.trace.some((s) => s.startsWith('POST') && s.includes('/interaction/')), again.trace.join(' | '));
});
