// A meeting of three, through the web client in headless Chromium: create a room on the home
// page, join by its link, see and hear each other, share a screen, chat, mute, raise a hand, leave.
// The steps run in order on the same meeting; after a failed step the rest are skipped.
import assert from 'node:assert/strict';
import { useE2E } from './lib/harness.mjs';
import { expectGrowing } from './lib/browser.mjs';
import {
  createMeetingFromHome, ensurePressed, expectRemoteVideos, expectTiles, joinFromPrejoin, sel,
  startAudioIfBlocked, UI_TIMEOUT,
} from './lib/app.mjs';
import { waitFor } from '../lib/wait.mjs';

const e2e = useE2E('e2e-meeting');
const m = { slug: null, alice: null, bob: null, carol: null };
const everyone = () => [m.alice, m.bob, m.carol];

e2e.step('the home page creates a meeting and opens its pre-join page', async () => {
  m.alice = await e2e.participant('alice');
  m.slug = await createMeetingFromHome(m.alice, e2e.base());
  assert.match(m.slug, /^[A-Za-z0-9][A-Za-z0-9_-]*$/);
  await m.alice.page.locator(sel.prejoinName).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
});

e2e.step('three participants join by the link and each sees three tiles', async () => {
  await joinFromPrejoin(m.alice, 'Alice');
  const link = `${e2e.base()}/r/${encodeURIComponent(m.slug)}`;
  m.bob = await e2e.participant('bob');
  await joinFromPrejoin(m.bob, 'Bob', link);
  m.carol = await e2e.participant('carol');
  await joinFromPrejoin(m.carol, 'Carol', link);
  const ids = everyone().map((p) => p.identity);
  assert.equal(new Set(ids).size, 3, `three distinct identities: ${ids}`);
  await Promise.all(everyone().map((p) => expectTiles(p, 3)));
  for (const p of everyone()) {
    await ensurePressed(p, sel.toggleCamera, 'camera');
    await ensurePressed(p, sel.toggleMic, 'microphone');
    await startAudioIfBlocked(p);
  }
});

e2e.step('each participant sees two remote videos playing', async (t) => {
  await Promise.all(everyone().map((p) => expectRemoteVideos(p, 2)));
  for (const p of everyone()) {
    const growing = await expectGrowing(p, 'video', 2);
    t.diagnostic(`${p.label}: ${growing.map((s) => `${s.width}px +${s.deltaFrames} frames`).join(', ')}`);
  }
  const { srtp } = await m.alice.stats();
  t.diagnostic(`SRTP profiles: ${[...new Set(srtp)].join(', ')}`);
  await Promise.all(everyone().map((p) => p.screenshot('videos')));
});

e2e.step('each participant receives two audio streams', async (t) => {
  for (const p of everyone()) {
    await startAudioIfBlocked(p);
    const growing = await expectGrowing(p, 'audio', 2);
    t.diagnostic(`${p.label}: ${growing.map((s) => `+${s.deltaSamples} samples`).join(', ')}`);
  }
});

e2e.step('a screen shared by one participant is seen by the others', async () => {
  await m.alice.page.locator(sel.toggleScreenshare).click({ timeout: UI_TIMEOUT });
  for (const p of [m.bob, m.carol]) {
    let widths = [];
    await waitFor(`${p.label} to show alice's shared screen playing`, async () => {
      widths = await p.page.$$eval(`${sel.screenshareTile}[data-identity="${m.alice.identity}"] video`, (vs) => vs.map((v) => v.videoWidth));
      return widths.some((w) => w > 0);
    }, { timeout: 25_000, interval: 200, detail: () => `screen-share video widths: ${JSON.stringify(widths)}` });
    // camera videos of the two others plus the screen
    await expectGrowing(p, 'video', 3);
  }
  await Promise.all(everyone().map((p) => p.screenshot('screenshare')));
});

e2e.step('stopping the screen share removes it from the others\' screens', async () => {
  await m.alice.page.locator(sel.toggleScreenshare).click({ timeout: UI_TIMEOUT });
  for (const p of [m.bob, m.carol]) {
    await waitFor(`${p.label} to stop showing alice's screen (track unpublished)`,
      async () => (await p.page.locator(sel.screenshareTile).count()) === 0, { timeout: UI_TIMEOUT, interval: 200 });
  }
}, { critical: false });

e2e.step('a chat message reaches the others', async () => {
  const text = `Bonjour from Alice ${Date.now()}`;
  await m.alice.page.locator(sel.openChat).click({ timeout: UI_TIMEOUT });
  await m.alice.page.locator(sel.chatInput).fill(text, { timeout: UI_TIMEOUT });
  await m.alice.page.locator(sel.chatSend).click();
  for (const p of [m.bob, m.carol]) {
    await p.page.locator(sel.openChat).click({ timeout: UI_TIMEOUT });
    const msg = p.page.locator(sel.chatMessage, { hasText: text });
    await msg.waitFor({ state: 'visible', timeout: UI_TIMEOUT }).catch((e) => {
      throw new Error(`${p.label} never showed the chat message "${text}": ${e.message.split('\n')[0]}`);
    });
    const from = await msg.getAttribute('data-identity');
    if (from !== null) assert.equal(from, m.alice.identity, 'the message is attributed to alice');
  }
  await Promise.all(everyone().map((p) => p.screenshot('chat')));
});

e2e.step('muting the microphone shows in the others\' tiles', async () => {
  await m.alice.page.locator(sel.toggleMic).click({ timeout: UI_TIMEOUT });
  for (const p of [m.bob, m.carol]) {
    await p.page.locator(`${sel.tileOf(m.alice.identity)} ${sel.micMuted}`).waitFor({ state: 'visible', timeout: UI_TIMEOUT })
      .catch((e) => { throw new Error(`${p.label} never showed alice's mic-muted badge: ${e.message.split('\n')[0]}`); });
  }
  await Promise.all(everyone().map((p) => p.screenshot('muted')));
  await m.alice.page.locator(sel.toggleMic).click();
  for (const p of [m.bob, m.carol]) {
    await p.page.locator(`${sel.tileOf(m.alice.identity)} ${sel.micMuted}`).waitFor({ state: 'detached', timeout: UI_TIMEOUT })
      .catch((e) => { throw new Error(`${p.label} still shows alice's mic-muted badge after the unmute: ${e.message.split('\n')[0]}`); });
  }
});

e2e.step('a raised hand shows in the others\' tiles', async () => {
  await m.bob.page.locator(sel.raiseHand).click({ timeout: UI_TIMEOUT });
  for (const p of [m.alice, m.carol]) {
    await p.page.locator(`${sel.tileOf(m.bob.identity)} ${sel.handRaised}`).waitFor({ state: 'visible', timeout: UI_TIMEOUT })
      .catch((e) => { throw new Error(`${p.label} never showed bob's raised hand: ${e.message.split('\n')[0]}`); });
  }
}, { critical: false });

e2e.step('a participant who leaves disappears from the others\' screens', async () => {
  await m.carol.page.locator(sel.leave).click({ timeout: UI_TIMEOUT });
  await m.carol.page.locator(sel.leftPage).waitFor({ state: 'visible', timeout: UI_TIMEOUT })
    .catch(() => {}); // the left page is a nicety; what matters is what the others see
  for (const p of [m.alice, m.bob]) {
    await expectTiles(p, 2);
    assert.equal(await p.page.locator(sel.tileOf(m.carol.identity)).count(), 0, `${p.label} has no tile for carol`);
  }
  await Promise.all([m.alice, m.bob, m.carol].map((p) => p.screenshot('after-leave')));
});
