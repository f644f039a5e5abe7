// Resume: the signal WebSocket drops (TCP reset, through a proxy we can cut, or the SDK's own
// simulated drop); the room reconnects and media and data flow again.
//
// PARLONS_TEST_RESUME=fallback accepts the fallback LiveKit uses when it cannot resume
// (leave{action: RECONNECT}: a full rejoin with a new participant sid, seen by the others as a leave
// and a join) and skips the full-resume test; the default expects a full resume.
import assert from 'node:assert/strict';
import { RoomEvent, Track } from '../../lib/lk-node.mjs';
import { useServer } from '../../lib/harness.mjs';
import { connectPeers, expectAudio, expectSubscribed, expectVideo } from '../../lib/peers.mjs';
import { startProxy } from '../../lib/tcp-proxy.mjs';
import { waitFor, waitForEvent } from '../../lib/wait.mjs';

const { test } = useServer('conformance-resume');
const FALLBACK_OK = process.env.PARLONS_TEST_RESUME === 'fallback';
const RECONNECT_TIMEOUT = 20_000;

/** alice (behind a proxy) and bob (direct) in one room; alice publishes a tone and a video. */
async function setup(server, defer, { video = true } = {}) {
  const proxy = await startProxy(server.wsUrl);
  defer(() => proxy.close());
  const room = `resume-${Math.random().toString(16).slice(2, 10)}`;
  const { peers: { alice } } = await connectPeers(server, defer, ['alice'], { room, url: proxy.wsUrl });
  const { peers: { bob } } = await connectPeers(server, defer, ['bob'], { room });
  const audio = await alice.publishTone();
  const vid = video ? await alice.publishPattern() : null;
  await expectAudio(bob, 'alice', { count: 20 });
  if (video) await expectVideo(bob, 'alice', { count: 10 });
  return { proxy, alice, bob, audio, vid };
}

async function cutAndWaitReconnected(alice, proxy) {
  const reconnected = waitForEvent(alice.room, RoomEvent.Reconnected, 'alice to emit Reconnected after the cut',
    { timeout: RECONNECT_TIMEOUT });
  const cut = proxy.cut();
  assert.ok(cut >= 1, `the proxy had an open signal connection to cut (had ${cut})`);
  await reconnected.catch((e) => {
    e.message += `; alice events: ${alice.history()}`;
    throw e;
  });
  assert.equal(alice.room.state, 'connected');
}

test('after the signal connection is cut the room reconnects and media and data flow again', async ({ t, server, defer }) => {
  const { proxy, alice, bob } = await setup(server, defer);
  const sidBefore = alice.sid;
  await cutAndWaitReconnected(alice, proxy);
  const mode = alice.sid === sidBefore ? 'full resume (same sid)' : `full rejoin (sid ${sidBefore} -> ${alice.sid})`;
  t.diagnostic(`reconnected by ${mode}; proxy accepted ${proxy.accepted} connections`);
  await expectAudio(bob, 'alice', { count: 50 });
  await expectVideo(bob, 'alice', { count: 15 });
  // data both ways after the reconnect
  await alice.sendText('after the cut, from alice', { reliable: true });
  await bob.sendText('after the cut, from bob', { reliable: true });
  await waitFor('data to flow both ways after the reconnect', () =>
    bob.data.some((d) => d.text === 'after the cut, from alice') && alice.data.some((d) => d.text === 'after the cut, from bob'),
  { detail: () => `alice got ${JSON.stringify(alice.data.map((d) => d.text))}, bob got ${JSON.stringify(bob.data.map((d) => d.text))}` });
});

test('a cut signal connection is resumed in place: same sid, same tracks, the others notice nothing',
  { skip: FALLBACK_OK && 'PARLONS_TEST_RESUME=fallback' }, async ({ server, defer }) => {
    const { proxy, alice, bob, audio, vid } = await setup(server, defer);
    const sidBefore = alice.sid;
    await cutAndWaitReconnected(alice, proxy);
    assert.equal(alice.sid, sidBefore, 'a resume keeps the participant sid (ReconnectResponse, not leave{RECONNECT})');
    assert.equal(alice.seen('Disconnected').length, 0, 'alice never went through Disconnected');
    await expectAudio(bob, 'alice', { count: 50 });
    await expectVideo(bob, 'alice', { count: 15 });
    assert.deepEqual(bob.seen('ParticipantDisconnected', 'alice'), [], 'bob never saw alice leave');
    assert.deepEqual(bob.seen('TrackUnsubscribed', 'alice'), [], 'bob never lost alice\'s tracks');
    const pubs = [...bob.remote('alice').trackPublications.keys()].sort();
    assert.deepEqual(pubs, [audio.trackSid, vid.trackSid].sort(), 'the same track sids as before the cut');
  });

test('the SDK\'s simulated signal drop (simulateScenario signal-reconnect) reconnects', async ({ t, server, defer }) => {
  const { peers: { alice, bob } } = await connectPeers(server, defer, ['alice', 'bob']);
  await alice.publishTone();
  await expectAudio(bob, 'alice', { count: 20 });
  const sidBefore = alice.sid;
  const reconnected = waitForEvent(alice.room, RoomEvent.Reconnected, 'alice to emit Reconnected', { timeout: RECONNECT_TIMEOUT });
  await alice.room.simulateScenario('signal-reconnect');
  await reconnected;
  t.diagnostic(alice.sid === sidBefore ? 'resumed (same sid)' : `rejoined (sid ${sidBefore} -> ${alice.sid})`);
  if (!FALLBACK_OK) {
    assert.equal(alice.sid, sidBefore, 'a resume keeps the participant sid');
    assert.deepEqual(bob.seen('ParticipantDisconnected', 'alice'), [], 'bob never saw alice leave');
  }
  await expectAudio(bob, 'alice', { count: 50 });
});

test('a subscriber whose signal connection is cut keeps receiving after the reconnect', async ({ server, defer }) => {
  const proxy = await startProxy(server.wsUrl);
  defer(() => proxy.close());
  const room = `resume-${Math.random().toString(16).slice(2, 10)}`;
  const { peers: { alice } } = await connectPeers(server, defer, ['alice'], { room });
  const { peers: { bob } } = await connectPeers(server, defer, ['bob'], { room, url: proxy.wsUrl });
  await alice.publishTone();
  await expectSubscribed(bob, 'alice', Track.Kind.Audio);
  await expectAudio(bob, 'alice', { count: 20 });
  await cutAndWaitReconnected(bob, proxy);
  await expectAudio(bob, 'alice', { count: 50 });
});
