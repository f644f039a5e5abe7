// Accounts, rooms, the lobby and moderation through the web client in headless Chromium, against
// a production-like server (no --dev) signed into through a real OpenID Connect provider
// (lib/idp.mjs): a host signs in, creates a restricted room on /rooms and joins it; a guest
// knocks and is admitted; another is denied with a reason, asks again and is admitted; the host
// removes the first guest, who cannot come back; a participant cap turns the next person away;
// the host ends the meeting for everyone. axe-core checks the sign-in, rooms, waiting and refused
// pages on the way. The steps run in order on the same meeting; after a failed step the rest are
// skipped.
//
// Everything comes from 127.0.0.1, so the whole file shares one client IP's rate limits (sign-in
// 10/min, join burst 30, knock burst 6): it signs in once, asks to join 6 times and knocks 3 times.
import assert from 'node:assert/strict';
import { useE2E } from './lib/harness.mjs';
import { expectAccessible } from './lib/browser.mjs';
import {
  askToJoin, expectCameraOn, expectInMeeting, expectRemoteVideos, expectTiles, expectVisible,
  signInWithIdp, sel, UI_TIMEOUT,
} from './lib/app.mjs';
import { startIdp } from '../lib/idp.mjs';
import { freePort } from '../lib/server.mjs';
import { waitFor } from '../lib/wait.mjs';

const IDP_NAME = 'Test IdP';
// a guest waits while the host's client hears of the knock (a data packet), fetches the lobby and
// the host clicks; the knocker polls every second or so
const LOBBY_TIMEOUT = 25_000;

let idp = null;
const e2e = useE2E('e2e-accounts', async (ctx) => {
  // The public URL (hence the port) must be known before the IdP registers the redirect URI.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  idp = await startIdp({ port: 0, redirectUris: [`${base}/auth/callback`] });
  ctx.defer(() => idp.stop());
  return {
    dev: false,
    requireManaged: true,
    httpPort: port,
    env: { ...idp.serverEnv(), PARLONS_HTTP__PUBLIC_URL: base, PARLONS_AUTH__OIDC__NAME: IDP_NAME },
  };
});
const a11y = { critical: false };

const m = { slug: null, link: null, host: null, gus: null, dora: null, fred: null };
const roomName = `Team sync ${Date.now().toString(36)}`;

/** `GET /api/v1/rooms/{slug}` from `p`'s page (its cookies): the Room object. */
async function roomFrom(p, slug) {
  const r = await p.page.evaluate(async (s) => {
    const res = await fetch(`/api/v1/rooms/${encodeURIComponent(s)}`, { headers: { accept: 'application/json' } });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, slug);
  assert.equal(r.status, 200, `GET /api/v1/rooms/${slug}: ${JSON.stringify(r)}`);
  return r.body;
}

/** The host's lobby entry for the knocker named `name`, once it shows. */
async function lobbyEntryOf(name) {
  const entry = m.host.page.locator(sel.lobbyEntry, { hasText: name });
  await entry.waitFor({ state: 'visible', timeout: LOBBY_TIMEOUT }).catch(async (e) => {
    const shown = await m.host.page.locator(sel.lobbyEntry).allInnerTexts().catch(() => []);
    throw new Error(`the host never saw ${name} knocking (lobby entries: ${JSON.stringify(shown)}): ${e.message.split('\n')[0]}`);
  });
  return entry;
}

/** `p` asks to join by the room's link and lands on the waiting page. */
async function knock(p, name) {
  await askToJoin(p, name, m.link);
  await expectVisible(p, sel.waitingPage, 'the waiting page after asking to join', { timeout: UI_TIMEOUT });
}

/** The host admits `p` (waiting under `p.name`), who then reaches the meeting. */
async function admit(p) {
  const entry = await lobbyEntryOf(p.name);
  await entry.locator(sel.lobbyAdmit).click({ timeout: UI_TIMEOUT });
  await entry.waitFor({ state: 'detached', timeout: UI_TIMEOUT }).catch((e) => {
    throw new Error(`${p.name}'s lobby entry stayed on the host's screen after Admit: ${e.message.split('\n')[0]}`);
  });
  await expectInMeeting(p, { timeout: LOBBY_TIMEOUT });
}

e2e.step('the sign-in page offers the identity provider', async () => {
  m.host = await e2e.participant('host');
  await m.host.page.goto(`${e2e.base()}/`);
  await m.host.page.locator(sel.signInLink).click({ timeout: UI_TIMEOUT });
  await m.host.page.waitForURL((u) => u.pathname === '/login', { timeout: UI_TIMEOUT });
  await expectVisible(m.host, sel.loginOidc, 'the identity provider\'s sign-in button');
  assert.match(await m.host.page.locator(sel.loginOidc).innerText(), new RegExp(IDP_NAME));
  await expectVisible(m.host, sel.loginForm, 'the local sign-in form');
});

e2e.step('the sign-in page has no serious or critical accessibility violations', async (t) => {
  await expectAccessible(t, m.host, 'login');
}, a11y);

e2e.step('the host signs in through the identity provider and comes back signed in', async () => {
  await signInWithIdp(m.host, e2e.base(), 'hana');
  await expectVisible(m.host, sel.accountName, 'the signed-in account\'s name in the header');
  // oidc-provider names the account "Agent <login>" (lib/idp.mjs)
  assert.match(await m.host.page.locator(sel.accountName).innerText(), /Agent hana/);
  assert.deepEqual(idp.events.filter((e) => /error/.test(e.event)), [], 'no IdP errors');
  await m.host.screenshot('signed-in');
});

e2e.step('the host creates a restricted room on /rooms', async () => {
  const { page } = m.host;
  await page.locator(sel.myRoomsLink).click({ timeout: UI_TIMEOUT });
  await page.waitForURL((u) => u.pathname === '/rooms', { timeout: UI_TIMEOUT });
  await expectVisible(m.host, sel.createRoomForm, 'the create-room form');
  await page.locator(sel.roomName).fill(roomName);
  await page.locator(sel.roomAccess('restricted')).check();
  await page.locator(sel.createRoomSubmit).click();
  const item = page.locator(sel.roomItem, { hasText: roomName });
  await expectVisible(m.host, `${sel.roomItem}:has-text("${roomName}")`, `the new room "${roomName}" in the list`);
  m.slug = await item.getAttribute('data-slug');
  assert.ok(m.slug, 'the room item carries its slug');
  const room = await roomFrom(m.host, m.slug);
  assert.equal(room.access, 'restricted', `the room is restricted: ${JSON.stringify(room)}`);
  assert.equal(room.name, roomName);
  m.link = `${e2e.base()}/r/${encodeURIComponent(m.slug)}`;
  assert.equal(room.url, m.link, 'the room\'s link is on the public URL');
  await m.host.screenshot('rooms');
});

e2e.step('the rooms page has no serious or critical accessibility violations', async (t) => {
  await expectAccessible(t, m.host, 'rooms');
}, a11y);

e2e.step('the host joins the room from the list without waiting', async () => {
  const { page } = m.host;
  await page.locator(sel.roomItemOf(m.slug)).locator(sel.roomJoin).click({ timeout: UI_TIMEOUT });
  await page.waitForURL((u) => u.pathname === `/r/${m.slug}`, { timeout: UI_TIMEOUT });
  await askToJoin(m.host, 'Hana Host');
  const identity = await expectInMeeting(m.host);
  assert.match(identity, /^u-/, 'a signed-in host joins under the account\'s identity');
  await expectCameraOn(m.host);
});

e2e.step('a guest who asks to join waits in the lobby', async () => {
  m.gus = await e2e.participant('guest-gus');
  await knock(m.gus, 'Gus Guest');
  await expectVisible(m.gus, sel.waitingStatus, 'the waiting status');
  await m.gus.screenshot('waiting');
});

e2e.step('the waiting page has no serious or critical accessibility violations', async (t) => {
  await expectAccessible(t, m.gus, 'waiting');
}, a11y);

e2e.step('the host is told of the knock and admits the guest, who then meets the host', async () => {
  await expectVisible(m.host, sel.lobbyPanel, 'the lobby panel', { timeout: LOBBY_TIMEOUT });
  await admit(m.gus);
  assert.match(m.gus.identity, /^g-/, 'a guest joins under a guest identity');
  await expectTiles(m.gus, 2);
  await expectTiles(m.host, 2);
  await expectRemoteVideos(m.gus, 1);
  // the host sees the guest marked as such
  await expectVisible(m.host, `${sel.tileOf(m.gus.identity)} ${sel.guestBadge}`, 'the guest badge on Gus\'s tile');
  // and the guest's list of people shows both, the host marked as host
  await m.gus.page.locator(sel.openParticipants).click({ timeout: UI_TIMEOUT });
  await expectVisible(m.gus, `${sel.participantItemOf(m.host.identity)} ${sel.hostBadge}`, 'the host in the participant list, with a host badge');
  await expectVisible(m.gus, sel.participantItemOf(m.gus.identity), 'Gus in his own participant list');
  await Promise.all([m.host, m.gus].map((p) => p.screenshot('admitted')));
});

e2e.step('a second guest is turned away with a reason', async () => {
  m.dora = await e2e.participant('guest-dora');
  await knock(m.dora, 'Dora Denied');
  const entry = await lobbyEntryOf('Dora Denied');
  await entry.locator(sel.lobbyDeny).click({ timeout: UI_TIMEOUT });
  const dialog = m.host.page.locator(sel.lobbyDenyDialog);
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  const reason = 'Team members only today, sorry';
  await dialog.locator(sel.lobbyDenyReason).fill(reason);
  await dialog.locator(sel.lobbyDenyConfirm).click();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await expectVisible(m.dora, sel.refusedPageFor('denied'), 'the refused page (denied)', { timeout: LOBBY_TIMEOUT });
  assert.match(await m.dora.page.locator(sel.refusedReason).innerText(), new RegExp(reason));
  // the lobby panel goes away once nobody waits
  await m.host.page.locator(sel.lobbyEntry).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await Promise.all([m.host, m.dora].map((p) => p.screenshot('denied')));
});

e2e.step('the refused page has no serious or critical accessibility violations', async (t) => {
  await expectAccessible(t, m.dora, 'refused');
}, a11y);

e2e.step('the host removes the first guest, who cannot come back', async () => {
  const { page } = m.host;
  await page.locator(sel.openParticipants).click({ timeout: UI_TIMEOUT });
  const item = page.locator(sel.participantItemOf(m.gus.identity));
  await item.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await item.locator(sel.participantActionsToggle).click();
  await item.locator(sel.participantRemove).click({ timeout: UI_TIMEOUT });
  const dialog = page.locator(sel.participantRemoveDialog);
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await dialog.locator(sel.participantRemoveConfirm).click();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  await expectVisible(m.gus, sel.leftPageFor('removed'), 'the "removed" page', { timeout: UI_TIMEOUT });
  assert.equal(await m.gus.page.locator(sel.rejoin).count(), 0, 'no Rejoin button after a removal');
  // the host, whose first and only remote participant is gone, stays in the meeting (the SFU
  // once rejected the subscriber m-line tagging the BUNDLE group, and Chrome dropped the transport)
  await expectTiles(m.host, 1);
  await m.gus.screenshot('removed');
  // the same browser (guest cookie) asking again is refused at once
  await askToJoin(m.gus, 'Gus Again', m.link);
  await expectVisible(m.gus, sel.refusedPageFor('removed'), 'the refused page (removed) on a new attempt');
  assert.equal(await m.gus.page.locator(sel.refusedRetry).count(), 0, 'no Try again after a removal');
  assert.equal(await m.host.page.locator(sel.lobbyEntry).count(), 0, 'a removed guest does not knock');
});

e2e.step('the denied guest asks again and is admitted', async () => {
  await m.dora.page.locator(sel.refusedRetry).click({ timeout: UI_TIMEOUT });
  await askToJoin(m.dora, 'Dora Denied');
  await expectVisible(m.dora, sel.waitingPage, 'the waiting page on a second knock');
  await admit(m.dora);
  await expectTiles(m.host, 2);
  await expectTiles(m.dora, 2);
});

e2e.step('with a cap of two set in the meeting, the next person sees "This meeting is full"', async () => {
  const { page } = m.host;
  await page.locator(sel.roomSettingsOpen).click({ timeout: UI_TIMEOUT });
  const dialog = page.locator(sel.roomSettingsDialog);
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await dialog.locator(sel.roomCap).fill('2');
  await dialog.locator(sel.roomSettingsSave).click();
  await dialog.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  const room = await roomFrom(m.host, m.slug);
  assert.equal(room.max_participants, 2, `the cap is saved: ${JSON.stringify(room)}`);
  m.fred = await e2e.participant('guest-fred');
  await askToJoin(m.fred, 'Fred Full', m.link);
  await expectVisible(m.fred, sel.refusedPageFor('room_full'), 'the refused page (room_full)');
  assert.match(await m.fred.page.locator(`${sel.refusedPage} h1`).innerText(), /This meeting is full/);
  assert.equal(await m.host.page.locator(sel.lobbyEntry).count(), 0, 'a full room takes no knock');
  await m.fred.screenshot('room-full');
});

e2e.step('the host ends the meeting for everyone, and everyone sees the ended page', async () => {
  const { page } = m.host;
  await page.locator(sel.endMeeting).click({ timeout: UI_TIMEOUT });
  const dialog = page.locator(sel.endMeetingDialog);
  await dialog.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await dialog.locator(sel.endMeetingConfirm).click();
  for (const p of [m.host, m.dora]) {
    await expectVisible(p, sel.leftPageFor('ended'), 'the "ended" page');
  }
  await Promise.all([m.host, m.dora].map((p) => p.screenshot('ended')));
  const room = await waitFor('the room to show no running meeting', async () => {
    const r = await roomFrom(m.host, m.slug);
    return !r.active && r;
  }, { timeout: UI_TIMEOUT, interval: 200 });
  assert.equal(room.participants, 0);
});
