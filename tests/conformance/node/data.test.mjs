// Data packets: relayed by the server between participants over the reliable and lossy channels,
// stamped with the sender's identity, and delivered only to destinationIdentities when given.
import assert from 'node:assert/strict';
import { DataPacket_Kind } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers } from '../../lib/peers.mjs';
import { observeFor, waitFor } from '../../lib/wait.mjs';

const { test } = useServer('conformance-data');
const texts = (peer) => peer.data.map((d) => d.text);

test('reliable data packets reach the other participant in order, with identity and topic', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const sent = ['one', 'two', 'three', 'four', 'five'].map((w) => `reliable ${w}`);
  for (const m of sent) await alice.sendText(m, { reliable: true, topic: 'chat' });
  await waitFor('bob to receive alice\'s 5 reliable packets', () => bob.data.length >= sent.length,
    { detail: () => `bob got ${JSON.stringify(texts(bob))}` });
  assert.deepEqual(texts(bob), sent, 'all packets, in order, nothing else');
  for (const d of bob.data) {
    assert.equal(d.from, 'alice', 'DataReceived names the sender (the server stamps participant_identity)');
    assert.equal(d.topic, 'chat');
    assert.equal(d.kind, DataPacket_Kind.RELIABLE);
  }
  assert.deepEqual(texts(alice), [], 'the sender does not get its own packets back');
});

test('lossy data packets reach the other participant', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const n = 20;
  for (let i = 0; i < n; i++) await alice.sendText(`lossy ${i}`, { reliable: false, topic: 'cursor' });
  // lossy may drop, but not on loopback at this rate: expect at least half
  await waitFor(`bob to receive at least ${n / 2} of ${n} lossy packets`, () => bob.data.length >= n / 2,
    { detail: () => `bob got ${bob.data.length}: ${JSON.stringify(texts(bob))}` });
  for (const d of bob.data) {
    assert.equal(d.from, 'alice');
    assert.equal(d.topic, 'cursor');
    assert.match(d.text, /^lossy \d+$/);
  }
  t.diagnostic(`${bob.data.length} of ${n} lossy packets arrived`);
});

test('a packet with destinationIdentities reaches only those participants', async ({ server, defer }) => {
  const { peers: { alice, bob, carol } } = await connectPeers(server, defer, ['alice', 'bob', 'carol']);
  await alice.sendText('for bob only', { reliable: true, destinationIdentities: ['bob'] });
  await alice.sendText('for everybody', { reliable: true });
  await waitFor('bob to receive both packets', () => bob.data.length >= 2, { detail: () => JSON.stringify(texts(bob)) });
  // carol's channel works (she gets the broadcast, sent after the targeted packet on the same ordered
  // channel), so not getting the targeted one means the server filtered it
  await waitFor('carol to receive the broadcast packet', () => texts(carol).includes('for everybody'),
    { detail: () => JSON.stringify(texts(carol)) });
  assert.deepEqual(texts(bob), ['for bob only', 'for everybody']);
  assert.deepEqual(texts(carol), ['for everybody'], 'carol must not receive a packet addressed to bob');
});

test('a 15 KiB reliable packet arrives intact', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const big = Array.from({ length: 15 * 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
  await alice.sendText(big, { reliable: true, topic: 'big' });
  await waitFor('bob to receive the 15 KiB packet', () => bob.data.length >= 1);
  assert.equal(bob.data[0].text.length, big.length, 'length');
  assert.ok(bob.data[0].text === big, 'content');
});

test('data flows both ways', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  await alice.sendText('ping from alice', { reliable: true });
  await bob.sendText('pong from bob', { reliable: true });
  await waitFor('both packets to arrive', () => bob.data.length >= 1 && alice.data.length >= 1,
    { detail: () => `alice got ${JSON.stringify(texts(alice))}, bob got ${JSON.stringify(texts(bob))}` });
  assert.deepEqual(texts(bob), ['ping from alice']);
  assert.deepEqual(texts(alice), ['pong from bob']);
  assert.equal(alice.data[0].from, 'bob');
  // nothing else arrives afterwards (no echo, no duplicates)
  await observeFor(500);
  assert.equal(bob.data.length + alice.data.length, 2, 'no duplicates or echoes');
});

test('a text stream (sendText on lk.chat, as the web client chats) reaches the other participant', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const got = [];
  bob.room.registerTextStreamHandler('lk.chat', async (reader, from) => {
    got.push({ text: await reader.readAll(), from: from.identity });
  });
  const long = 'long message '.repeat(2000); // ~26 KB: several stream chunks
  await alice.room.localParticipant.sendText('bonjour tout le monde', { topic: 'lk.chat' });
  await alice.room.localParticipant.sendText(long, { topic: 'lk.chat' });
  await waitFor('bob to read both text streams', () => got.length >= 2, { detail: () => JSON.stringify(got.map((g) => g.text.slice(0, 40))) });
  assert.deepEqual(got.map((g) => g.from), ['alice', 'alice']);
  assert.equal(got[0].text, 'bonjour tout le monde');
  assert.equal(got[1].text, long, 'a multi-chunk stream arrives whole');
});

test('an RPC call from one participant is answered by the other', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  bob.room.localParticipant.registerRpcMethod('greet', async (data) => `hello ${data.payload}, from ${data.callerIdentity}?`);
  const answer = await alice.room.localParticipant.performRpc({ destinationIdentity: 'bob', method: 'greet', payload: 'bob', responseTimeout: 8000 });
  assert.equal(answer, 'hello bob, from alice?');
});
