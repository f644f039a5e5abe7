// The web client's stable test hooks (`data-testid`) and the flows built on them.
import { waitFor } from '../../lib/wait.mjs';

export const JOIN_TIMEOUT = 20_000;
export const UI_TIMEOUT = 15_000;

export const sel = {
  newMeeting: '[data-testid="new-meeting"]',
  prejoinName: '[data-testid="prejoin-name"]',
  join: '[data-testid="join"]',
  toggleMic: '[data-testid="toggle-mic"]',
  toggleCamera: '[data-testid="toggle-camera"]',
  toggleScreenshare: '[data-testid="toggle-screenshare"]',
  raiseHand: '[data-testid="raise-hand"]',
  openChat: '[data-testid="open-chat"]',
  chatInput: '[data-testid="chat-input"]',
  chatSend: '[data-testid="chat-send"]',
  chatMessage: '[data-testid="chat-message"]',
  leave: '[data-testid="leave"]',
  tile: '[data-testid="participant-tile"]',
  localTile: '[data-testid="participant-tile"][data-local]',
  remoteTile: '[data-testid="participant-tile"]:not([data-local])',
  tileOf: (identity) => `[data-testid="participant-tile"][data-identity="${identity}"]`,
  micMuted: '[data-testid="mic-muted"]',
  handRaised: '[data-testid="hand-raised"]',
  screenshareTile: '[data-testid="screenshare-tile"]',
  startAudio: '[data-testid="start-audio"]',
  leftPage: '[data-testid="left-page"]',
  rejoin: '[data-testid="rejoin"]',
  leftPageFor: (reason) => `[data-testid="left-page"][data-reason="${reason}"]`,
  // accounts, rooms, lobby and moderation
  signInLink: '[data-testid="sign-in-link"]',
  accountName: '[data-testid="account-name"]',
  myRoomsLink: '[data-testid="my-rooms-link"]',
  signOut: '[data-testid="sign-out"]',
  loginForm: '[data-testid="login-form"]',
  loginOidc: '[data-testid="login-oidc"]',
  createRoomForm: '[data-testid="create-room-form"]',
  roomName: '[data-testid="room-name"]',
  roomAccess: (level) => `[data-testid="room-access-${level}"]`,
  roomCap: '[data-testid="room-cap"]',
  createRoomSubmit: '[data-testid="create-room-submit"]',
  roomItem: '[data-testid="room-item"]',
  roomItemOf: (slug) => `[data-testid="room-item"][data-slug="${slug}"]`,
  roomJoin: '[data-testid="room-join"]',
  roomSettingsOpen: '[data-testid="room-settings-open"]',
  roomSettingsDialog: '[data-testid="room-settings-dialog"]',
  roomSettingsSave: '[data-testid="room-settings-save"]',
  waitingPage: '[data-testid="waiting-page"]',
  waitingStatus: '[data-testid="waiting-status"]',
  refusedPage: '[data-testid="refused-page"]',
  refusedPageFor: (code) => `[data-testid="refused-page"][data-code="${code}"]`,
  refusedReason: '[data-testid="refused-reason"]',
  refusedRetry: '[data-testid="refused-retry"]',
  lobbyPanel: '[data-testid="lobby-panel"]',
  lobbyEntry: '[data-testid="lobby-entry"]',
  lobbyAdmit: '[data-testid="lobby-admit"]',
  lobbyDeny: '[data-testid="lobby-deny"]',
  lobbyDenyDialog: '[data-testid="lobby-deny-dialog"]',
  lobbyDenyReason: '[data-testid="lobby-deny-reason"]',
  lobbyDenyConfirm: '[data-testid="lobby-deny-confirm"]',
  openParticipants: '[data-testid="open-participants"]',
  participantItemOf: (identity) => `[data-testid="participant-list-item"][data-identity="${identity}"]`,
  participantActionsToggle: '[data-testid="participant-actions-toggle"]',
  participantRemove: '[data-testid="participant-remove"]',
  participantRemoveDialog: '[data-testid="participant-remove-dialog"]',
  participantRemoveConfirm: '[data-testid="participant-remove-confirm"]',
  endMeeting: '[data-testid="end-meeting"]',
  endMeetingDialog: '[data-testid="end-meeting-dialog"]',
  endMeetingConfirm: '[data-testid="end-meeting-confirm"]',
  guestBadge: '[data-testid="guest-badge"]',
  hostBadge: '[data-testid="host-badge"]',
};

/** Count of elements matching `selector` on the page. */
export function count(page, selector) {
  return page.locator(selector).count();
}

/** Home page → "new meeting": resolves with the room slug once the page is on /r/<slug>. */
export async function createMeetingFromHome(p, base) {
  await p.page.goto(`${base}/`);
  await p.page.locator(sel.newMeeting).click({ timeout: UI_TIMEOUT });
  await p.page.waitForURL(/\/r\/[^/]+$/, { timeout: UI_TIMEOUT });
  return decodeURIComponent(new URL(p.page.url()).pathname.split('/').pop());
}

/**
 * On the pre-join page at the current URL (or `url`): types the name, joins, and waits for the
 * local tile. Resolves with the participant's identity (the local tile's data-identity).
 */
export async function joinFromPrejoin(p, name, url) {
  await askToJoin(p, name, url);
  return expectInMeeting(p);
}

/** On the pre-join page at the current URL (or `url`): types the name and presses Join. */
export async function askToJoin(p, name, url) {
  if (url) await p.page.goto(url);
  await p.page.locator(sel.prejoinName).fill(name, { timeout: UI_TIMEOUT });
  await p.page.locator(sel.join).click({ timeout: UI_TIMEOUT });
  p.name = name;
}

/**
 * Waits for the meeting: the local tile, then its identity (which comes with the JoinResponse).
 * Resolves with the identity, also kept as `p.identity`.
 */
export async function expectInMeeting(p, { timeout = JOIN_TIMEOUT } = {}) {
  const local = p.page.locator(sel.localTile);
  await local.waitFor({ state: 'visible', timeout }).catch((e) => {
    throw new Error(`${p.label} never reached the meeting (no local tile) at ${p.page.url()}: ${e.message.split('\n')[0]}`);
  });
  // the local tile shows while connecting; its identity comes with the JoinResponse
  const identity = await waitFor(`${p.label}'s local tile to get its identity (the room to connect)`,
    () => local.getAttribute('data-identity'), { timeout, interval: 100 });
  await p.page.locator('.meeting[data-status="connected"]').waitFor({ state: 'attached', timeout }).catch((e) => {
    throw new Error(`${p.label}'s meeting never reached data-status=connected: ${e.message.split('\n')[0]}`);
  });
  p.identity = identity;
  return identity;
}

/** Waits until `selector` is visible on `p`'s page; the error names `what` and the page's URL. */
export async function expectVisible(p, selector, what, { timeout = UI_TIMEOUT } = {}) {
  await p.page.locator(selector).first().waitFor({ state: 'visible', timeout }).catch(async (e) => {
    const shown = await p.page.evaluate(() => [...document.querySelectorAll('main [data-testid], [data-testid$="-page"]')]
      .map((el) => `${el.getAttribute('data-testid')}${el.dataset.code ? `[code=${el.dataset.code}]` : ''}${el.dataset.reason ? `[reason=${el.dataset.reason}]` : ''}`)
      .slice(0, 12).join(' ')).catch(() => '?');
    throw new Error(`${p.label} never showed ${what} (${selector}) at ${p.page.url()}; the page shows: ${shown || 'nothing marked'}: ${e.message.split('\n')[0]}`);
  });
}

/**
 * Signs in through the server's OpenID Connect provider from a page that shows the sign-in page's
 * provider button: the button, the IdP's login form (any `username` is accepted and becomes
 * `sub`), its consent form, and back on the server (`origin`), signed in.
 */
export async function signInWithIdp(p, origin, username, { password = 'any-password', timeout = 30_000 } = {}) {
  const page = p.page;
  await page.locator(sel.loginOidc).click({ timeout: UI_TIMEOUT });
  const login = page.locator('form:has(input[name="prompt"][value="login"])');
  await login.waitFor({ state: 'visible', timeout: UI_TIMEOUT }).catch((e) => {
    throw new Error(`${p.label}: the identity provider's login form never showed (at ${page.url()}): ${e.message.split('\n')[0]}`);
  });
  await login.locator('input[name="login"]').fill(username);
  await login.locator('input[name="password"]').fill(password);
  await login.locator('button[type="submit"]').click();
  // then the consent form (a first grant), then back on the server past /auth/callback
  const consent = page.locator('form:has(input[name="prompt"][value="consent"]) button[type="submit"]');
  let consented = false;
  await waitFor(`${p.label} to come back from the identity provider to ${origin}`, async () => {
    const u = new URL(page.url());
    if (u.origin === origin && !u.pathname.startsWith('/auth/')) return true;
    if (!consented && await consent.isVisible().catch(() => false)) {
      await consent.click();
      consented = true;
    }
    return false;
  }, { timeout, interval: 100, detail: () => `at ${page.url()}${consented ? ' (consent given)' : ''}` });
}

/** Makes sure a toggle button (aria-pressed) is on. */
export async function ensurePressed(p, selector, what) {
  const button = p.page.locator(selector);
  await button.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  await waitFor(`${p.label}'s ${what} button to be on (aria-pressed=true)`,
    async () => (await button.getAttribute('aria-pressed')) === 'true', { timeout: UI_TIMEOUT });
}

/**
 * Waits for the camera to be on as the pre-join page chose (it is published once connected);
 * only if it stays off does it press the button, so as not to race that publication.
 */
export async function expectCameraOn(p, { settle = 10_000 } = {}) {
  const button = p.page.locator(sel.toggleCamera);
  const on = await waitFor(`${p.label}'s camera to come on by itself`,
    async () => (await button.getAttribute('aria-pressed')) === 'true', { timeout: settle, interval: 100 }).catch(() => false);
  if (!on) await ensurePressed(p, sel.toggleCamera, 'camera');
}

/** Clicks the "start audio" banner if the browser blocked autoplay. */
export async function startAudioIfBlocked(p) {
  const b = p.page.locator(sel.startAudio);
  if (await b.count()) await b.first().click().catch(() => {});
}

/** Waits until the page shows `n` participant tiles, `n - 1` of them remote. */
export async function expectTiles(p, n, { timeout = JOIN_TIMEOUT } = {}) {
  let seen = { all: 0, remote: 0 };
  await waitFor(`${p.label} to show ${n} participant tiles (${n - 1} remote)`, async () => {
    seen = { all: await count(p.page, sel.tile), remote: await count(p.page, sel.remoteTile) };
    return seen.all === n && seen.remote === n - 1;
  }, { timeout, interval: 200, detail: () => `tiles: ${JSON.stringify(seen)}` });
}

/** Waits until `n` remote tiles have a playing <video> (videoWidth > 0); returns their widths. */
export async function expectRemoteVideos(p, n, { timeout = JOIN_TIMEOUT } = {}) {
  let widths = [];
  return waitFor(`${p.label} to show ${n} remote videos playing (videoWidth > 0)`, async () => {
    widths = await p.page.$$eval(`${sel.remoteTile} video`, (vs) => vs.map((v) => v.videoWidth));
    return widths.filter((w) => w > 0).length >= n && widths;
  }, { timeout, interval: 200, detail: () => `remote video widths: ${JSON.stringify(widths)}` });
}
