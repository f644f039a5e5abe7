// Mute: a participant mutes and unmutes its tracks; the others see TrackMuted/TrackUnmuted.
import assert from 'node:assert/strict';
import { Track } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, expectAudio, expectSubscribed } from '../../lib/peers.mjs';
import { waitFor } from '../../lib/wait.mjs';

const { test } = useServer('conformance-mute');

async function muteRoundTrip(alice, bob, pub) {
  await pub.mute();
  await waitFor(`bob to see TrackMuted for alice's ${pub.kind} ${pub.trackSid}`,
    () => bob.log.some((e) => e.event === 'TrackMuted' && e.trackSid === pub.trackSid),
    { detail: () => bob.history() });
  const remote = bob.remote('alice').trackPublications.get(pub.trackSid);
  assert.equal(remote?.isMuted, true, 'the remote publication is muted');
  await pub.unmute();
  await waitFor(`bob to see TrackUnmuted for alice's ${pub.kind} ${pub.trackSid}`,
    () => bob.log.some((e) => e.event === 'TrackUnmuted' && e.trackSid === pub.trackSid),
    { detail: () => bob.history() });
  assert.equal(remote?.isMuted, false, 'the remote publication is unmuted');
}

test('muting and unmuting audio is seen by the other participant', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const pub = await alice.publishTone();
  await expectSubscribed(bob, 'alice', Track.Kind.Audio, { trackSid: pub.trackSid });
  await muteRoundTrip(alice, bob, pub);
  // and the audio comes back after the unmute
  await expectAudio(bob, 'alice', { count: 50 });
});

test('muting and unmuting video is seen by the other participant', async ({ server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const pub = await alice.publishPattern();
  await expectSubscribed(bob, 'alice', Track.Kind.Video, { trackSid: pub.trackSid });
  await muteRoundTrip(alice, bob, pub);
});

test('a participant joining after a mute sees the track as muted', async ({ server, defer }) => {
  const { room, peers: { alice } } = await connectPeers(server, defer, ['alice']);
  const pub = await alice.publishTone();
  await pub.mute();
  const { peers: { bob } } = await connectPeers(server, defer, ['bob'], { room });
  await waitFor('bob to know alice\'s muted track', () => bob.remote('alice')?.trackPublications.get(pub.trackSid),
    { detail: () => bob.history() });
  assert.equal(bob.remote('alice').trackPublications.get(pub.trackSid).isMuted, true,
    'TrackInfo.muted is true in the state a late joiner gets');
});
