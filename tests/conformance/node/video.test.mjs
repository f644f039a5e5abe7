// Video: a published VP8 track reaches the other participants and decodes to moving frames.
import assert from 'node:assert/strict';
import { Track } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, expectAudio, expectSubscribed, expectVideo } from '../../lib/peers.mjs';

const { test } = useServer('conformance-video');

test('a 320x240 video without simulcast is decoded by the other participant', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const pub = await alice.publishPattern({ width: 320, height: 240, fps: 15, simulcast: false });
  assert.match(pub.trackSid, /^TR_/);
  const sub = await expectSubscribed(bob, 'alice', Track.Kind.Video, { trackSid: pub.trackSid });
  assert.equal(sub.source, Track.Source.Camera, 'the source travels in TrackInfo');
  const seen = await expectVideo(bob, 'alice', { count: 30 });
  assert.equal(seen.width, 320, 'decoded width');
  assert.equal(seen.height, 240, 'decoded height');
  assert.deepEqual(sub.dimensions, { width: 320, height: 240 }, 'TrackInfo width/height (from AddTrackRequest) reach the subscriber');
  t.diagnostic(`bob: ${JSON.stringify(seen)}`);
});

test('a simulcast 640x360 video is decoded by the other participant', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  const pub = await alice.publishPattern({ width: 640, height: 360, fps: 15, simulcast: true, maxBitrate: 800_000 });
  const sub = await expectSubscribed(bob, 'alice', Track.Kind.Video, { trackSid: pub.trackSid });
  t.diagnostic(`simulcasted=${sub.simulcasted} layers=${JSON.stringify(sub.trackInfo?.layers?.map((l) => [l.quality, l.width, l.height]))}`);
  // any layer will do: the server picks one per subscriber
  const seen = await expectVideo(bob, 'alice', { count: 30 });
  assert.ok(seen.width > 0 && seen.width <= 640, `decoded width ${seen.width} is one of the layers`);
  t.diagnostic(`bob: ${JSON.stringify(seen)}`);
});

test('two participants publish audio and video and each receives both of the other\'s tracks', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  await Promise.all([
    alice.publishTone({ frequency: 440 }), alice.publishPattern(),
    bob.publishTone({ frequency: 660 }), bob.publishPattern(),
  ]);
  const results = await Promise.all([
    expectAudio(alice, 'bob'), expectVideo(alice, 'bob'),
    expectAudio(bob, 'alice'), expectVideo(bob, 'alice'),
  ]);
  t.diagnostic(JSON.stringify(results));
});

test('three participants each receive the video of the two others', async ({ server, defer }) => {
  const { peers } = await connectPeers(server, defer, ['alice', 'bob', 'carol']);
  await Promise.all(Object.values(peers).map((p) => p.publishPattern()));
  const waits = [];
  for (const me of Object.values(peers)) {
    for (const other of Object.keys(peers)) if (other !== me.identity) waits.push(expectVideo(me, other, { count: 20 }));
  }
  await Promise.all(waits);
});
