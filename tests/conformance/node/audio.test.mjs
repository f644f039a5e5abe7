// Audio: a published Opus track reaches the other participants and decodes to the tone we sent.
import assert from 'node:assert/strict';
import { Track } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, expectAudio, expectSubscribed } from '../../lib/peers.mjs';

const { test } = useServer('conformance-audio');

test('a published tone is decoded, non-silent, by the other participant', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const pub = await alice.publishTone();
  assert.match(pub.trackSid, /^TR_/, 'track_published gives a TR_ sid');
  const sub = await expectSubscribed(bob, 'alice', Track.Kind.Audio, { trackSid: pub.trackSid });
  assert.equal(sub.source, Track.Source.Microphone, 'the source travels in TrackInfo');
  const heard = await expectAudio(bob, 'alice', { count: 100 });
  t.diagnostic(`bob: ${JSON.stringify(heard)}`);
});

test('two participants publish audio and each hears the other', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  await Promise.all([alice.publishTone({ frequency: 440 }), bob.publishTone({ frequency: 660 })]);
  const [a, b] = await Promise.all([expectAudio(alice, 'bob'), expectAudio(bob, 'alice')]);
  t.diagnostic(`alice heard ${JSON.stringify(a)}; bob heard ${JSON.stringify(b)}`);
});

test('a participant who joins late receives a track published before', async ({ t, server, defer }) => {
  const { room, peers: { alice } } = await connectPeers(server, defer, ['alice']);
  await alice.publishTone();
  const { peers: { bob } } = await connectPeers(server, defer, ['bob'], { room });
  const heard = await expectAudio(bob, 'alice');
  t.diagnostic(`bob: ${JSON.stringify(heard)}`);
});
