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
  if (url) await p.page.goto(url);
  await p.page.locator(sel.prejoinName).fill(name, { timeout: UI_TIMEOUT });
  await p.page.locator(sel.join).click({ timeout: UI_TIMEOUT });
  const local = p.page.locator(sel.localTile);
  await local.waitFor({ state: 'visible', timeout: JOIN_TIMEOUT });
  // the local tile shows while connecting; its identity comes with the JoinResponse
  const identity = await waitFor(`${p.label}'s local tile to get its identity (the room to connect)`,
    () => local.getAttribute('data-identity'), { timeout: JOIN_TIMEOUT, interval: 100 });
  p.identity = identity;
  p.name = name;
  return identity;
}

/** Makes sure a toggle button (aria-pressed) is on. */
export async function ensurePressed(p, selector, what) {
  const button = p.page.locator(selector);
  await button.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  await waitFor(`${p.label}'s ${what} button to be on (aria-pressed=true)`,
    async () => (await button.getAttribute('aria-pressed')) === 'true', { timeout: UI_TIMEOUT });
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
