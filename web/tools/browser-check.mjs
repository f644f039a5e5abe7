/* global document, localStorage, window */
// Development check of the web client in headless Chromium, without a Parlons server:
// starts Vite's dev server with the mock API (tools/mockApi.ts), opens the home page, the
// pre-join page (fake camera and microphone) and the meeting preview (dev/meeting.html, a
// fake room), runs axe-core on each and writes screenshots to $OUT_DIR (default /tmp/parlons-web).
//
//   node tools/browser-check.mjs            # needs /usr/bin/chromium (Debian package)
//
// Exit status 1 when a serious or critical axe violation or a failed expectation is found.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const outDir = process.env.OUT_DIR ?? '/tmp/parlons-web';
mkdirSync(outDir, { recursive: true });

process.env.PARLONS_MOCK_API = '1';
// "New meeting" without signing in (tools/accounts-check.mjs covers the signed-in flows).
process.env.PARLONS_MOCK_ANONYMOUS_ROOMS = '1';
const server = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host: '127.0.0.1', port: 0, strictPort: false },
  logLevel: 'warn',
});
await server.listen();
const address = server.httpServer.address();
const base = `http://127.0.0.1:${address.port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});

const failures = [];
function expect(condition, message) {
  if (!condition) failures.push(message);
  console.log(`${condition ? 'ok  ' : 'FAIL'} ${message}`);
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      },
    }),
  );
  for (const v of result.violations) {
    console.log(`  axe ${name}: [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length})`);
    for (const node of v.nodes.slice(0, 3)) console.log(`      ${node.target.join(' ')}`);
  }
  const blocking = result.violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(blocking.length === 0, `${name}: no serious/critical axe violations`);
}

async function newPage(locale = 'en-US', options = {}) {
  const context = await browser.newContext({
    locale,
    viewport: { width: 1280, height: 800 },
    permissions: ['camera', 'microphone', 'clipboard-read', 'clipboard-write'],
    ...options,
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  return page;
}

try {
  // Home, in English then French.
  const home = await newPage('en-US');
  await home.goto(`${base}/`);
  await home.getByTestId('new-meeting').waitFor();
  expect((await home.locator('html').getAttribute('lang')) === 'en', 'home: <html lang="en">');
  await axe(home, 'home');
  await home.screenshot({ path: `${outDir}/home.png` });
  await home.getByTestId('lang-fr').click();
  expect((await home.locator('html').getAttribute('lang')) === 'fr', 'home: switch to French');
  expect(
    (await home.getByTestId('new-meeting').textContent()).includes('Nouvelle réunion'),
    'home: French label',
  );
  await home.getByTestId('lang-en').click();
  const fr = await newPage('fr-FR');
  await fr.goto(`${base}/`);
  expect(
    (await fr.locator('html').getAttribute('lang')) === 'fr',
    'home: French browser gets French',
  );
  await fr.screenshot({ path: `${outDir}/home-fr.png` });

  // New meeting → pre-join.
  await home.getByTestId('new-meeting').click();
  await home.waitForURL(/\/r\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
  expect(true, `new meeting navigates to ${new URL(home.url()).pathname}`);
  await home.getByTestId('prejoin-preview').waitFor();
  await home.waitForFunction(
    () => document.querySelector('[data-testid="prejoin-preview"]')?.videoWidth > 0,
  );
  expect(true, 'pre-join: camera preview plays');
  await home.waitForTimeout(500);
  await axe(home, 'pre-join');
  await home.screenshot({ path: `${outDir}/prejoin.png` });

  // Joining without a name is refused, with a message.
  await home.getByTestId('prejoin-name').fill('');
  await home.getByTestId('join').click();
  expect(await home.getByRole('alert').first().isVisible(), 'pre-join: empty name shows an alert');
  await home.getByTestId('prejoin-name').fill('Ada');
  expect(
    (await home.evaluate(() => localStorage.getItem('parlons.displayName'))) === 'Ada',
    'pre-join: name remembered',
  );
  // The mock points at a closed port: the connection fails and says so.
  await home.getByTestId('join').click();
  await home.getByTestId('left-page').waitFor({ timeout: 30000 });
  expect(true, 'join with no LiveKit server: failure page');
  await axe(home, 'left page');
  await home.screenshot({ path: `${outDir}/failed.png` });

  // A room the server does not know: a page says so.
  const missing = await newPage();
  await missing.goto(`${base}/r/missing-room`);
  await missing.getByTestId('prejoin-name').fill('Bob');
  await missing.getByTestId('join').click();
  await missing.locator('[data-testid="refused-page"][data-code="room_not_found"]').waitFor();
  expect(true, 'pre-join: unknown room → "does not exist" page');

  // Camera refused, microphone busy: both explained, joining still possible.
  const denied = await newPage('en-US');
  await denied.addInitScript(() => {
    const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
    navigator.mediaDevices.getUserMedia = (constraints) =>
      constraints.video
        ? Promise.reject(new DOMException('Permission denied', 'NotAllowedError'))
        : constraints.audio
          ? Promise.reject(new DOMException('Could not start audio source', 'NotReadableError'))
          : real(constraints);
  });
  await denied.goto(`${base}/r/abc-defg-hij`);
  await denied.locator('[data-problem="denied"]').waitFor();
  await denied.locator('[data-problem="inUse"]').waitFor();
  expect(true, 'pre-join: denied camera and busy microphone explained');
  await axe(denied, 'pre-join with device problems');
  await denied.screenshot({ path: `${outDir}/prejoin-denied.png` });

  // Meeting UI on a fake room.
  const meeting = await newPage('en-US');
  await meeting.goto(`${base}/dev/meeting.html?people=6&hands=2`);
  await meeting.getByTestId('participant-tile').first().waitFor();
  expect((await meeting.getByTestId('participant-tile').count()) === 6, 'meeting: 6 tiles');
  await meeting.waitForFunction(() =>
    [...document.querySelectorAll('[data-testid="participant-tile"]:not([data-local]) video')].some(
      (v) => v.videoWidth > 0,
    ),
  );
  expect(true, 'meeting: remote <video> has videoWidth > 0');
  expect(
    (await meeting.locator('[data-identity="user-1"] [data-testid="mic-muted"]').count()) === 1,
    'meeting: muted mic shown',
  );
  await axe(meeting, 'meeting grid');
  await meeting.screenshot({ path: `${outDir}/meeting.png` });

  await meeting.getByTestId('open-chat').click();
  await meeting.getByTestId('chat-input').fill('Bonjour à tous');
  await meeting.keyboard.press('Enter');
  await meeting.getByTestId('chat-message').nth(1).waitFor();
  expect((await meeting.getByTestId('chat-message').count()) === 2, 'chat: Enter sends');
  await meeting.getByTestId('raise-hand').click();
  await meeting.getByTestId('reactions').click();
  await meeting.getByTestId('reaction-option').first().click();
  await meeting.getByTestId('reaction').first().waitFor();
  expect(true, 'reaction floats');
  await axe(meeting, 'meeting with chat');
  await meeting.screenshot({ path: `${outDir}/meeting-chat.png` });
  await meeting.getByTestId('open-participants').click();
  await axe(meeting, 'meeting with participants');
  await meeting.screenshot({ path: `${outDir}/meeting-people.png` });
  await meeting.getByTestId('copy-link').click();
  await meeting.getByText('Meeting link copied').waitFor();
  expect(true, 'copy link confirmed');

  const shared = await newPage('fr-FR');
  await shared.goto(`${base}/dev/meeting.html?people=14&share=2&hands=0`);
  await shared.getByTestId('screenshare-tile').nth(1).waitFor();
  expect(true, 'speaker view: two screen shares');
  await axe(shared, 'speaker view');
  await shared.screenshot({ path: `${outDir}/meeting-share.png` });

  const crowd = await newPage('en-US', { viewport: { width: 1400, height: 900 } });
  await crowd.goto(`${base}/dev/meeting.html?people=40&hands=3`);
  await crowd.getByTestId('participant-tile').first().waitFor();
  expect((await crowd.getByTestId('participant-tile').count()) === 16, 'grid: 16 tiles per page');
  await crowd.getByTestId('page-next').click();
  expect((await crowd.getByText('Page 2 of 3').count()) === 1, 'grid: page 2 of 3');
  await crowd.screenshot({ path: `${outDir}/meeting-crowd.png` });

  const phone = await newPage('fr-FR', { viewport: { width: 390, height: 844 } });
  await phone.goto(`${base}/dev/meeting.html?people=3`);
  await phone.getByTestId('participant-tile').first().waitFor();
  await phone.screenshot({ path: `${outDir}/meeting-phone.png` });
  await phone.goto(`${base}/r/abc-defg-hij`);
  await phone.getByTestId('join').waitFor();
  await phone.screenshot({ path: `${outDir}/prejoin-phone.png`, fullPage: true });
} catch (error) {
  failures.push(String(error?.stack ?? error));
} finally {
  await browser.close();
  await server.close();
}

console.log(
  failures.length
    ? `\n${failures.length} failure(s):\n${failures.join('\n')}`
    : '\nall checks passed',
);
process.exit(failures.length ? 1 : 0);
