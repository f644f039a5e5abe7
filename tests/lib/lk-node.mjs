// livekit-client 2.23.0 running in Node 20 on @roamhq/wrtc 0.10.0, plus synthetic media:
// a sine tone (RTCAudioSource), a moving I420 pattern (RTCVideoSource), and meters that count what a
// subscriber really decodes (RTCAudioSink, RTCVideoSink).
//
// Import this module before anything else that imports livekit-client: it installs the browser
// globals the SDK expects. Node 20 needs `--experimental-websocket` for the global WebSocket.
import { after } from 'node:test';
import wrtc from '@roamhq/wrtc';

if (typeof WebSocket === 'undefined') {
  throw new Error('no global WebSocket: run Node 20 with --experimental-websocket (or Node >= 22)');
}

// --- make @roamhq/wrtc look enough like a browser for livekit-client ---

// Every PeerConnection the SDK creates, so none outlives the test file: a failed connect() can
// leave one open, and an open wrtc PeerConnection keeps the process alive.
const allPeerConnections = new Set();
class TrackedPeerConnection extends wrtc.RTCPeerConnection {
  constructor(...args) {
    super(...args);
    allPeerConnections.add(this);
  }

  // wrtc keeps reporting signalingState 'stable' after close(): remember it ourselves
  close() {
    this.closedByClient = true;
    return super.close();
  }

  get isClosed() {
    return this.closedByClient || this.signalingState === 'closed' || this.connectionState === 'closed';
  }
}
// When a test ends it disconnects its rooms while the server may still have an offer in flight;
// the SDK then calls createAnswer() on the closed PeerConnection and leaves the rejection
// unhandled, which node:test reports as a failure of the whole file. Operations on a closed
// PeerConnection (teardown) therefore never settle instead of rejecting.
for (const m of ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate']) {
  const native = wrtc.RTCPeerConnection.prototype[m];
  TrackedPeerConnection.prototype[m] = function closedIsQuiet(...args) {
    if (this.isClosed) return new Promise(() => {});
    const before = this.signalingState;
    return native.apply(this, args).catch((e) => {
      if (this.isClosed) return new Promise(() => {});
      if (process.env.LK_TRACE) console.error(`[lk-node] ${m} failed in state ${before} -> ${this.signalingState} (closed=${this.isClosed}, conn=${this.connectionState}, ice=${this.iceConnectionState}): ${e.message}`);
      throw e;
    });
  };
}
globalThis.RTCPeerConnection = TrackedPeerConnection;
/** Closes every PeerConnection still open; returns how many there were. */
export function closeAllPeerConnections() {
  let n = 0;
  for (const pc of allPeerConnections) {
    if (!pc.isClosed) {
      n++;
      try { pc.close(); } catch { /* already gone */ }
    }
  }
  allPeerConnections.clear();
  return n;
}
after(() => {
  const n = closeAllPeerConnections();
  if (n) console.error(`[lk-node] closed ${n} PeerConnection(s) left open by the SDK`);
});

for (const k of ['RTCSessionDescription', 'RTCIceCandidate', 'MediaStream',
  'MediaStreamTrack', 'RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver', 'RTCDataChannel']) {
  if (wrtc[k] && !globalThis[k]) globalThis[k] = wrtc[k];
}
globalThis.navigator ??= { userAgent: 'node' };
{
  // wrtc's MediaStreamTrack lacks these; livekit-client calls them on every local track.
  const P = wrtc.MediaStreamTrack.prototype;
  P.getConstraints ??= function getConstraints() { return {}; };
  P.applyConstraints ??= async function applyConstraints() {};
  P.getCapabilities ??= function getCapabilities() { return {}; };
  P.addEventListener ??= function addEventListener() {};
  P.removeEventListener ??= function removeEventListener() {};
}
// node:test pins any unhandled rejection on the running test. Two kinds come from the SDK, not
// from the server under test, and are only logged:
// - wrtc's "Not yet implemented" (RTCRtpSender/Receiver.getStats, polled by the SDK);
// - a negotiation that was in flight when a test disconnected its rooms: the SDK keeps answering
//   the server's last offer on a PeerConnection it has just replaced, and leaves the
//   InvalidStateError/NegotiationError unhandled. Recognised by happening within 3 s of a
//   Peer.close(); the same error at any other time still fails the test.
let lastCloseAt = 0;
export function noteTeardown() {
  lastCloseAt = Date.now();
}
const NEGOTIATION_RACE = /wrong state|cannot create an? (answer|offer) in a state|closed/i;
function ignorable(e) {
  const msg = String(e?.message ?? e);
  if (msg.includes('Not yet implemented')) return 'wrtc gap';
  if (Date.now() - lastCloseAt < 3000 && (e?.name === 'InvalidStateError' || e?.name === 'NegotiationError'
    || NEGOTIATION_RACE.test(msg))) return 'negotiation in flight at teardown';
  return null;
}
{
  const runnerListeners = process.listeners('unhandledRejection'); // node:test's (installed by after() above)
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', (reason, promise) => {
    const why = ignorable(reason);
    if (why) {
      if (why !== 'wrtc gap') console.error(`[lk-node] ignored SDK error (${why}): ${reason?.name}: ${reason?.message}`);
      return;
    }
    if (runnerListeners.length === 0) console.error('[lk-node] unhandled rejection:', reason?.stack ?? reason);
    for (const l of runnerListeners) l.call(process, reason, promise);
  });
}
// wrtc 0.10.0 segfaults in its native teardown when the process exits after media sources were
// created, which `node --test` would report as a failed file. Leave without that teardown, keeping
// the exit code the test runner chose.
process.on('exit', (code) => {
  if (typeof process.reallyExit === 'function') process.reallyExit(code ?? process.exitCode ?? 0);
});

const lk = await import('livekit-client');
export { lk, wrtc };

// wrtc's RTCRtpSender/Receiver.getStats reject with "Not yet implemented" (and are read-only), and
// livekit-client polls them from background loops, whose rejections node:test would pin on the
// running test. Make the SDK's stats helpers answer "no stats" instead.
for (const cls of [lk.RemoteAudioTrack, lk.RemoteVideoTrack, lk.LocalAudioTrack, lk.LocalVideoTrack, lk.RemoteTrack, lk.LocalTrack]) {
  for (let proto = cls?.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const m of ['getReceiverStats', 'getSenderStats', 'getRTCStatsReport']) {
      const own = Object.getOwnPropertyDescriptor(proto, m);
      if (!own || typeof own.value !== 'function' || own.value.__parlonsWrapped) continue;
      const original = own.value;
      const wrapped = async function statsWithoutWrtcGaps(...args) {
        try {
          return await original.apply(this, args);
        } catch (e) {
          if (String(e?.message ?? e).includes('Not yet implemented')) return undefined;
          throw e;
        }
      };
      wrapped.__parlonsWrapped = true;
      Object.defineProperty(proto, m, { ...own, value: wrapped });
    }
  }
}
export const { Room, RoomEvent, Track, LocalAudioTrack, LocalVideoTrack, DataPacket_Kind, ConnectionState } = lk;
// One compact line per SDK log message (stderr); LKLOG=debug|info|warn|error|silent picks the level
// (default warn), LKLOG_FULL=1 prints the SDK's whole context objects.
for (const name of Object.values(lk.LoggerNames)) {
  const logger = lk.getLogger(name);
  logger.methodFactory = (method) => (msg, ctx) => {
    if (process.env.LKLOG_FULL) {
      console.error(`[lk ${method}]`, msg, ctx ?? '');
      return;
    }
    const who = ctx?.participant ? `${ctx.participant}: ` : '';
    const why = ctx?.error?.message ?? ctx?.reason ?? ctx?.error ?? '';
    console.error(`[lk ${method}] ${who}${msg}${why ? ` (${String(why).slice(0, 200)})` : ''}`);
  };
  logger.setLevel(logger.getLevel());
}
lk.setLogLevel(process.env.LKLOG || 'warn');

/**
 * Room options for every participant. LK_SINGLE_PC=0 sets singlePeerConnection=false, which skips
 * the v1 attempt and goes straight to /rtc (what our web client does); by default the SDK tries
 * /rtc/v1 first and falls back to v0 on the 404, as third-party apps do.
 */
export function defaultRoomOptions() {
  const o = { adaptiveStream: false, dynacast: false };
  if (process.env.LK_SINGLE_PC === '0') o.singlePeerConnection = false;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Synthetic media

/** A 48 kHz mono sine tone pushed in 10 ms chunks into an RTCAudioSource. */
export class ToneSource {
  constructor({ frequency = 440, amplitude = 8000 } = {}) {
    this.source = new wrtc.nonstandard.RTCAudioSource();
    this.track = this.source.createTrack();
    const n = 480;
    this.samples = new Int16Array(n);
    let phase = 0;
    const step = (2 * Math.PI * frequency) / 48000;
    // 10 ms of 440 Hz is 4.4 periods: precompute a few chunks so the tone stays continuous enough.
    this.chunks = [];
    for (let c = 0; c < 50; c++) {
      const s = new Int16Array(n);
      for (let i = 0; i < n; i++) s[i] = Math.round(amplitude * Math.sin((phase += step)));
      this.chunks.push(s);
    }
    let k = 0;
    this.timer = setInterval(() => {
      this.source.onData({ samples: this.chunks[k++ % this.chunks.length], sampleRate: 48000,
        bitsPerSample: 16, channelCount: 1, numberOfFrames: n });
    }, 10);
  }

  stop() {
    clearInterval(this.timer);
    this.track.stop();
  }
}

/** I420 frames with a moving pattern (a sliding luma ramp and a bright bar), pushed at `fps`. */
export class PatternVideoSource {
  constructor({ width = 320, height = 240, fps = 15 } = {}) {
    this.width = width;
    this.height = height;
    this.fps = fps;
    this.source = new wrtc.nonstandard.RTCVideoSource();
    this.track = this.source.createTrack();
    // wrtc reports a fixed 640x480 for any RTCVideoSource track; livekit-client sizes its encodings
    // from getSettings(), so tell it the truth.
    Object.defineProperty(this.track, 'getSettings', { configurable: true, value: () => ({ width, height,
      frameRate: fps, aspectRatio: width / height, deviceId: 'parlons-pattern', groupId: 'parlons-test' }) });
    this.frames = 0;
    const ySize = width * height;
    this.data = new Uint8ClampedArray(ySize * 1.5);
    this.timer = setInterval(() => this.push(), Math.round(1000 / fps));
    this.push();
  }

  push() {
    const { width, height, data } = this;
    const t = this.frames++;
    const bar = (t * 4) % width;
    for (let y = 0; y < height; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) {
        data[row + x] = Math.abs(x - bar) < 12 ? 235 : (x + y + t * 3) & 0xff;
      }
    }
    const ySize = width * height;
    data.fill(90 + (t % 60), ySize, ySize + ySize / 4); // U
    data.fill(160, ySize + ySize / 4); // V
    this.source.onFrame({ width, height, data });
  }

  stop() {
    clearInterval(this.timer);
    this.track.stop();
  }
}

/** Counts decoded audio frames of a remote track, and those that are not silent. */
export class AudioMeter {
  constructor(mediaStreamTrack, { threshold = 1000 } = {}) {
    this.frames = 0;
    this.loud = 0;
    this.peak = 0;
    this.sink = new wrtc.nonstandard.RTCAudioSink(mediaStreamTrack);
    this.sink.ondata = ({ samples }) => {
      this.frames++;
      let max = 0;
      for (let i = 0; i < samples.length; i++) {
        const v = Math.abs(samples[i]);
        if (v > max) max = v;
      }
      if (max > this.peak) this.peak = max;
      if (max > threshold) this.loud++;
    };
  }

  snapshot() {
    return { frames: this.frames, loud: this.loud, peak: this.peak };
  }

  stop() {
    this.sink.stop();
  }
}

/** Counts decoded video frames of a remote track, their size, and how many differ from the last. */
export class VideoMeter {
  constructor(mediaStreamTrack) {
    this.frames = 0;
    this.changed = 0;
    this.width = 0;
    this.height = 0;
    this.lastSum = -1;
    this.sink = new wrtc.nonstandard.RTCVideoSink(mediaStreamTrack);
    this.sink.onframe = ({ frame }) => {
      this.frames++;
      this.width = frame.width;
      this.height = frame.height;
      // a cheap fingerprint of the luma plane: the moving pattern makes it change every frame
      let sum = 0;
      const d = frame.data;
      for (let i = 0; i < frame.width * frame.height; i += 97) sum = (sum + d[i] * (i & 0xff)) >>> 0;
      if (sum !== this.lastSum) this.changed++;
      this.lastSum = sum;
    };
  }

  snapshot() {
    return { frames: this.frames, changed: this.changed, width: this.width, height: this.height };
  }

  stop() {
    this.sink.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// A participant: a Room plus a record of everything it saw.

const SEEN = [
  'ParticipantConnected', 'ParticipantDisconnected', 'TrackPublished', 'TrackUnpublished',
  'TrackSubscribed', 'TrackUnsubscribed', 'TrackSubscriptionFailed', 'TrackMuted', 'TrackUnmuted',
  'DataReceived', 'SignalReconnecting', 'Reconnecting', 'Reconnected', 'Disconnected',
  'ConnectionStateChanged',
];

export class Peer {
  constructor(identity, roomOptions = {}) {
    this.identity = identity;
    this.room = new Room({ ...defaultRoomOptions(), ...roomOptions });
    /** every event seen, in order: {event, at, ...details} */
    this.log = [];
    this.data = [];
    /** meters keyed by remote track sid */
    this.audio = new Map();
    this.video = new Map();
    this.sources = [];
    this.t0 = Date.now();
    for (const name of SEEN) {
      this.room.on(RoomEvent[name], (...args) => this.record(name, args));
    }
    this.room.on(RoomEvent.TrackSubscribed, (track, pub) => {
      if (track.kind === Track.Kind.Audio) this.audio.set(pub.trackSid, new AudioMeter(track.mediaStreamTrack));
      if (track.kind === Track.Kind.Video) this.video.set(pub.trackSid, new VideoMeter(track.mediaStreamTrack));
    });
    this.room.on(RoomEvent.TrackUnsubscribed, (_track, pub) => {
      this.audio.get(pub.trackSid)?.stop();
      this.video.get(pub.trackSid)?.stop();
    });
    this.room.on(RoomEvent.DataReceived, (payload, participant, kind, topic) => {
      this.data.push({ text: new TextDecoder().decode(payload), from: participant?.identity, kind, topic });
    });
  }

  record(event, args) {
    const e = { event, at: Date.now() - this.t0 };
    for (const a of args) {
      if (a?.identity !== undefined && a?.sid !== undefined) e.participant = a.identity;
      if (a?.trackSid !== undefined) e.trackSid = a.trackSid;
      if (a?.kind !== undefined && typeof a.kind === 'string' && a.trackSid === undefined && a.sid === undefined) e.kind = a.kind;
    }
    if (event === 'ConnectionStateChanged' || event === 'Disconnected') e.arg = args[0];
    this.log.push(e);
    if (process.env.LK_TRACE) console.log(`[${this.identity}] ${JSON.stringify(e)}`);
  }

  /** Events named `event`, optionally only those about participant `identity`. */
  seen(event, identity) {
    return this.log.filter((e) => e.event === event && (identity === undefined || e.participant === identity));
  }

  /** The recent event log, for failure messages. */
  history(n = 25) {
    return this.log.slice(-n).map((e) => `${e.at}ms ${e.event}${e.participant ? ` ${e.participant}` : ''}${e.trackSid ? ` ${e.trackSid}` : ''}${e.arg !== undefined ? ` ${e.arg}` : ''}`).join('; ');
  }

  async connect(url, token, connectOptions) {
    await this.room.connect(url, token, connectOptions);
    return this;
  }

  get sid() {
    return this.room.localParticipant.sid;
  }

  remote(identity) {
    return [...this.room.remoteParticipants.values()].find((p) => p.identity === identity);
  }

  remoteIdentities() {
    return [...this.room.remoteParticipants.values()].map((p) => p.identity).sort();
  }

  /** Subscribed remote publications of `identity` of the given kind (those with a track). */
  subscribedOf(identity, kind) {
    const p = this.remote(identity);
    if (!p) return [];
    return [...p.trackPublications.values()].filter((pub) => pub.kind === kind && pub.isSubscribed && pub.track);
  }

  /** The audio/video meter of the first subscribed track of `identity` of `kind`, if any. */
  meterOf(identity, kind) {
    const pub = this.subscribedOf(identity, kind)[0];
    if (!pub) return undefined;
    return (kind === Track.Kind.Audio ? this.audio : this.video).get(pub.trackSid);
  }

  async publishTone(opts = {}) {
    const tone = new ToneSource(opts);
    this.sources.push(tone);
    const track = new LocalAudioTrack(tone.track, undefined, true);
    return this.room.localParticipant.publishTrack(track, { name: 'tone', source: Track.Source.Microphone,
      dtx: false, red: opts.red ?? true, ...opts.publish });
  }

  async publishPattern(opts = {}) {
    const video = new PatternVideoSource(opts);
    this.sources.push(video);
    const track = new LocalVideoTrack(video.track, undefined, true);
    return this.room.localParticipant.publishTrack(track, {
      name: 'pattern', source: opts.source ?? Track.Source.Camera, simulcast: opts.simulcast ?? false,
      videoCodec: opts.codec ?? 'vp8',
      videoEncoding: { maxBitrate: opts.maxBitrate ?? 400_000, maxFramerate: video.fps },
      ...opts.publish,
    });
  }

  async sendText(text, options) {
    await this.room.localParticipant.publishData(new TextEncoder().encode(text), options);
  }

  async close() {
    noteTeardown();
    try {
      // also after a failed connect(), which can leave the engine's PeerConnections behind
      await this.room.disconnect();
    } finally {
      for (const s of this.sources) s.stop();
      for (const m of [...this.audio.values(), ...this.video.values()]) m.stop();
      this.sources = [];
    }
  }
}
