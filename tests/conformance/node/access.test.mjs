// Access control of the product API (docs/api.md), from the outside: lobby, roles, tokens,
// moderation, CSRF, rate limits, OIDC sign-in. Each test gets its own production-like server
// (no --dev, an empty data directory, its own rate limiters); the local admin account printed on
// first start is the owner of the rooms, `parlons user add` makes the other users, guests are
// fresh cookie jars, and the LiveKit side is the official SDK (livekit-client) or a raw signalling
// WebSocket. Tokens are forged with the API key the harness configured (PARLONS_KEYS__<key>).
import { Peer, lk } from '../../lib/lk-node.mjs';
import assert from 'node:assert/strict';
import { after, describe } from 'node:test';
import { SignalResponse } from '@livekit/protocol';
import { ApiClient, apiJwt, decodeJwt, describeRes, localLogin, signJwt, tamperJwt } from '../../lib/api.mjs';
import { useServer, useServerPerTest } from '../../lib/harness.mjs';
import { idpLogout, oidcLogin, startIdp } from '../../lib/idp.mjs';
import { JOIN_TIMEOUT } from '../../lib/peers.mjs';
import { freePort } from '../../lib/server.mjs';
import { observeFor, waitFor, withDeadline } from '../../lib/wait.mjs';

const API = '/api/v1';
const SKIP = process.env.PARLONS_URL ? 'needs servers started by the harness (PARLONS_BIN), not PARLONS_URL' : false;
const { test } = useServerPerTest('access', { dev: false, requireManaged: true });
const JWT_RE = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*/; // any JWT, e.g. a LiveKit token, anywhere in a body

// ---------------------------------------------------------------------------------------------
// Helpers

/** The local admin (owner of the test's rooms), signed in with the password printed on first start. */
async function adminClient(server) {
  if (!server.adminClient) {
    const { username, password } = await server.admin();
    server.adminClient = (await localLogin(server.httpUrl, username, password)).client;
    server.adminClient.label = 'admin';
  }
  return server.adminClient;
}

/** A new local user (`parlons user add`), signed in. The client has `.user` (from /me). */
async function userClient(server, username, { name } = {}) {
  const { password } = await server.addUser(username, { name: name ?? `User ${username}` });
  const { client } = await localLogin(server.httpUrl, username, password);
  client.user = (await client.me()).user;
  assert.ok(client.user?.id, `GET /me of ${username} names the user: ${JSON.stringify(client.user)}`);
  return client;
}

/** A browser that never signed in. */
const guestClient = (server, label = 'guest') => new ApiClient(server.httpUrl, { label });

const room = (slug) => `${API}/rooms/${encodeURIComponent(slug)}`;

/** POST /rooms as `client`; asserts 201 and resolves with the Room. */
async function createRoom(client, body = {}) {
  const r = await client.post(`${API}/rooms`, body);
  assert.equal(r.status, 201, `POST /rooms ${JSON.stringify(body)} as ${client.label}: ${describeRes(r)}`);
  assert.ok(r.body?.slug, `a Room with a slug: ${describeRes(r)}`);
  return r.body;
}

const joinRoom = (client, slug, name) => client.post(`${room(slug)}/join`, { name });

/** Joins and expects to enter at once; resolves with the `enter` answer. */
async function enter(client, slug, name) {
  const r = await joinRoom(client, slug, name);
  assert.equal(r.status, 200, `${client.label} joins ${slug} directly: ${describeRes(r)}`);
  assert.equal(r.body.status, 'enter', describeRes(r));
  for (const k of ['url', 'token', 'identity']) assert.ok(r.body[k], `enter answer has ${k}: ${describeRes(r)}`);
  return r.body;
}

/** Joins and expects to knock; resolves with the `wait` answer. Checks that no token leaked. */
async function knock(client, slug, name) {
  const r = await joinRoom(client, slug, name);
  assert.equal(r.status, 202, `${client.label} knocks on ${slug}: ${describeRes(r)}`);
  assert.equal(r.body.status, 'wait', describeRes(r));
  assert.ok(r.body.lobby_id, `a lobby_id: ${describeRes(r)}`);
  assert.equal(typeof r.body.poll_after_ms, 'number', `poll_after_ms: ${describeRes(r)}`);
  assert.doesNotMatch(r.text, JWT_RE, 'a knock answer carries no token');
  return r.body;
}

const poll = (client, slug, lobbyId) => client.get(`${room(slug)}/lobby/${encodeURIComponent(lobbyId)}`);

/** Polls the knocker's lobby entry until `until(res)` (default: admitted); resolves with the answer. */
async function pollUntil(client, slug, lobbyId, what, until = (r) => r.status === 200 && r.body?.status === 'enter', timeout = 8000) {
  let last;
  return waitFor(what, async () => {
    last = await poll(client, slug, lobbyId);
    return until(last) && last;
  }, { timeout, interval: 200, detail: () => (last ? describeRes(last) : 'no answer') });
}

/** A connected livekit-client participant, closed after the test. */
async function connect(defer, answer, label = answer.identity) {
  const peer = new Peer(label);
  defer(() => peer.close());
  await withDeadline(`${label} to connect to ${answer.url}`, peer.connect(answer.url, answer.token), JOIN_TIMEOUT);
  return peer;
}

/**
 * Opens the signalling WebSocket with `token` (plus `extra` query, e.g. `&reconnect=1&sid=…`) and
 * reports what happened within `wait` ms: `admitted` when a join or reconnect response came.
 * A refusal may be an HTTP error on the upgrade (no open) or a `leave` then close: both count.
 */
async function rtcAttempt(server, token, { extra = '', wait = 5000 } = {}) {
  const ws = new WebSocket(`${server.wsUrl}/rtc?access_token=${encodeURIComponent(token)}&protocol=16&auto_subscribe=1${extra}`);
  ws.binaryType = 'arraybuffer';
  const r = { opened: false, closed: false, messages: [] };
  ws.onopen = () => { r.opened = true; };
  ws.onmessage = (ev) => {
    try {
      r.messages.push(SignalResponse.fromBinary(new Uint8Array(ev.data)).message);
    } catch (e) {
      r.messages.push({ case: `undecodable: ${e.message}` });
    }
  };
  ws.onerror = () => { r.error = true; };
  ws.onclose = (ev) => { r.closed = true; r.code = ev.code; };
  const admitted = () => r.messages.some((m) => m.case === 'join' || m.case === 'reconnect');
  await waitFor('the signalling attempt to be answered', () => r.closed || admitted(), { timeout: wait }).catch(() => {});
  try { ws.close(); } catch { /* never opened */ }
  r.admitted = admitted();
  r.summary = `opened=${r.opened} closed=${r.closed} code=${r.code} messages=[${r.messages.map((m) => m.case).join(', ')}]`;
  return r;
}

/** GET /rtc/validate: the HTTP status the WebSocket upgrade would get. */
async function validate(server, token) {
  const r = await fetch(`${server.httpUrl}/rtc/validate?access_token=${encodeURIComponent(token)}`);
  await r.arrayBuffer();
  return r.status;
}

function assertRefused(res, code, what) {
  assert.equal(res.status, 403, `${what}: ${describeRes(res)}`);
  assert.equal(res.body?.status, 'refused', `${what}: ${describeRes(res)}`);
  assert.equal(res.body?.code, code, `${what}: ${describeRes(res)}`);
  assert.doesNotMatch(res.text, JWT_RE, `${what}: no token in a refusal`);
}

function assertJson(res, what) {
  assert.match(res.contentType, /^application\/json\b/i, `${what} answers JSON, never HTML: ${describeRes(res)}`);
  assert.ok(res.body !== undefined, `${what}: the body parses as JSON: ${describeRes(res)}`);
}

const now = () => Math.floor(Date.now() / 1000);

// ---------------------------------------------------------------------------------------------
// The lobby: guests never reach a trusted or restricted meeting before a host admits them

test('a guest knocking on a trusted room gets no token and sees nobody until a host admits them', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Trusted', access: 'trusted' });
  assert.equal(r.access, 'trusted');
  const hostAnswer = await enter(owner, r.slug, 'Host');
  assert.equal(decodeJwt(hostAnswer.token).video?.roomAdmin, true, 'the owner\'s token carries roomAdmin');
  const host = await connect(defer, hostAnswer, 'host');

  const guest = guestClient(server, 'guest');
  const k = await knock(guest, r.slug, 'Guest One');
  const waiting = await poll(guest, r.slug, k.lobby_id);
  assert.equal(waiting.status, 200, describeRes(waiting));
  assert.equal(waiting.body.status, 'wait', describeRes(waiting));
  assert.doesNotMatch(waiting.text, JWT_RE, 'no token while waiting');

  const list = await owner.get(`${room(r.slug)}/lobby`);
  assert.equal(list.status, 200, describeRes(list));
  const entry = list.body.waiting?.find((w) => w.id === k.lobby_id);
  assert.ok(entry, `the host sees the knock in ${describeRes(list)}`);
  assert.equal(entry.name, 'Guest One');
  assert.equal(entry.signed_in, false);
  await observeFor(1000);
  assert.deepEqual(host.remoteIdentities(), [], 'nobody joined the meeting while the guest waits');

  // Admitted. Another browser that learnt the lobby id must not be able to take the seat.
  const admit = await owner.post(`${room(r.slug)}/lobby/${k.lobby_id}/admit`, {});
  assert.equal(admit.status, 204, describeRes(admit));
  const thief = await poll(guestClient(server, 'thief'), r.slug, k.lobby_id);
  assert.doesNotMatch(thief.text, JWT_RE, `another browser polling the lobby id gets no token: ${describeRes(thief)}`);
  assert.notEqual(thief.body?.status, 'enter', describeRes(thief));

  const admitted = await pollUntil(guest, r.slug, k.lobby_id, 'the admitted guest to get the enter answer');
  const claims = decodeJwt(admitted.body.token);
  assert.match(admitted.body.identity, /^g-/, 'guests are g-…');
  assert.equal(claims.sub, admitted.body.identity);
  assert.equal(claims.video?.room, decodeJwt(hostAnswer.token).video?.room, 'the token is for this room');
  assert.equal(claims.video?.roomJoin, true);
  assert.ok(!claims.video?.roomAdmin, 'a guest\'s token has no roomAdmin');
  assert.ok(claims.exp - now() <= 11 * 60, `valid about 10 minutes (exp in ${claims.exp - now()} s)`);
  const g = await connect(defer, admitted.body, 'guest');
  await waitFor('the host to see the admitted guest', () => host.remote(admitted.body.identity),
    { timeout: JOIN_TIMEOUT, detail: () => host.history() });
  assert.equal(g.room.state, 'connected');
});

test('a restricted room lets members in and makes signed-in strangers and guests knock', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Board', access: 'restricted' });
  const member = await userClient(server, 'mia');
  const stranger = await userClient(server, 'sam');
  const put = await owner.put(`${room(r.slug)}/members/${encodeURIComponent(member.user.id)}`, { role: 'member' });
  assert.ok(put.status >= 200 && put.status < 300, `PUT members: ${describeRes(put)}`);
  const seen = await member.get(room(r.slug));
  assert.equal(seen.body?.my_role, 'member', describeRes(seen));

  const m = await enter(member, r.slug, 'ignored');
  assert.match(m.identity, /^u-/, 'signed-in users are u-…');
  assert.equal(decodeJwt(m.token).attributes?.['parlons.role'], 'member');
  const s = await knock(stranger, r.slug, 'Sam');
  await knock(guestClient(server), r.slug, 'Guest');
  const list = await owner.get(`${room(r.slug)}/lobby`);
  assert.equal(list.body?.waiting?.find((w) => w.id === s.lobby_id)?.signed_in, true, describeRes(list));
  assert.equal(list.body.waiting.length, 2, describeRes(list));
});

test('a token for one room never opens another; tampered or foreign-signed tokens are refused', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const trusted = await createRoom(owner, { name: 'Trusted', access: 'trusted' });
  const open = await createRoom(owner, { name: 'Open', access: 'public' });
  const hostAnswer = await enter(owner, trusted.slug, 'Host');
  const host = await connect(defer, hostAnswer, 'host');
  const trustedRoom = decodeJwt(hostAnswer.token).video.room;

  const guest = guestClient(server);
  await knock(guest, trusted.slug, 'Knocker'); // waiting at the trusted room...
  const pub = await enter(guest, open.slug, 'Knocker'); // ...and holding a token for the public one
  const pubRoom = decodeJwt(pub.token).video.room;
  assert.notEqual(pubRoom, trustedRoom);
  const inPublic = await connect(defer, pub, 'knocker');
  assert.equal(inPublic.room.name, pubRoom, 'the public token opens the public room');
  await observeFor(1000);
  assert.deepEqual(host.remoteIdentities(), [], 'the trusted meeting never sees the holder of the public token');

  const tampered = tamperJwt(pub.token, (c) => ({ ...c, video: { ...c.video, room: trustedRoom } }));
  assert.equal(await validate(server, tampered), 401, '/rtc/validate refuses a token whose room was edited');
  const t = await rtcAttempt(server, tampered);
  assert.equal(t.admitted, false, `a tampered token does not join: ${t.summary}`);

  const claims = { iss: server.apiKey, sub: 'g-forged', nbf: now() - 5, exp: now() + 600, video: { room: trustedRoom, roomJoin: true } };
  const foreign = signJwt(claims, 'not-the-secret-of-this-server');
  assert.equal(await validate(server, foreign), 401, 'a token signed with another secret is refused');
  assert.equal((await rtcAttempt(server, foreign)).admitted, false);
  const unsigned = signJwt(claims, '', { alg: 'none', typ: 'JWT' }).replace(/[^.]*$/, '');
  assert.equal(await validate(server, unsigned), 401, 'alg none is refused');
  assert.equal((await rtcAttempt(server, unsigned)).admitted, false);
  assert.deepEqual(host.remoteIdentities(), [], 'still nobody in the trusted meeting');
});

test('an expired token is refused on /rtc, for a join and for a resume (reconnect=1&sid=…)', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Open', access: 'public' });
  const answer = await enter(guestClient(server), r.slug, 'Early Bird');
  const peer = await connect(defer, answer, 'early-bird');
  const sid = peer.sid;
  assert.ok(sid, 'a participant sid');
  const c = decodeJwt(answer.token);
  const base = { iss: server.apiKey, sub: c.sub, name: c.name, video: { room: c.video.room, roomJoin: true } };
  const fresh = signJwt({ ...base, nbf: now() - 5, exp: now() + 600 }, server.apiSecret);
  assert.equal(await validate(server, fresh), 200, 'control: the same claims, not expired, are valid');
  // Expired 10 minutes ago: beyond any clock leeway.
  const expired = signJwt({ ...base, nbf: now() - 1800, iat: now() - 1800, exp: now() - 600 }, server.apiSecret);
  assert.equal(await validate(server, expired), 401, '/rtc/validate refuses an expired token');
  const j = await rtcAttempt(server, expired);
  assert.equal(j.admitted, false, `an expired token does not join: ${j.summary}`);
  const res = await rtcAttempt(server, expired, { extra: `&reconnect=1&sid=${encodeURIComponent(sid)}` });
  assert.equal(res.admitted, false, `an expired token does not resume the session: ${res.summary}`);
});

// ---------------------------------------------------------------------------------------------
// Roles and moderation

test('a member cannot moderate: every host action answers 403, also with their meeting token', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Team', access: 'public' });
  const bob = await userClient(server, 'bob');
  const put = await owner.put(`${room(r.slug)}/members/${encodeURIComponent(bob.user.id)}`, { role: 'member' });
  assert.ok(put.status >= 200 && put.status < 300, `PUT members: ${describeRes(put)}`);
  const hostAnswer = await enter(owner, r.slug, 'Host');
  const host = await connect(defer, hostAnswer, 'host');
  const victimAnswer = await enter(guestClient(server), r.slug, 'Victim');
  const victim = await connect(defer, victimAnswer, 'victim');
  const bobAnswer = await enter(bob, r.slug, 'Bob');
  assert.equal(bobAnswer.role, 'member', JSON.stringify(bobAnswer.role));
  assert.ok(!decodeJwt(bobAnswer.token).video?.roomAdmin, 'a member\'s token has no roomAdmin');

  const v = encodeURIComponent(victimAnswer.identity);
  const me = encodeURIComponent(bobAnswer.identity);
  const attempts = [
    ['POST', `${room(r.slug)}/participants/${v}/mute`, { source: 'microphone' }],
    ['POST', `${room(r.slug)}/mute-all`, {}],
    ['POST', `${room(r.slug)}/participants/${v}/remove`, {}],
    ['POST', `${room(r.slug)}/participants/${v}/lower-hand`, {}],
    ['PUT', `${room(r.slug)}/participants/${me}/role`, { role: 'admin' }],
    ['POST', `${room(r.slug)}/end`, {}],
    ['GET', `${room(r.slug)}/lobby`],
    ['POST', `${room(r.slug)}/lobby/admit-all`, {}],
    ['PATCH', room(r.slug), { access: 'restricted', locked: true }],
    ['GET', `${room(r.slug)}/members`],
    ['PUT', `${room(r.slug)}/members/${encodeURIComponent(bob.user.id)}`, { role: 'admin' }],
    ['POST', `${room(r.slug)}/owner`, { user_id: bob.user.id }],
    ['DELETE', room(r.slug)],
  ];
  for (const [method, p, body] of attempts) {
    const res = await bob.request(method, p, { body });
    assert.equal(res.status, 403, `member (cookie) ${method} ${p}: ${describeRes(res)}`);
    assert.equal(res.body?.code, 'forbidden', `member (cookie) ${method} ${p}: ${describeRes(res)}`);
  }
  // The member's own meeting token as a bearer: no roomAdmin, so no moderation either.
  const bearer = new ApiClient(server.httpUrl, { bearer: bobAnswer.token, label: 'bob-bearer' });
  for (const [method, p, body] of attempts.slice(0, 6)) {
    const res = await bearer.request(method, p, { body });
    assert.equal(res.status, 403, `member (bearer) ${method} ${p}: ${describeRes(res)}`);
  }
  // Nor through LiveKit's RoomService.
  const twirp = await bearer.post('/twirp/livekit.RoomService/RemoveParticipant',
    { room: decodeJwt(bobAnswer.token).video.room, identity: victimAnswer.identity });
  assert.ok([401, 403].includes(twirp.status), `RoomService.RemoveParticipant with a member token: ${describeRes(twirp)}`);

  await observeFor(500);
  assert.equal(victim.room.state, 'connected', 'the victim is still in the meeting');
  assert.ok(host.remote(victimAnswer.identity), 'the host still sees the victim');
  const unchanged = await owner.get(room(r.slug));
  assert.equal(unchanged.body.access, 'public', 'the room is unchanged');
  assert.equal(unchanged.body.locked, false);
  const members = await owner.get(`${room(r.slug)}/members`);
  assert.equal(members.body?.members?.find((m) => m.user_id === bob.user.id)?.role, 'member', describeRes(members));
});

test('a denied knocker is told refused/denied with the host\'s reason', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Trusted', access: 'trusted' });
  const guest = guestClient(server);
  const k = await knock(guest, r.slug, 'Uninvited');
  const deny = await owner.post(`${room(r.slug)}/lobby/${k.lobby_id}/deny`, { reason: 'Not today' });
  assert.equal(deny.status, 204, describeRes(deny));
  const res = await pollUntil(guest, r.slug, k.lobby_id, 'the knocker to learn the denial', (x) => x.status !== 200);
  assertRefused(res, 'denied', 'poll after deny');
  assert.equal(res.body.reason, 'Not today');
  const list = await owner.get(`${room(r.slug)}/lobby`);
  assert.ok(!list.body?.waiting?.some((w) => w.id === k.lobby_id), `no longer waiting: ${describeRes(list)}`);
});

test('changing the access level re-evaluates who waits: restricted -> trusted -> public', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Gate', access: 'restricted' });
  const sam = await userClient(server, 'sam');
  const guest = guestClient(server);
  const ks = await knock(sam, r.slug, 'Sam');
  const kg = await knock(guest, r.slug, 'Guest');

  const toTrusted = await owner.patch(room(r.slug), { access: 'trusted' });
  assert.equal(toTrusted.status, 200, describeRes(toTrusted));
  assert.equal(toTrusted.body.access, 'trusted');
  const samIn = await pollUntil(sam, r.slug, ks.lobby_id, 'the signed-in knocker to be let in by "trusted"');
  assert.match(samIn.body.identity, /^u-/);
  const still = await poll(guest, r.slug, kg.lobby_id);
  assert.equal(still.body?.status, 'wait', `the guest still waits in a trusted room: ${describeRes(still)}`);
  assert.doesNotMatch(still.text, JWT_RE);

  const toPublic = await owner.patch(room(r.slug), { access: 'public' });
  assert.equal(toPublic.status, 200, describeRes(toPublic));
  const guestIn = await pollUntil(guest, r.slug, kg.lobby_id, 'the guest to be let in by "public"');
  assert.match(guestIn.body.identity, /^g-/);
});

test('a full room refuses the next joiner with room_full', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Small', access: 'public', max_participants: 2 });
  assert.equal(r.max_participants, 2);
  await connect(defer, await enter(owner, r.slug, 'Host'), 'host');
  await connect(defer, await enter(guestClient(server, 'g1'), r.slug, 'First'), 'first');
  const third = await joinRoom(guestClient(server, 'g2'), r.slug, 'Second');
  assertRefused(third, 'room_full', 'the third joiner of a room capped at 2');
});

test('a removed participant cannot come back: not with the old token, not with a new join', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Open', access: 'public' });
  const host = await connect(defer, await enter(owner, r.slug, 'Host'), 'host');
  const guest = guestClient(server);
  const answer = await enter(guest, r.slug, 'Troll');
  const troll = await connect(defer, answer, 'troll');
  const sid = troll.sid;
  await waitFor('the host to see the troll', () => host.remote(answer.identity), { timeout: JOIN_TIMEOUT });

  const rm = await owner.post(`${room(r.slug)}/participants/${encodeURIComponent(answer.identity)}/remove`, {});
  assert.ok(rm.status >= 200 && rm.status < 300, describeRes(rm));
  await waitFor('the troll to be disconnected', () => troll.seen('Disconnected').length > 0,
    { timeout: JOIN_TIMEOUT, detail: () => troll.history() });
  await waitFor('the host to see the troll leave', () => !host.remote(answer.identity), { timeout: JOIN_TIMEOUT });

  const again = await rtcAttempt(server, answer.token);
  assert.equal(again.admitted, false, `the old token does not join again: ${again.summary}`);
  const resume = await rtcAttempt(server, answer.token, { extra: `&reconnect=1&sid=${encodeURIComponent(sid)}` });
  assert.equal(resume.admitted, false, `the old token does not resume: ${resume.summary}`);
  assertRefused(await joinRoom(guest, r.slug, 'Troll again'), 'removed', 'a new join from the same browser');
  await observeFor(500);
  assert.ok(!host.remote(answer.identity), 'the troll is not back');
});

test('ending the meeting disconnects everyone and voids the tokens issued before', { skip: SKIP }, async ({ server, defer }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { name: 'Standup', access: 'public' });
  const hostAnswer = await enter(owner, r.slug, 'Host');
  const host = await connect(defer, hostAnswer, 'host');
  const guestAnswer = await enter(guestClient(server), r.slug, 'Guest');
  const guest = await connect(defer, guestAnswer, 'guest');
  const sids = { host: host.sid, guest: guest.sid };
  await waitFor('the host to see the guest', () => host.remote(guestAnswer.identity), { timeout: JOIN_TIMEOUT });

  const end = await owner.post(`${room(r.slug)}/end`, {});
  assert.ok(end.status >= 200 && end.status < 300, describeRes(end));
  for (const [who, p] of [['host', host], ['guest', guest]]) {
    const [d] = await waitFor(`the ${who} to be disconnected`, () => p.seen('Disconnected').length && p.seen('Disconnected'),
      { timeout: JOIN_TIMEOUT, detail: () => p.history() });
    assert.equal(d.arg, lk.DisconnectReason.ROOM_DELETED, `the ${who} left with ROOM_DELETED (${p.history()})`);
  }
  for (const [who, a] of [['host', hostAnswer], ['guest', guestAnswer]]) {
    const j = await rtcAttempt(server, a.token);
    assert.equal(j.admitted, false, `the ${who}'s old token does not join: ${j.summary}`);
    const res = await rtcAttempt(server, a.token, { extra: `&reconnect=1&sid=${encodeURIComponent(sids[who])}` });
    assert.equal(res.admitted, false, `the ${who}'s old token does not resume: ${res.summary}`);
  }
  await waitFor('the room to be inactive', async () => (await owner.get(room(r.slug))).body?.active === false, { timeout: 5000 });
});

// ---------------------------------------------------------------------------------------------
// Web security: CSRF, content types, rate limits, anonymous creation

test('a cookie-authenticated write without the right X-CSRF-Token answers 403 csrf_failed', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const session = owner.jar.get('parlons_session');
  assert.ok(session, 'login set parlons_session');
  assert.equal(session.attrs.httponly, true, 'parlons_session is HttpOnly');
  assert.match(String(session.attrs.samesite), /^lax$/i, 'parlons_session is SameSite=Lax');
  const r = await createRoom(owner, { name: 'Mine' });
  const other = await userClient(server, 'olga');
  const attempts = [
    ['POST', `${API}/rooms`, { name: 'no csrf' }],
    ['PATCH', room(r.slug), { name: 'renamed' }],
    ['POST', `${room(r.slug)}/join`, { name: 'x' }],
    ['DELETE', room(r.slug)],
    ['POST', `${API}/auth/logout`, {}],
  ];
  for (const [method, p, body] of attempts) {
    for (const [label, csrf] of [['no header', false], ['a wrong token', 'not-the-token'], ['another session\'s token', other.csrf]]) {
      const res = await owner.request(method, p, { body, csrf });
      assert.equal(res.status, 403, `${method} ${p} with ${label}: ${describeRes(res)}`);
      assert.equal(res.body?.code, 'csrf_failed', `${method} ${p} with ${label}: ${describeRes(res)}`);
    }
  }
  const still = await owner.get(room(r.slug));
  assert.equal(still.body?.name, 'Mine', 'nothing changed');
  assert.ok((await owner.me()).user, 'still signed in: the logout without a token did nothing');
  assert.equal((await owner.post(`${API}/rooms`, { name: 'with csrf' })).status, 201, 'with the token it works');
});

test('markup in names comes back as plain JSON strings; the API answers JSON, never HTML', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const evilRoom = '<script>alert("room")</script>';
  const evilName = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  const created = await owner.post(`${API}/rooms`, { name: evilRoom, access: 'trusted' });
  assert.equal(created.status, 201, describeRes(created));
  assertJson(created, 'POST /rooms');
  assert.equal(created.body.name, evilRoom);
  const shown = await guestClient(server).get(room(created.body.slug));
  assertJson(shown, 'GET /rooms/{slug}');
  assert.equal(shown.body.name, evilRoom, 'the name is returned as the same plain string');

  const guest = guestClient(server);
  const k = await joinRoom(guest, created.body.slug, evilName);
  assertJson(k, 'POST /join');
  const list = await owner.get(`${room(created.body.slug)}/lobby`);
  assertJson(list, 'GET /lobby');
  assert.equal(list.body.waiting?.[0]?.name, evilName, describeRes(list));
  const open = await createRoom(owner, { access: 'public' });
  const inside = await enter(guestClient(server), open.slug, evilName);
  assert.equal(decodeJwt(inside.token).name, evilName, 'the display name is a plain string in the token');

  // An unknown path under /api/ is not a page of the web client.
  const unknown = await guestClient(server).get(`${API}/no-such-endpoint`, { headers: { accept: 'text/html' } });
  assert.equal(unknown.status, 404, describeRes(unknown));
  assert.doesNotMatch(unknown.contentType, /html/i, `never HTML under /api/: ${describeRes(unknown)}`);
  assert.doesNotMatch(unknown.text, /^\s*</, `never HTML under /api/: ${describeRes(unknown)}`);
  for (const [method, p, opts] of [
    ['GET', `${API}/rooms/${encodeURIComponent('<script>x</script>')}`, {}],
    ['POST', `${room(open.slug)}/join`, { raw: '{"name": <script>', contentType: 'application/json' }],
    ['POST', `${room(open.slug)}/join`, { raw: '<html><body>hi</body></html>', contentType: 'text/html' }],
    ['GET', `${API}/me`, {}],
    ['GET', `${API}/config`, {}],
  ]) {
    const res = await guestClient(server).request(method, p, { ...opts, headers: { accept: 'text/html' } });
    assertJson(res, `${method} ${p}`);
    if (res.status >= 400) assert.ok(res.body.code, `an error has a code: ${describeRes(res)}`);
  }
});

test('login is rate-limited: 429 after a burst of failures, even for the right password', { skip: SKIP }, async ({ server }) => {
  const { username, password } = await server.admin();
  const c = guestClient(server, 'brute');
  const seen = [];
  let limited;
  for (let i = 0; i < 100 && !limited; i++) {
    const r = await c.post(`${API}/auth/login`, { username, password: `wrong-${i}` });
    seen.push(r.status);
    if (r.status === 429) limited = r;
    else assert.equal(r.status, 401, describeRes(r));
  }
  assert.ok(limited, `a 429 within 100 failed logins (saw ${seen.join(',')})`);
  assert.equal(limited.body?.code, 'rate_limited', describeRes(limited));
  const right = await c.post(`${API}/auth/login`, { username, password });
  assert.equal(right.status, 429, `the right password is refused too while limited: ${describeRes(right)}`);
});

test('joining is rate-limited: 429 after a burst', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { access: 'public' });
  const seen = [];
  let limited;
  for (let i = 0; i < 200 && !limited; i++) {
    const res = await joinRoom(guestClient(server), r.slug, `Guest ${i}`);
    seen.push(res.status);
    if (res.status === 429) limited = res;
    else assert.equal(res.status, 200, describeRes(res));
  }
  assert.ok(limited, `a 429 within 200 joins (saw ${[...new Set(seen)].join(',')})`);
  assert.equal(limited.body?.code, 'rate_limited', describeRes(limited));
  assert.doesNotMatch(limited.text, JWT_RE);
});

test('knocking is rate-limited: 429 after a burst', { skip: SKIP }, async ({ server }) => {
  const owner = await adminClient(server);
  const r = await createRoom(owner, { access: 'trusted' });
  const seen = [];
  let limited;
  for (let i = 0; i < 200 && !limited; i++) {
    const res = await joinRoom(guestClient(server), r.slug, `Knocker ${i}`);
    seen.push(res.status);
    if (res.status === 429) limited = res;
    else assert.equal(res.status, 202, describeRes(res));
  }
  assert.ok(limited, `a 429 within 200 knocks (saw ${[...new Set(seen)].join(',')})`);
  assert.equal(limited.body?.code, 'rate_limited', describeRes(limited));
  const list = await owner.get(`${room(r.slug)}/lobby`);
  const accepted = seen.filter((s) => s === 202).length;
  assert.ok(list.body?.waiting?.length <= accepted, `refused knocks left no lobby entry (${accepted} accepted): ${describeRes(list)}`);
});

test('without --dev, anonymous callers cannot create or list rooms (401)', { skip: SKIP }, async ({ server }) => {
  const anon = guestClient(server);
  const cfg = await anon.get(`${API}/config`);
  assert.equal(cfg.body?.dev, false, describeRes(cfg));
  assert.equal(cfg.body?.anonymous_rooms, false, describeRes(cfg));
  const create = await anon.post(`${API}/rooms`, { name: 'sneaky' });
  assert.equal(create.status, 401, describeRes(create));
  assert.equal(create.body?.code, 'unauthenticated', describeRes(create));
  const list = await anon.get(`${API}/rooms`);
  assert.equal(list.status, 401, describeRes(list));
  // A bearer token without roomCreate does not help either.
  const weak = apiJwt(server.apiKey, server.apiSecret, { roomList: true });
  const withWeak = await anon.post(`${API}/rooms`, { name: 'sneaky' }, { bearer: weak });
  assert.ok([401, 403].includes(withWeak.status), `bearer without roomCreate: ${describeRes(withWeak)}`);
  const strong = apiJwt(server.apiKey, server.apiSecret, { roomCreate: true });
  const withStrong = await anon.post(`${API}/rooms`, { name: 'by api' }, { bearer: strong });
  assert.equal(withStrong.status, 201, `bearer with roomCreate: ${describeRes(withStrong)}`);
});

test('room.allow_anonymous_create lets anyone create rooms without --dev', {
  skip: SKIP, server: { env: { PARLONS_ROOM__ALLOW_ANONYMOUS_CREATE: 'true' } },
}, async ({ server }) => {
  const anon = guestClient(server);
  assert.equal((await anon.get(`${API}/config`)).body?.anonymous_rooms, true);
  const r = await anon.post(`${API}/rooms`, { name: 'anyone' });
  assert.equal(r.status, 201, describeRes(r));
  assert.equal(r.body.my_role ?? null, null, 'an anonymous creator has no role');
});

test('API clients get scoped access tokens with the client-credentials grant', {
  skip: SKIP,
  server: {
    env: {
      PARLONS_API_CLIENTS__CALENDAR__SECRET: 'calendar-secret-0123456789',
      PARLONS_API_CLIENTS__CALENDAR__CREATE_ROOMS: 'true',
    },
  },
}, async ({ server }) => {
  const admin = await adminClient(server);
  const mine = await createRoom(admin, { name: 'In scope' });
  const other = await createRoom(admin, { name: 'Out of scope' });
  const anon = guestClient(server, 'service');
  const form = (fields) => new URLSearchParams(fields).toString();
  const tokenAt = (body, headers = {}) =>
    anon.post(`${API}/auth/token`, undefined, { raw: body, contentType: 'application/x-www-form-urlencoded', headers, csrf: false });

  const bad = await tokenAt(form({ grant_type: 'client_credentials', client_id: 'calendar', client_secret: 'wrong-secret-000000' }));
  assert.equal(bad.status, 401, describeRes(bad));
  assert.equal(bad.body?.error, 'invalid_client');
  const grant = await tokenAt(form({ grant_type: 'password' }));
  assert.equal(grant.status, 400, describeRes(grant));
  assert.equal(grant.body?.error, 'unsupported_grant_type');

  const basic = Buffer.from('calendar:calendar-secret-0123456789').toString('base64');
  const ok = await tokenAt(form({ grant_type: 'client_credentials' }), { Authorization: `Basic ${basic}` });
  assert.equal(ok.status, 200, describeRes(ok));
  assert.equal(ok.body.token_type, 'Bearer');
  const bearer = ok.body.access_token;

  // The client may create rooms (create_rooms) but is scoped to no room: it cannot moderate any.
  const created = await anon.post(`${API}/rooms`, { name: 'from calendar' }, { bearer });
  assert.equal(created.status, 201, describeRes(created));
  for (const slug of [mine.slug, other.slug]) {
    const r = await anon.request('PATCH', room(slug), { body: { locked: true }, bearer });
    assert.equal(r.status, 403, `out of scope: ${describeRes(r)}`);
  }
  const list = await anon.get(`${API}/rooms`, { bearer });
  assert.ok([401, 403].includes(list.status), `no roomList without the "*" scope: ${describeRes(list)}`);
  // Its token opens no meeting.
  assert.equal(decodeJwt(bearer).video?.roomJoin ?? false, false);
});

test('an API client scoped to one room administers that room only', {
  skip: SKIP,
  server: {
    env: {
      // Known slugs: with anonymous creation on, joining an unknown well-formed slug opens that room.
      PARLONS_ROOM__ALLOW_ANONYMOUS_CREATE: 'true',
      PARLONS_API_CLIENTS__BOT__SECRET: 'bot-secret-0123456789ab',
      PARLONS_API_CLIENTS__BOT__ROOMS: '["bot-room"]',
    },
  },
}, async ({ server }) => {
  const anon = guestClient(server, 'bot');
  for (const slug of ['bot-room', 'other-room']) await enter(guestClient(server), slug, 'Opener');
  const r = await anon.post(`${API}/auth/token`, { grant_type: 'client_credentials', client_id: 'bot', client_secret: 'bot-secret-0123456789ab' }, { csrf: false });
  assert.equal(r.status, 200, describeRes(r));
  const bearer = r.body.access_token;
  const inScope = await anon.request('PATCH', room('bot-room'), { body: { locked: true }, bearer });
  assert.equal(inScope.status, 200, describeRes(inScope));
  assert.equal(inScope.body.locked, true);
  const outOfScope = await anon.request('PATCH', room('other-room'), { body: { locked: true }, bearer });
  assert.equal(outOfScope.status, 403, describeRes(outOfScope));
  const del = await anon.del(room('bot-room'), { bearer });
  assert.ok([401, 403].includes(del.status), `no roomCreate, no delete: ${describeRes(del)}`);
});

// ---------------------------------------------------------------------------------------------
// Sign-in through a real OpenID Connect provider

describe('OIDC sign-in', { skip: SKIP }, () => {
  let idp;
  const oidc = useServer('access-oidc', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    idp = await startIdp({ port: 0, redirectUris: [`${base}/auth/callback`] });
    return { dev: false, requireManaged: true, httpPort: port, env: { ...idp.serverEnv(), PARLONS_HTTP__PUBLIC_URL: base } };
  });
  after(() => idp?.stop());

  oidc.test('the IdP login yields a session: name and email from the IdP, trusted rooms open directly', async ({ server }) => {
    const cfg = await guestClient(server).get(`${API}/config`);
    assert.ok(cfg.body?.auth?.oidc, `config announces OIDC: ${describeRes(cfg)}`);
    const { client, cookie, landed } = await oidcLogin(server.httpUrl, 'alice', { next: '/r/some-room' });
    assert.match(cookie, /^parlons_session=/);
    assert.equal(landed, `${server.httpUrl}/r/some-room`, 'sent back to next');
    const me = await client.me();
    assert.equal(me.user.name, 'Agent alice');
    assert.equal(me.user.email, 'alice@example.test');
    assert.equal(me.user.is_admin, false);
    const owner = await adminClient(server);
    const r = await createRoom(owner, { access: 'trusted' });
    const a = await enter(client, r.slug, 'ignored');
    assert.match(a.identity, /^u-/);
  });

  oidc.test('next= only redirects within the server (no open redirect)', async ({ server }) => {
    for (const next of ['https://evil.example/phish', '//evil.example/phish', '/\\evil.example/phish']) {
      const { landed } = await oidcLogin(server.httpUrl, 'mallory', { next });
      assert.equal(new URL(landed).origin, server.httpUrl, `next=${next} landed on ${landed}`);
    }
  });

  oidc.test('a forged callback signs nobody in', async ({ server }) => {
    const c = guestClient(server);
    const res = await c.get('/auth/callback?code=forged-code&state=forged-state');
    assert.equal(c.sessionCookie, null, `no session from a forged callback: ${describeRes(res)}`);
    const start = await c.get('/auth/oidc/login?next=/');
    assert.equal(start.status, 302, describeRes(start));
    const state = new URL(start.location).searchParams.get('state');
    const wrongCode = await c.get(`/auth/callback?code=forged-code&state=${encodeURIComponent(state)}&iss=${encodeURIComponent(idp.issuer)}`);
    assert.equal(c.sessionCookie, null, `no session with a real state and a forged code: ${describeRes(wrongCode)}`);
  });

  oidc.test('logout ends the session here and hands back the IdP\'s end-session URL', async ({ server }) => {
    const { client, cookie } = await oidcLogin(server.httpUrl, 'bea');
    const out = await client.post(`${API}/auth/logout`, {});
    assert.equal(out.status, 200, describeRes(out));
    assert.ok(out.body.redirect?.startsWith(`${idp.issuer}/`), `redirect to the IdP: ${describeRes(out)}`);
    assert.equal(client.sessionCookie, null, 'the cookie is cleared');
    const replay = await fetch(`${server.httpUrl}${API}/me`, { headers: { cookie } });
    assert.equal((await replay.json()).user, null, 'the old cookie no longer authenticates');
    const before = idp.events.filter((e) => e.event === 'end_session.success').length;
    const { landed } = await idpLogout(client, out.body.redirect);
    assert.equal(new URL(landed).origin, server.httpUrl, `back on the server after the IdP logout (${landed})`);
    assert.equal(idp.events.filter((e) => e.event === 'end_session.success').length, before + 1);
  });
});
