// Leave: when a participant disconnects, the others see it go and lose its tracks.
import assert from 'node:assert/strict';
import { Track } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, expectSubscribed } from '../../lib/peers.mjs';
import { waitFor } from '../../lib/wait.mjs';

const { test } = useServer('conformance-leave');

test('the others see ParticipantDisconnected when a participant leaves', async ({ server, defer }) => {
  const { peers: { alice, bob, carol } } = await connectPeers(server, defer, ['alice', 'bob', 'carol']);
  await alice.room.disconnect();
  for (const p of [bob, carol]) {
    await waitFor(`${p.identity} to see ParticipantDisconnected for alice`, () => p.seen('ParticipantDisconnected', 'alice').length,
      { detail: () => p.history() });
    assert.deepEqual(p.remoteIdentities(), ['bob', 'carol'].filter((i) => i !== p.identity));
  }
  assert.equal(bob.room.state, 'connected', 'the others stay connected');
});

test('the tracks of a participant who leaves are unsubscribed', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const pub = await alice.publishTone();
  await expectSubscribed(bob, 'alice', Track.Kind.Audio, { trackSid: pub.trackSid });
  await alice.room.disconnect();
  await waitFor(`bob to see TrackUnsubscribed for ${pub.trackSid}`,
    () => bob.log.some((e) => e.event === 'TrackUnsubscribed' && e.trackSid === pub.trackSid),
    { detail: () => bob.history() });
});

test('a participant can leave and join the same room again', async ({ server, defer }) => {
  const { room, peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const firstSid = alice.sid;
  await alice.room.disconnect();
  await waitFor('bob to see alice leave', () => bob.seen('ParticipantDisconnected', 'alice').length, { detail: () => bob.history() });
  const { peers: { alice: again } } = await connectPeers(server, defer, ['alice'], { room });
  await waitFor('bob to see alice come back', () => bob.remote('alice')?.sid === again.sid, { detail: () => bob.history() });
  assert.notEqual(again.sid, firstSid, 'a new session gets a new participant sid');
});
