// The product API hands out LiveKit URLs and tokens that the official SDK accepts.
import assert from 'node:assert/strict';
import { Peer } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { JOIN_TIMEOUT } from '../../lib/peers.mjs';
import { waitFor, withDeadline } from '../../lib/wait.mjs';

const { test } = useServer('conformance-product-api');

test('GET /healthz answers 200', async ({ server }) => {
  const r = await fetch(`${server.httpUrl}/healthz`);
  assert.equal(r.status, 200);
});

test('POST /api/v1/rooms creates a room with a slug and a link', async ({ server }) => {
  const r = await server.postJson('/api/v1/rooms', {});
  assert.equal(r.status, 201, `status (body: ${r.text.slice(0, 200)})`);
  assert.match(r.body?.slug ?? '', /^[A-Za-z0-9_-]+$/, 'slug is URL-safe');
  assert.ok(r.body.url.includes(r.body.slug), `url ${r.body.url} contains the slug`);
  const again = await server.createRoom();
  assert.notEqual(again.slug, r.body.slug, 'each room gets its own slug');
});

test('joining by slug gives a token that livekit-client accepts, and two joiners meet', async ({ server, defer }) => {
  const { slug } = await server.createRoom();
  const a = await server.joinRoom(slug, 'Alice');
  const b = await server.joinRoom(slug, 'Bob');
  assert.notEqual(a.identity, b.identity, 'two joiners get distinct identities');
  assert.match(a.url, /^wss?:\/\//, 'url is a ws(s):// LiveKit URL');
  const alice = new Peer(a.identity);
  const bob = new Peer(b.identity);
  defer(() => alice.close());
  defer(() => bob.close());
  await withDeadline('Alice to connect with the product token', alice.connect(a.url, a.token), JOIN_TIMEOUT);
  await withDeadline('Bob to connect with the product token', bob.connect(b.url, b.token), JOIN_TIMEOUT);
  assert.equal(alice.room.localParticipant.identity, a.identity);
  assert.equal(alice.room.localParticipant.name, 'Alice', 'the display name is in the token');
  await waitFor('Bob to see Alice', () => bob.remote(a.identity), { timeout: JOIN_TIMEOUT, detail: () => bob.history() });
  assert.equal(bob.remote(a.identity).name, 'Alice');
});

test('a malformed slug is refused with 404; in --dev an unknown well-formed slug opens a meeting', async ({ server }) => {
  const bad = await server.postJson('/api/v1/rooms/bad%2Fslug!/join', { name: 'Nobody' });
  assert.equal(bad.status, 404, `status (body: ${bad.text.slice(0, 200)})`);
  assert.equal(bad.body?.code, 'room_not_found');
  // --dev lets anyone create meetings, so a link to a meeting that is not running (e.g. after a
  // restart: rooms are not persisted yet) opens it again instead of failing.
  const r = await server.postJson('/api/v1/rooms/kept-link-0000/join', { name: 'Somebody' });
  assert.equal(r.status, 200, `status (body: ${r.text.slice(0, 200)})`);
  assert.ok(r.body?.token, 'a token is issued');
});
