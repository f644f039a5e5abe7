// Joining: two participants see each other, rooms are isolated, bad tokens are refused,
// a duplicate identity replaces the first connection.
import assert from 'node:assert/strict';
import { Peer, RoomEvent } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, JOIN_TIMEOUT } from '../../lib/peers.mjs';
import { uniqueRoom } from '../../lib/server.mjs';
import { waitFor, waitForEvent, withDeadline } from '../../lib/wait.mjs';

const { test } = useServer('conformance-join');

test('two participants join a room and see each other', async ({ server, defer }) => {
  const room = uniqueRoom('join');
  const alice = new Peer('alice');
  defer(() => alice.close());
  await withDeadline('alice to connect', alice.connect(server.wsUrl,
    await server.token({ identity: 'alice', room, name: 'Alice Test' })), JOIN_TIMEOUT);

  assert.equal(alice.room.state, 'connected');
  assert.match(alice.sid, /^PA_/, 'participant sid starts with PA_');
  assert.equal(alice.room.name, room, 'JoinResponse.room.name is the token\'s room');
  assert.ok(alice.room.serverInfo?.version, `server_info.version is non-empty (got ${JSON.stringify(alice.room.serverInfo)})`);
  assert.equal(alice.room.localParticipant.identity, 'alice');

  const bob = new Peer('bob');
  defer(() => bob.close());
  await withDeadline('bob to connect', bob.connect(server.wsUrl,
    await server.token({ identity: 'bob', room, name: 'Bob Test' })), JOIN_TIMEOUT);

  // bob learns about alice from JoinResponse.other_participants, alice about bob from an update
  const seenByBob = bob.remote('alice');
  assert.ok(seenByBob, `bob sees alice right after joining (sees [${bob.remoteIdentities()}])`);
  assert.equal(seenByBob.name, 'Alice Test', 'the token\'s name reaches the others');
  assert.match(seenByBob.sid, /^PA_/);
  assert.equal(seenByBob.sid, alice.sid, 'bob knows alice by the sid alice was given');
  await waitFor('alice to get ParticipantConnected for bob', () => alice.seen('ParticipantConnected', 'bob').length,
    { timeout: JOIN_TIMEOUT, detail: () => alice.history() });
  assert.equal(alice.remote('bob')?.name, 'Bob Test');
  assert.notEqual(alice.sid, bob.sid, 'participants get distinct sids');
});

test('the v0 path works directly (singlePeerConnection=false skips /rtc/v1)', async ({ server, defer }) => {
  const { peers } = await connectPeers(server, defer, ['alice', 'bob'], { roomOptions: { singlePeerConnection: false } });
  assert.equal(peers.alice.room.state, 'connected');
  assert.equal(peers.bob.room.state, 'connected');
});

test('participants in different rooms do not see each other', async ({ server, defer }) => {
  const { peers } = await connectPeers(server, defer, ['alice', 'bob']);
  const { peers: other } = await connectPeers(server, defer, ['carol']);
  // carol joined after alice and bob: she would have had them in JoinResponse.other_participants
  assert.deepEqual(other.carol.remoteIdentities(), [], 'carol (another room) sees nobody');
  assert.deepEqual(peers.alice.remoteIdentities(), ['bob'], 'alice sees only bob');
});

test('a token signed with the wrong secret is refused', async ({ t, server, defer }) => {
  const peer = new Peer('mallory');
  defer(() => peer.close());
  const { AccessToken } = await import('livekit-server-sdk');
  const at = new AccessToken(server.apiKey, `${server.apiSecret}-wrong`, { identity: 'mallory' });
  at.addGrant({ roomJoin: true, room: uniqueRoom('auth') });
  const started = Date.now();
  await assert.rejects(withDeadline('connect() with a badly signed token to fail',
    peer.room.connect(server.wsUrl, await at.toJwt()), JOIN_TIMEOUT), (e) => {
    assert.doesNotMatch(e.name ?? '', /DeadlineError/, 'connect() must fail, not hang');
    return true;
  });
  assert.notEqual(peer.room.state, 'connected');
  t.diagnostic(`refused in ${Date.now() - started} ms`);
});

test('a second connection with the same identity replaces the first', async ({ server, defer }) => {
  const { room, peers } = await connectPeers(server, defer, ['alice', 'bob']);
  const again = new Peer('alice');
  defer(() => again.close());
  const disconnected = waitForEvent(peers.alice.room, RoomEvent.Disconnected,
    'the first alice to be disconnected (duplicate identity)', { timeout: JOIN_TIMEOUT });
  await withDeadline('the second alice to connect', again.connect(server.wsUrl,
    await server.token({ identity: 'alice', room })), JOIN_TIMEOUT);
  await disconnected;
  await waitFor('bob to see exactly one alice, with the new sid', () =>
    peers.bob.remote('alice')?.sid === again.sid && peers.bob.remoteIdentities().length === 1,
  { timeout: JOIN_TIMEOUT, detail: () => `bob sees ${JSON.stringify([...peers.bob.room.remoteParticipants.values()].map((p) => [p.identity, p.sid]))}, new alice ${again.sid}` });
});
