// Headless Debian Chromium driven by playwright-core (no browser download), one browser context
// per simulated participant, with every RTCPeerConnection the app creates recorded in
// `window.__pcs` so the tests can read WebRTC stats.
//
// Env: CHROMIUM (default /usr/bin/chromium), E2E_HEADED=1 (debug only: needs a display).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { artifactPath, slugify } from '../../lib/server.mjs';
import { waitFor } from '../../lib/wait.mjs';

/** Flags from docs/testing.md §2; the fake UI also answers getDisplayMedia with a fake screen. */
export const CHROMIUM_ARGS = [
  '--use-fake-device-for-media-stream', // fake camera (green frame, timer) and microphone (beeps)
  '--use-fake-ui-for-media-stream', // accepts camera/mic prompts and picks a screen for getDisplayMedia
  '--allow-loopback-in-peer-connection', // without it ICE gathers no candidates on loopback
  '--autoplay-policy=no-user-gesture-required', // remote audio plays, so inbound audio is pulled
  '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic',
  '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

/**
 * Launches Chromium with CHROMIUM_ARGS and `args` after them, e.g.
 * `--use-file-for-fake-audio-capture=<16-bit PCM WAV>` (looped) for a microphone of one's own.
 */
export async function launchBrowser({ args = [] } = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath}: run tests/setup.sh (apt chromium) or set CHROMIUM`);
  }
  return chromium.launch({ executablePath, headless: !process.env.E2E_HEADED, args: [...CHROMIUM_ARGS, ...args] });
}

// Runs in the page before any script: record every PeerConnection the app (livekit-client) makes.
function recordPeerConnections() {
  const Native = window.RTCPeerConnection;
  window.__pcs = [];
  class Recorded extends Native {
    constructor(...args) {
      super(...args);
      window.__pcs.push(this);
    }
  }
  window.RTCPeerConnection = Recorded;
  window.webkitRTCPeerConnection = Recorded;
}

/** A participant: its own browser context and page, and the page's console for failure reports. */
export class BrowserParticipant {
  static async open(browser, label) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, permissions: ['camera', 'microphone'] });
    await context.addInitScript(recordPeerConnections);
    return BrowserParticipant.onPage(label, context, await context.newPage());
  }

  static onPage(label, context, page) {
    const p = new BrowserParticipant(label, context, page);
    page.on('console', (m) => p.remember(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => p.remember(`[pageerror] ${e.message}`));
    page.on('requestfailed', (r) => p.remember(`[requestfailed] ${r.url().split('?')[0]} ${r.failure()?.errorText}`));
    return p;
  }

  /** Another tab of the same browser context (same cookies), as a participant of its own. */
  async newTab(label) {
    return BrowserParticipant.onPage(label, this.context, await this.context.newPage());
  }

  constructor(label, context, page) {
    this.label = label;
    this.context = context;
    this.page = page;
    this.console = [];
  }

  remember(line) {
    this.console.push(line.slice(0, 300));
    if (this.console.length > 200) this.console.splice(0, 100);
  }

  /** The page's last errors and warnings (console, uncaught exceptions, failed requests). */
  consoleTail(n = 12) {
    const bad = this.console.filter((l) => /^\[(error|warning|pageerror|requestfailed)\]/.test(l));
    return bad.length ? bad.slice(-n).join('\n') : '(no console errors or warnings)';
  }

  async screenshot(name) {
    const file = artifactPath('e2e', `${slugify(name)}-${slugify(this.label)}.png`);
    await this.page.screenshot({ path: file }).catch(() => {});
    return file;
  }

  /** Writes the page's recorded console (last 100 to 200 lines) to `<name>-<label>.console.txt`. */
  saveConsole(name) {
    const file = artifactPath('e2e', `${slugify(name)}-${slugify(this.label)}.console.txt`);
    try {
      fs.writeFileSync(file, `${this.console.join('\n')}\n`);
    } catch { /* best effort */ }
    return file;
  }

  async close() {
    await this.context.close().catch(() => {});
  }

  /** Inbound RTP stats of every recorded PeerConnection, and the size of every <video>. */
  stats() {
    return this.page.evaluate(async () => {
      const out = { video: [], audio: [], srtp: [], videos: [] };
      for (const pc of window.__pcs ?? []) {
        if (pc.connectionState === 'closed') continue;
        (await pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && (r.kind === 'video' || r.kind === 'audio')) {
            out[r.kind].push({ id: `${r.ssrc}:${r.trackIdentifier}`, bytes: r.bytesReceived ?? 0,
              frames: r.framesDecoded ?? 0, width: r.frameWidth ?? 0, samples: r.totalSamplesReceived ?? 0,
              energy: r.totalAudioEnergy ?? 0 });
          }
          if (r.type === 'transport' && r.srtpCipher) out.srtp.push(r.srtpCipher);
        });
      }
      out.videos = [...document.querySelectorAll('video')].map((v) => ({
        width: v.videoWidth, tile: v.closest('[data-testid]')?.getAttribute('data-testid') ?? null,
        identity: v.closest('[data-identity]')?.getAttribute('data-identity') ?? null,
        local: !!v.closest('[data-local]') }));
      return out;
    });
  }
}

/**
 * Samples stats twice, `ms` apart, and returns the inbound streams of `kind` that grew
 * (video: bytes and decoded frames; audio: samples received).
 */
export async function growingStreams(p, kind, ms = 2500) {
  const a = await p.stats();
  await new Promise((r) => setTimeout(r, ms)); // a measuring window, not a wait for an event
  const b = await p.stats();
  const before = new Map(a[kind].map((s) => [s.id, s]));
  return b[kind].filter((s) => {
    const o = before.get(s.id);
    if (!o) return false;
    return kind === 'video' ? s.bytes > o.bytes && s.frames > o.frames : s.samples > o.samples && s.bytes > o.bytes;
  }).map((s) => ({ ...s, deltaFrames: s.frames - before.get(s.id).frames, deltaSamples: s.samples - before.get(s.id).samples }));
}

/** Waits for `count` inbound streams of `kind` to grow over one sampling window. */
export async function expectGrowing(p, kind, count, { timeout = 25_000 } = {}) {
  let last = [];
  return waitFor(`${p.label} to receive ${count} ${kind} streams with growing ${kind === 'video' ? 'bytesReceived and framesDecoded' : 'totalSamplesReceived'}`,
    async () => {
      last = await growingStreams(p, kind);
      return last.length >= count && last;
    }, { timeout, interval: 200, detail: () => `growing: ${JSON.stringify(last)}` });
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (all rules) on the page; returns the serious and critical violations. */
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ content: axeSource });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function formatViolations(violations) {
  return violations.map((v) => `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${v.nodes.slice(0, 5)
    .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`).join('\n');
}

/**
 * A page's accessibility check: axe-core on `p`'s page as it is now, with a screenshot
 * (`axe-<name>`); throws on any serious or critical violation.
 */
export async function expectAccessible(t, p, name) {
  const violations = await axeViolations(p.page);
  await p.screenshot(`axe-${name}`);
  if (violations.length) {
    throw new Error(`${violations.length} serious/critical axe violation(s) on the ${name} page:\n${formatViolations(violations)}`);
  }
  t.diagnostic(`${name}: no serious or critical violations`);
}
