// axe-core on the home, pre-join and meeting pages: any `serious` or `critical` violation fails.
// The sign-in, rooms, waiting and refused pages need accounts and an identity provider: they are
// checked on the way through accounts.test.mjs.
import { useE2E } from './lib/harness.mjs';
import { expectAccessible } from './lib/browser.mjs';
import { createMeetingFromHome, expectTiles, joinFromPrejoin, sel, UI_TIMEOUT } from './lib/app.mjs';

const e2e = useE2E('e2e-accessibility');
const independent = { critical: false };

const check = expectAccessible;

e2e.step('the home page has no serious or critical accessibility violations', async (t) => {
  const p = await e2e.participant('axe-home');
  await p.page.goto(`${e2e.base()}/`);
  await p.page.locator(sel.newMeeting).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await check(t, p, 'home');
}, independent);

e2e.step('the pre-join page has no serious or critical accessibility violations', async (t) => {
  const p = await e2e.participant('axe-prejoin');
  await createMeetingFromHome(p, e2e.base());
  await p.page.locator(sel.prejoinName).waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  // let the camera preview start, so the page is checked as people see it
  await p.page.locator('[data-testid="prejoin-preview"] video, [data-testid="prejoin-preview"]').first()
    .waitFor({ state: 'visible', timeout: UI_TIMEOUT }).catch(() => {});
  await check(t, p, 'pre-join');
}, independent);

e2e.step('the meeting page has no serious or critical accessibility violations', async (t) => {
  const a = await e2e.participant('axe-meeting-a');
  const slug = await createMeetingFromHome(a, e2e.base());
  await joinFromPrejoin(a, 'Ada');
  const b = await e2e.participant('axe-meeting-b');
  await joinFromPrejoin(b, 'Brian', `${e2e.base()}/r/${encodeURIComponent(slug)}`);
  await expectTiles(a, 2);
  await a.page.locator(sel.openChat).click({ timeout: UI_TIMEOUT }); // the chat panel too
  await check(t, a, 'meeting');
}, independent);
