// Building blocks for conformance tests: connect a set of Node participants to one fresh room and
// wait for the things everybody waits for.
import { Peer, Track } from './lk-node.mjs';
import { uniqueRoom } from './server.mjs';
import { waitFor, withDeadline } from './wait.mjs';

export const JOIN_TIMEOUT = 15_000;
export const MEDIA_TIMEOUT = 20_000;

/**
 * Connects one Peer per identity, in order, to a fresh room (or `room`), and waits until each sees
 * all the others. `url` overrides the server URL (a proxy). Every peer is closed by `defer`.
 */
export async function connectPeers(server, defer, identities, { room = uniqueRoom('conf'), url, roomOptions, names = {}, grant = {} } = {}) {
  const peers = {};
  for (const identity of identities) {
    const peer = new Peer(identity, roomOptions);
    defer(() => peer.close());
    const token = await server.token({ identity, room, name: names[identity] ?? `${identity} (test)`, grant });
    await withDeadline(`${identity} to connect to room ${room} at ${url ?? server.wsUrl}`,
      peer.connect(url ?? server.wsUrl, token), JOIN_TIMEOUT);
    peers[identity] = peer;
  }
  for (const peer of Object.values(peers)) {
    const others = identities.filter((i) => i !== peer.identity).sort();
    await waitFor(`${peer.identity} to see ${others.join(', ') || 'nobody'} in room ${room}`,
      () => others.every((o) => peer.remote(o)), { timeout: JOIN_TIMEOUT,
        detail: () => `sees [${peer.remoteIdentities().join(', ')}]; events: ${peer.history()}` });
  }
  return { room, peers };
}

/**
 * Baselines of every meter of `listener` now, keyed by track sid, so waits count frames decoded
 * from the moment they start (a resumed track keeps its meter; a republished one gets a new one).
 */
function baseline(listener) {
  const b = new Map();
  for (const [sid, m] of [...listener.audio, ...listener.video]) b.set(sid, m.snapshot());
  return b;
}

function growth(listener, identity, kind, base) {
  const pub = listener.subscribedOf(identity, kind)[0];
  if (!pub) return undefined;
  const m = (kind === Track.Kind.Audio ? listener.audio : listener.video).get(pub.trackSid);
  if (!m) {
    return { trackSid: pub.trackSid, problem: `publication is ${kind} but its media track is ${pub.track?.mediaStreamTrack?.kind}` };
  }
  const now = m.snapshot();
  const b = base.get(pub.trackSid) ?? { frames: 0, loud: 0, changed: 0 };
  const g = { trackSid: pub.trackSid, ...now, newFrames: now.frames - b.frames };
  if (kind === Track.Kind.Audio) g.newLoud = now.loud - b.loud;
  else g.newChanged = now.changed - b.changed;
  return g;
}

/** What `listener` knows of `identity`'s publications, for failure messages. */
export function describeRemote(listener, identity) {
  const p = listener.remote(identity);
  if (!p) return `${listener.identity} does not know ${identity} (sees [${listener.remoteIdentities()}])`;
  const pubs = [...p.trackPublications.values()].map((pub) =>
    `${pub.trackSid} ${pub.kind} ${pub.source} subscribed=${pub.isSubscribed} track=${pub.track ? pub.track.mediaStreamTrack?.kind : 'none'}${pub.isMuted ? ' muted' : ''}`);
  return `${identity} (${p.sid}) publications: [${pubs.join('; ') || 'none'}]`;
}

/** Waits until `listener` has decoded `count` more non-silent audio frames from `identity`. */
export async function expectAudio(listener, identity, { count = 100, timeout = MEDIA_TIMEOUT } = {}) {
  const base = baseline(listener);
  return waitFor(`${listener.identity} to decode ${count} non-silent audio frames from ${identity}`, () => {
    const g = growth(listener, identity, Track.Kind.Audio, base);
    return g?.newLoud >= count && g;
  }, { timeout, detail: () => `meter ${JSON.stringify(growth(listener, identity, Track.Kind.Audio, base) ?? 'no subscribed audio track')}; ${describeRemote(listener, identity)}; events: ${listener.history()}` });
}

/** Waits until `listener` has decoded `count` more changing video frames (width > 0) from `identity`. */
export async function expectVideo(listener, identity, { count = 30, timeout = MEDIA_TIMEOUT } = {}) {
  const base = baseline(listener);
  return waitFor(`${listener.identity} to decode ${count} changing video frames (width > 0) from ${identity}`, () => {
    const g = growth(listener, identity, Track.Kind.Video, base);
    return g?.width > 0 && g.newChanged >= count && g;
  }, { timeout, detail: () => `meter ${JSON.stringify(growth(listener, identity, Track.Kind.Video, base) ?? 'no subscribed video track')}; ${describeRemote(listener, identity)}; events: ${listener.history()}` });
}

/** Waits until `listener` has a subscribed track of `kind` from `identity`; resolves with the publication. */
export async function expectSubscribed(listener, identity, kind, { timeout = MEDIA_TIMEOUT, trackSid } = {}) {
  return waitFor(`${listener.identity} to subscribe to ${identity}'s ${kind} track${trackSid ? ` ${trackSid}` : ''}`, () =>
    listener.subscribedOf(identity, kind).find((p) => !trackSid || p.trackSid === trackSid),
  { timeout, detail: () => `${describeRemote(listener, identity)}; events: ${listener.history()}` });
}
