// Recording (issue 5) through the web client in headless Chromium: a host signed in with the local
// admin account creates a room on /rooms and joins it; a guest joins by the link; the host starts a
// video recording from the meeting; the guest sees the recording badge (and its live region
// speaks); a third browser on the room's link is told on the pre-join page; they talk for about
// 10 s; the host stops. On the recordings page the four files appear (a WebM per camera with its
// participant's microphone, an Ogg/Opus per microphone) and play in the browser; downloaded with
// the host's cookies, each decodes with ffmpeg without a message, lasts the wall time between
// start and stop (±5 %), and carries its own participant's voice: each browser has a microphone of
// its own (a WAV of tone bursts, host 440 Hz, guest 1000 Hz), so the files are checked for the
// right tone, not just for sound. Then the composite: it appears on the page within 2 minutes, is
// H.264 + AAC 1280x720, decodes, lasts the wall time (±5 %), mixes both voices, and shows both
// names: a frame is saved (tests/artifacts/e2e/recording-composite-frame.png) and the bottom-left
// of each tile is compared, pixel by pixel, with the name drawn by ffmpeg as the composite job
// draws it (same font, size, box) on a plain tile. axe-core checks the pre-join page with its
// notice, the meeting page with its badge and the recordings page.
//
// The steps run in order; after a failed step the rest are skipped. One sign-in, two joins.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useE2E } from './lib/harness.mjs';
import { expectAccessible, expectGrowing } from './lib/browser.mjs';
import {
  askToJoin, ensurePressed, expectCameraOn, expectInMeeting, expectRemoteVideos, expectTiles,
  expectVisible, joinFromPrejoin, sel, startAudioIfBlocked, UI_TIMEOUT,
} from './lib/app.mjs';
import {
  brightBox, compositeGrid, duration, expectDecodes, extractFrame, grayCrop, meanAbsDiff, meanVolume,
  renderNameTile, streams, writeToneWav,
} from './lib/media.mjs';
import { artifactPath } from '../lib/server.mjs';
import { waitFor } from '../lib/wait.mjs';

const HOST_HZ = 440;
const GUEST_HZ = 1000;
const HOST_NAME = 'Hana Host';
const GUEST_NAME = 'Gus Guest';
const TALK_MS = 10_000;
const COMPOSITE_TIMEOUT = 120_000;
// "non-silent": the tone bursts come out near -20 dB; silence is below -90 dB
const SILENT_DB = -50;

const r = {
  // ids in the recordings page's hooks
  recordStart: '[data-testid="record-start"]',
  recordStartDialog: '[data-testid="record-start-dialog"]',
  modeVideo: '[data-testid="record-mode-video"]',
  modeAudio: '[data-testid="record-mode-audio"]',
  transcribe: '[data-testid="record-transcribe"]',
  recordStartConfirm: '[data-testid="record-start-confirm"]',
  recordStop: '[data-testid="record-stop"]',
  recordStopDialog: '[data-testid="record-stop-dialog"]',
  recordStopConfirm: '[data-testid="record-stop-confirm"]',
  badge: '[data-testid="recording-badge"]',
  announcer: '[data-testid="recording-announcer"]',
  prejoinNotice: '[data-testid="prejoin-recording-notice"]',
  roomRecordings: '[data-testid="room-recordings"]',
  page: '[data-testid="recordings-page"]',
  item: (id) => `[data-testid="recording-item"][data-id="${id}"]`,
  file: '[data-testid="recording-file"]',
  player: '[data-testid="recording-player"]',
  download: '[data-testid="recording-file-download"]',
  composite: '[data-testid="recording-composite"]',
  compositeProgress: '[data-testid="recording-composite-progress"]',
  compositeFailed: '[data-testid="recording-composite-failed"]',
  refresh: '[data-testid="recordings-refresh"]',
};

let wavDir = null;
const e2e = useE2E('e2e-recording', async (ctx) => {
  // a microphone of one's own per browser: Chromium loops the WAV as the fake capture device
  wavDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'parlons-e2e-rec-'));
  ctx.defer(() => fsp.rm(wavDir, { recursive: true, force: true }));
  await writeToneWav(path.join(wavDir, 'host.wav'), HOST_HZ);
  await writeToneWav(path.join(wavDir, 'guest.wav'), GUEST_HZ);
  return { dev: true };
});

const m = {
  slug: null, link: null, host: null, guest: null, viewer: null, tab: null,
  id: null, t0: null, t1: null, wall: null, rec: null, files: [], composite: null,
};
const dir = path.dirname(artifactPath('e2e', 'recording', 'files'));

/** Clicks `button` and resolves with the API answer `match` picks, and when it was asked and came. */
async function clickForResponse(p, button, match, what) {
  const response = p.page.waitForResponse((res) => res.request().method() === 'POST' && match(new URL(res.url()).pathname),
    { timeout: UI_TIMEOUT }).catch((e) => {
    throw new Error(`${p.label}: no ${what} request answered after the click: ${e.message.split('\n')[0]}`);
  });
  const asked = Date.now();
  await button.click({ timeout: UI_TIMEOUT });
  const res = await response;
  const answered = Date.now();
  const body = await res.json().catch(() => null);
  return { status: res.status(), body, asked, answered, at: (asked + answered) / 2 };
}

/** `GET path` with `p`'s cookies (the browser context's request API): {status, body, type}. */
async function apiGet(p, urlPath) {
  const res = await p.context.request.get(new URL(urlPath, e2e.base()).href);
  return { status: res.status(), type: res.headers()['content-type'], body: await res.json().catch(() => null) };
}

/** Downloads `href` with `p`'s cookies into tests/artifacts/e2e/recording/`name`. */
async function download(p, href, name) {
  const res = await p.context.request.get(new URL(href, e2e.base()).href);
  assert.equal(res.status(), 200, `download ${href} with the host's cookies: ${res.status()}`);
  const local = path.join(dir, name);
  await fsp.writeFile(local, await res.body());
  return { local, type: res.headers()['content-type'], bytes: fs.statSync(local).size };
}

const within5 = (value, wall, what) =>
  assert.ok(Math.abs(value - wall) / wall < 0.05, `${what}: ${value.toFixed(3)} s is not within 5 % of the wall time ${wall.toFixed(3)} s`);

e2e.step('the host signs in with the local admin account and creates a public room on /rooms', async () => {
  const hostBrowser = await e2e.launchBrowser([`--use-file-for-fake-audio-capture=${path.join(wavDir, 'host.wav')}`]);
  m.host = await e2e.participant('host', { browser: hostBrowser });
  const { username, password } = await e2e.server.admin();
  const { page } = m.host;
  await page.goto(`${e2e.base()}/login`);
  await expectVisible(m.host, sel.loginForm, 'the local sign-in form');
  await page.locator('[data-testid="login-username"]').fill(username);
  await page.locator('[data-testid="login-password"]').fill(password);
  await page.locator('[data-testid="login-submit"]').click();
  await expectVisible(m.host, sel.accountName, 'the signed-in account\'s name in the header');
  await page.goto(`${e2e.base()}/rooms`);
  await expectVisible(m.host, sel.createRoomForm, 'the create-room form');
  const roomName = `Recorded sync ${Date.now().toString(36)}`;
  await page.locator(sel.roomName).fill(roomName);
  await page.locator(sel.roomAccess('public')).check();
  await page.locator(sel.createRoomSubmit).click();
  await expectVisible(m.host, `${sel.roomItem}:has-text("${roomName}")`, `the new room "${roomName}" in the list`);
  m.slug = await page.locator(sel.roomItem, { hasText: roomName }).getAttribute('data-slug');
  assert.ok(m.slug, 'the room item carries its slug');
  m.link = `${e2e.base()}/r/${encodeURIComponent(m.slug)}`;
});

e2e.step('the host and a guest meet, each seeing and hearing the other', async (t) => {
  const { page } = m.host;
  await page.locator(sel.roomItemOf(m.slug)).locator(sel.roomJoin).click({ timeout: UI_TIMEOUT });
  await page.waitForURL((u) => u.pathname === `/r/${m.slug}`, { timeout: UI_TIMEOUT });
  assert.equal(await page.locator(r.prejoinNotice).count(), 0, 'no recording notice before any recording');
  await askToJoin(m.host, HOST_NAME);
  await expectInMeeting(m.host);
  await expectCameraOn(m.host);
  await ensurePressed(m.host, sel.toggleMic, 'microphone');

  const guestBrowser = await e2e.launchBrowser([`--use-file-for-fake-audio-capture=${path.join(wavDir, 'guest.wav')}`]);
  m.guest = await e2e.participant('guest', { browser: guestBrowser });
  await joinFromPrejoin(m.guest, GUEST_NAME, m.link);
  await expectCameraOn(m.guest);
  await ensurePressed(m.guest, sel.toggleMic, 'microphone');
  await Promise.all([expectTiles(m.host, 2), expectTiles(m.guest, 2)]);
  await Promise.all([expectRemoteVideos(m.host, 1), expectRemoteVideos(m.guest, 1)]);
  for (const p of [m.host, m.guest]) {
    await startAudioIfBlocked(p);
    const growing = await expectGrowing(p, 'audio', 1);
    t.diagnostic(`${p.label} (${p.identity}) hears: ${growing.map((s) => `+${s.deltaSamples} samples`).join(', ')}`);
  }
  // the host may record; the guest has no such button
  await expectVisible(m.host, r.recordStart, 'the Record button');
  assert.equal(await m.guest.page.locator(r.recordStart).count(), 0, 'a guest has no Record button');
});

e2e.step('the host starts a video recording from the meeting; the guest sees the badge and is told', async (t) => {
  const { page } = m.host;
  await page.locator(r.recordStart).click({ timeout: UI_TIMEOUT });
  const dialog = page.locator(r.recordStartDialog);
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  assert.equal(await dialog.locator(r.modeVideo).isChecked(), true, 'video + audio is the default mode');
  await dialog.locator(r.modeVideo).check();
  await dialog.locator(r.transcribe).setChecked(false);
  const started = await clickForResponse(m.host, dialog.locator(r.recordStartConfirm),
    (p) => p === `/api/v1/rooms/${m.slug}/recordings`, 'POST /api/v1/rooms/{slug}/recordings');
  assert.equal(started.status, 201, `start: ${JSON.stringify(started.body)}`);
  m.t0 = started.at;
  m.id = started.body.id;
  assert.ok(m.id, 'the answer carries the recording id');
  assert.equal(started.body.mode, 'video');
  t.diagnostic(`recording ${m.id} started (answered in ${started.answered - started.asked} ms)`);
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await expectVisible(m.host, r.recordStop, 'the Stop recording button');
  for (const p of [m.host, m.guest]) await expectVisible(p, r.badge, 'the recording badge');
  assert.match(await m.guest.page.locator(r.badge).innerText(), /Recording/);
  await waitFor('the guest\'s live region to say the meeting is now recorded', async () =>
    /now being recorded/.test(await m.guest.page.locator(r.announcer).innerText()), { timeout: UI_TIMEOUT, interval: 100 });
  assert.equal(await m.guest.page.locator(r.announcer).getAttribute('aria-live'), 'polite');
  await Promise.all([m.host, m.guest].map((p) => p.screenshot('recording')));
});

e2e.step('someone opening the room\'s link while it records is told on the pre-join page', async () => {
  m.viewer = await e2e.participant('viewer');
  await m.viewer.page.goto(m.link);
  await expectVisible(m.viewer, r.prejoinNotice, 'the pre-join recording notice');
  assert.match(await m.viewer.page.locator(r.prejoinNotice).innerText(), /being recorded/);
  // the notice also describes the Join button
  const noticeId = await m.viewer.page.locator(r.prejoinNotice).getAttribute('id');
  const describedBy = await m.viewer.page.locator(sel.join).getAttribute('aria-describedby');
  assert.ok(noticeId && (describedBy ?? '').split(/\s+/).includes(noticeId),
    `the Join button is described by the notice (aria-describedby=${describedBy}, notice id=${noticeId})`);
  await m.viewer.screenshot('prejoin-recording');
}, { critical: false });

e2e.step('the pre-join page with the recording notice has no serious or critical accessibility violations', async (t) => {
  try {
    await expectAccessible(t, m.viewer, 'pre-join-recording');
  } finally {
    await m.viewer.close(); // never joins: no join request spent
  }
}, { critical: false });

e2e.step('the meeting page with the recording badge has no serious or critical accessibility violations', async (t) => {
  await expectAccessible(t, m.guest, 'meeting-recording');
}, { critical: false });

e2e.step('they talk for about 10 s; the host stops; the badge goes away for everyone', async (t) => {
  // while recording, both still hear each other (the recorder is one more subscriber)
  for (const p of [m.host, m.guest]) await expectGrowing(p, 'audio', 1);
  const left = m.t0 + TALK_MS - Date.now();
  if (left > 0) await new Promise((res) => setTimeout(res, left)); // the length of the recording itself
  const { page } = m.host;
  await page.locator(r.recordStop).click({ timeout: UI_TIMEOUT });
  const dialog = page.locator(r.recordStopDialog);
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  const stopped = await clickForResponse(m.host, dialog.locator(r.recordStopConfirm),
    (p) => p === `/api/v1/recordings/${m.id}/stop`, 'POST /api/v1/recordings/{id}/stop');
  assert.equal(stopped.status, 200, `stop: ${JSON.stringify(stopped.body)}`);
  m.t1 = stopped.at;
  m.wall = (m.t1 - m.t0) / 1000;
  assert.equal(stopped.body.status, 'finished', `stopped: ${JSON.stringify(stopped.body)}`);
  t.diagnostic(`stopped after ${m.wall.toFixed(3)} s of wall time (answered in ${stopped.answered - stopped.asked} ms); server: ${stopped.body.started_at} → ${stopped.body.stopped_at}`);
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await expectVisible(m.host, r.recordStart, 'the Record button again');
  for (const p of [m.host, m.guest]) {
    await p.page.locator(r.badge).waitFor({ state: 'detached', timeout: UI_TIMEOUT }).catch((e) => {
      throw new Error(`${p.label} still shows the recording badge after the stop: ${e.message.split('\n')[0]}`);
    });
  }
  await waitFor('the guest\'s live region to say the recording stopped', async () =>
    /recording has stopped/.test(await m.guest.page.locator(r.announcer).innerText()), { timeout: UI_TIMEOUT, interval: 100 });
});

e2e.step('the recordings page lists the recording with one file per camera and per microphone', async (t) => {
  // a second tab of the host's browser: the meeting goes on in the first
  m.tab = await e2e.tab(m.host, 'host-recordings');
  const { page } = m.tab;
  await page.goto(`${e2e.base()}/rooms`);
  await page.locator(sel.roomItemOf(m.slug)).locator(r.roomRecordings).click({ timeout: UI_TIMEOUT });
  await page.waitForURL((u) => u.pathname === `/rooms/${m.slug}/recordings`, { timeout: UI_TIMEOUT });
  await expectVisible(m.tab, r.page, 'the recordings page');
  const item = page.locator(r.item(m.id));
  await expectVisible(m.tab, r.item(m.id), `recording ${m.id} in the list`);
  assert.equal(await item.getAttribute('data-status'), 'finished');
  const seen = await item.locator(r.file).evaluateAll((els) => els.map((el) => ({
    kind: el.getAttribute('data-kind'), identity: el.getAttribute('data-identity'), status: el.getAttribute('data-status'),
    href: el.querySelector('[data-testid="recording-file-download"]')?.getAttribute('href') ?? null,
    player: el.querySelector('[data-testid="recording-player"]')?.tagName.toLowerCase() ?? null })));
  const kinds = seen.map((f) => `${f.identity === m.host.identity ? 'host' : f.identity === m.guest.identity ? 'guest' : f.identity}:${f.kind}`).sort();
  assert.deepEqual(kinds, ['guest:audio', 'guest:video', 'host:audio', 'host:video'], `files on the page: ${JSON.stringify(seen)}`);
  for (const f of seen) {
    assert.ok(f.href, `a download link for ${f.identity}'s ${f.kind}`);
    assert.equal(f.player, f.kind === 'audio' ? 'audio' : 'video', `a player for ${f.identity}'s ${f.kind}`);
  }
  // the API's view of the same recording (names, offsets), fetched with the host's cookies
  const api = await apiGet(m.tab, `/api/v1/recordings/${m.id}`);
  assert.equal(api.status, 200, JSON.stringify(api.body));
  m.rec = api.body;
  m.files = seen.map((f) => ({ ...f, meta: m.rec.files.find((x) => x.url === f.href) }));
  for (const f of m.files) {
    assert.ok(f.meta, `the page's link ${f.href} is one of the API's file URLs`);
    const expected = f.identity === m.host.identity ? HOST_NAME : GUEST_NAME;
    assert.equal(f.meta.name, expected, `${f.identity}'s ${f.kind} file is named after the participant`);
  }
  t.diagnostic(`files: ${m.files.map((f) => `${f.meta.name} ${f.kind} ${f.meta.codec} ${f.meta.start_ms}–${f.meta.end_ms} ms`).join('; ')}`);
  await m.tab.screenshot('recordings-page');
});

e2e.step('each file plays in the browser (its player loads the metadata)', async (t) => {
  const players = m.tab.page.locator(`${r.item(m.id)} ${r.player}`);
  let state = [];
  await waitFor('every player of the recording to load its metadata (readyState ≥ 1, no error)', async () => {
    state = await players.evaluateAll((els) => els.map((el) => ({ tag: el.tagName, ready: el.readyState,
      error: el.error?.code ?? null, duration: el.duration, width: el.videoWidth ?? null })));
    if (state.some((s) => s.error)) throw new Error(`a player failed: ${JSON.stringify(state)}`);
    return state.length === 4 && state.every((s) => s.ready >= 1);
  }, { timeout: UI_TIMEOUT, interval: 200, detail: () => JSON.stringify(state) });
  t.diagnostic(`players: ${JSON.stringify(state)}`);
  for (const s of state.filter((x) => x.tag === 'VIDEO')) assert.ok(s.width > 0, `a video player knows its size: ${JSON.stringify(s)}`);
}, { critical: false });

e2e.step('each file, downloaded with the host\'s cookies, decodes, lasts the wall time and carries its participant\'s voice', async (t) => {
  for (const f of m.files) {
    const who = f.identity === m.host.identity ? 'host' : 'guest';
    const ext = f.kind === 'audio' ? 'ogg' : 'webm';
    const got = await download(m.tab, f.href, `${who}-${f.kind}.${ext}`);
    assert.match(got.type ?? '', f.kind === 'audio' ? /^audio\/ogg/ : /^video\/webm/, `${who}'s ${f.kind}: content type`);
    const note = await expectDecodes(got.local);
    if (note) t.diagnostic(`NOTE ${who} ${f.kind}: ${note}`);
    const d = await duration(got.local);
    const codecs = (await streams(got.local)).map((s) => `${s.codec_type}:${s.codec_name}`);
    const own = who === 'host' ? HOST_HZ : GUEST_HZ;
    const other = who === 'host' ? GUEST_HZ : HOST_HZ;
    const vol = await meanVolume(got.local);
    const ownBand = await meanVolume(got.local, { band: own });
    const otherBand = await meanVolume(got.local, { band: other });
    t.diagnostic(`${who} ${f.kind} (${got.bytes} B, ${codecs.join(' ')}): ${d.toFixed(3)} s vs wall ${m.wall.toFixed(3)} s; mean ${vol} dB, ${own} Hz ${ownBand} dB, ${other} Hz ${otherBand} dB`);
    within5(d, m.wall, `${who}'s ${f.kind} file`);
    if (f.kind === 'audio') {
      assert.deepEqual(codecs, ['audio:opus'], `${who}'s microphone file is Ogg/Opus`);
    } else {
      assert.ok(codecs.some((c) => /^video:vp[89]$/.test(c)), `${who}'s camera file has VP8/VP9 video: ${codecs}`);
      assert.ok(codecs.includes('audio:opus'), `${who}'s camera file carries the participant's microphone (Opus): ${codecs}`);
    }
    assert.ok(vol > SILENT_DB, `${who}'s ${f.kind} file is not silent: mean volume ${vol} dB`);
    // the participant's own tone, not the other's: a recording per participant, not a mix
    assert.ok(ownBand > SILENT_DB, `${who}'s ${f.kind} file carries ${who}'s ${own} Hz voice: ${ownBand} dB`);
    assert.ok(ownBand - otherBand > 15, `${who}'s ${f.kind} file holds ${who}'s voice (${own} Hz: ${ownBand} dB), not the other's (${other} Hz: ${otherBand} dB)`);
  }
});

e2e.step('the composite appears on the recordings page, H.264 + AAC, as long as the recording, with both voices', async (t) => {
  const { page } = m.tab;
  const started = Date.now();
  let progress = new Set();
  await waitFor('the composite download link on the recordings page (refreshing)', async () => {
    const item = page.locator(r.item(m.id));
    if (await item.locator(r.composite).count()) return true;
    if (await item.locator(r.compositeFailed).count()) {
      throw new Error(`the composite failed: ${await item.locator(r.compositeFailed).innerText()}`);
    }
    const shown = await item.locator(r.compositeProgress).allInnerTexts();
    for (const s of shown) progress.add(s.trim());
    await page.locator(r.refresh).click({ timeout: UI_TIMEOUT });
    await page.locator(`${r.page}[aria-busy="false"]`).waitFor({ state: 'attached', timeout: UI_TIMEOUT }).catch(() => {});
    return false;
  }, { timeout: COMPOSITE_TIMEOUT, interval: 1000, detail: () => `progress shown: ${[...progress].join(' | ') || 'none'}` });
  const waited = (Date.now() - started) / 1000;
  progress = [...progress];
  t.diagnostic(`composite link after ${waited.toFixed(1)} s of refreshing; progress shown: ${progress.join(' | ') || 'none (done before the first look)'}`);
  await m.tab.screenshot('recordings-composite');
  const href = await page.locator(r.item(m.id)).locator(r.composite).getAttribute('href');
  m.composite = await download(m.tab, href, 'composite.mp4');
  const rec = await apiGet(m.tab, `/api/v1/recordings/${m.id}`);
  assert.equal(rec.body.composite_status, 'done');
  assert.equal(rec.body.composite_progress, 100);
  assert.equal(rec.body.composite_url, href, 'the page links the API\'s composite_url');
  const { local } = m.composite;
  const note = await expectDecodes(local);
  if (note) t.diagnostic(`NOTE composite: ${note}`);
  const d = await duration(local);
  const s = await streams(local);
  const vol = await meanVolume(local);
  const host = await meanVolume(local, { band: HOST_HZ });
  const guest = await meanVolume(local, { band: GUEST_HZ });
  t.diagnostic(`composite (${m.composite.bytes} B, ${m.composite.type}): ${d.toFixed(3)} s vs wall ${m.wall.toFixed(3)} s; streams ${JSON.stringify(s)}; mean ${vol} dB, host ${HOST_HZ} Hz ${host} dB, guest ${GUEST_HZ} Hz ${guest} dB`);
  const v = s.find((x) => x.codec_type === 'video');
  assert.ok(v && v.codec_name === 'h264' && v.width === 1280 && v.height === 720, `H.264 1280x720 video: ${JSON.stringify(s)}`);
  assert.ok(s.some((x) => x.codec_type === 'audio' && x.codec_name === 'aac'), `AAC audio: ${JSON.stringify(s)}`);
  within5(d, m.wall, 'the composite');
  assert.ok(vol > SILENT_DB, `the composite is not silent: ${vol} dB`);
  assert.ok(host > SILENT_DB && guest > SILENT_DB, `the composite mixes both voices: host ${host} dB, guest ${guest} dB`);
}, { timeout: COMPOSITE_TIMEOUT + 30_000 });

e2e.step('the composite shows both names under their tiles', async (t) => {
  const frame = await extractFrame(m.composite.local, 5, artifactPath('e2e', 'recording-composite-frame.png'));
  t.diagnostic(`frame at 5 s: ${frame}`);
  const videos = m.files.filter((f) => f.kind !== 'audio');
  const g = compositeGrid(videos.length);
  // the name sits 12 px above the tile's bottom edge, in a box 6 px wider than the text
  const band = { w: g.tw, h: Math.min(g.th, g.fontsize * 2 + 12) };
  const bandAt = (x, y) => ({ x, y: y + g.th - band.h, ...band });
  const refs = {};
  for (const [key, text] of [['plain', ''], ['host', HOST_NAME], ['guest', GUEST_NAME]]) {
    const textFile = path.join(dir, `name-${key}.txt`);
    await fsp.writeFile(textFile, text);
    const png = await renderNameTile(path.join(dir, `name-${key}.png`), { text, w: g.tw, h: g.th, fontsize: g.fontsize, textFile });
    refs[key] = await grayCrop(png, bandAt(0, 0));
  }
  // compared where either name has ink (the plain tile, black, is the text's absence)
  const box = brightBox([refs.host, refs.guest], band.w);
  const tiles = [];
  for (let k = 0; k < videos.length; k += 1) {
    const at = bandAt((k % g.cols) * g.tw, Math.floor(k / g.cols) * g.th);
    const px = await grayCrop(frame, at);
    const d = Object.fromEntries(Object.entries(refs).map(([key, ref]) => [key, meanAbsDiff(px, ref, band.w, box)]));
    tiles.push({ k, at, d });
  }
  t.diagnostic(`grid ${g.cols}x${g.rows}, tiles ${g.tw}x${g.th}, font ${g.fontsize} px, text box ${JSON.stringify(box)} of the bottom ${band.h} px; mean |difference| of each tile's name from the drawn names: ${tiles.map((x) => `tile ${x.k}: ${Object.entries(x.d).map(([key, v]) => `${key} ${v.toFixed(2)}`).join(', ')}`).join('; ')}`);
  const found = {};
  for (const who of ['host', 'guest']) {
    const other = who === 'host' ? 'guest' : 'host';
    const best = tiles.reduce((a, b) => (b.d[who] < a.d[who] ? b : a));
    found[who] = best.k;
    assert.ok(best.d[who] < 0.5 * best.d.plain,
      `${who}'s name is drawn on tile ${best.k}: its band is closer to the drawn name (${best.d[who].toFixed(2)}) than to a plain tile (${best.d.plain.toFixed(2)}), by half at least`);
    assert.ok(best.d[who] < 0.5 * best.d[other],
      `tile ${best.k} shows ${who}'s name, not ${other}'s: ${best.d[who].toFixed(2)} vs ${best.d[other].toFixed(2)}`);
  }
  assert.notEqual(found.host, found.guest, 'the two names are on two different tiles');
});

e2e.step('the recordings page has no serious or critical accessibility violations', async (t) => {
  await expectAccessible(t, m.tab, 'recordings');
}, { critical: false });
