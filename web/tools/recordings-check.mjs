/* global document, window */
// Development check of recordings in headless Chromium, against the mock API (tools/mockApi.ts):
// the recording badge and the hosts' Record / Stop recording controls (meeting preview), the
// pre-join notice, and the recordings page (list, players, delete). Runs axe-core on each state
// and writes screenshots to $OUT_DIR (default /tmp/parlons-web).
//
//   node tools/recordings-check.mjs          # needs /usr/bin/chromium (Debian package)
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
const server = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host: '127.0.0.1', port: 0, strictPort: false },
  logLevel: 'warn',
});
await server.listen();
const base = `http://127.0.0.1:${server.httpServer.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    '--no-sandbox',
    '--disable-gpu',
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
  await page.screenshot({ path: `${outDir}/${name.replace(/[^a-z0-9]+/gi, '-')}.png` });
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

const text = async (locator) => (await locator.textContent())?.trim() ?? '';

try {
  // The meeting: everyone sees the badge; a host records and stops.
  const host = await newPage();
  await host.goto(`${base}/dev/meeting.html?people=3&host=1&recording=1`);
  await host.getByTestId('recording-badge').waitFor();
  expect((await text(host.getByTestId('recording-badge'))) === 'Recording', 'meeting: badge text');
  await axe(host, 'meeting recording badge');
  await host.getByTestId('record-stop').click();
  await host.getByTestId('record-stop-dialog').waitFor();
  await axe(host, 'meeting stop recording dialog');
  await host.getByTestId('record-stop-confirm').click();
  await host.getByTestId('record-start').waitFor();
  expect(true, 'meeting: stop recording confirmed');
  await host.evaluate(() => window.parlonsFakeRoom.setRecording(false));
  await host.getByTestId('recording-badge').waitFor({ state: 'detached' });
  expect(
    (await text(host.getByTestId('recording-announcer'))) === 'The recording has stopped.',
    'meeting: stop announced',
  );
  await host.getByTestId('record-start').click();
  await host.getByTestId('record-start-dialog').waitFor();
  await axe(host, 'meeting start recording dialog');
  await host.getByRole('radio', { name: 'Audio only' }).check();
  await host.getByRole('checkbox', { name: 'Transcribe afterwards' }).check();
  await host.getByRole('button', { name: 'Start recording' }).click();
  await host.getByTestId('record-stop').waitFor();
  expect(true, 'meeting: recording started (audio, transcript)');
  // The mock now runs one for this room: a second start is refused.
  await host.evaluate(() => window.parlonsFakeRoom.setRecording(true));
  await host.evaluate(() => window.parlonsFakeRoom.setRecording(false));
  await host.getByTestId('record-start').click();
  await host.getByTestId('record-start-confirm').click();
  await host.getByTestId('record-start-error').waitFor();
  expect(
    (await text(host.getByTestId('record-start-error'))).includes('already running'),
    'meeting: refused start explained',
  );
  await axe(host, 'meeting start recording refused');
  await host.keyboard.press('Escape');

  // The pre-join page tells people before they enter.
  const guest = await newPage();
  await guest.goto(`${base}/r/abc-defg-hij`);
  await guest.getByTestId('prejoin-recording-notice').waitFor();
  expect(
    (await text(guest.getByTestId('prejoin-recording-notice'))).startsWith(
      'This meeting is being recorded.',
    ),
    'pre-join: recording notice',
  );
  await axe(guest, 'prejoin recording notice');

  // The recordings page: signed out, then as a host.
  const page = await newPage();
  await page.goto(`${base}/rooms/abc-defg-hij/recordings`);
  await page.getByTestId('recordings-signed-out').waitFor();
  await axe(page, 'recordings signed out');
  await page.getByTestId('recordings-signed-out').getByRole('link').click();
  await page.getByTestId('login-username').fill('ada');
  await page.getByTestId('login-password').fill('password');
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${base}/rooms/abc-defg-hij/recordings`);
  await page.getByTestId('recordings-list').waitFor();
  const items = page.getByTestId('recording-item');
  expect((await items.count()) === 4, 'recordings: the running one and three seeded');
  expect(
    (await page.getByTestId('recording-player').count()) === 5,
    'recordings: a player per written file',
  );
  expect(
    (await page.locator('video[data-testid="recording-player"]').count()) === 3 &&
      (await page.locator('audio[data-testid="recording-player"]').count()) === 2,
    'recordings: video for cameras and screens, audio for microphones',
  );
  await page.getByRole('link', { name: 'Download Grace Hopper, camera' }).waitFor();
  await axe(page, 'recordings list');

  const failedItem = page.locator('[data-testid="recording-item"][data-status="failed"]');
  expect(
    (await text(failedItem.getByTestId('recording-status'))) === 'Failed: disk full',
    'recordings: failure reason',
  );

  await failedItem.getByTestId('recording-delete').click();
  await page.getByTestId('recording-delete-dialog').waitFor();
  await axe(page, 'recordings delete dialog');
  await page.getByTestId('recording-delete-confirm').click();
  await failedItem.waitFor({ state: 'detached' });
  expect(
    (await text(page.getByTestId('recordings-status'))) === 'Recording deleted.',
    'recordings: deletion announced',
  );

  const french = await newPage('fr-FR');
  await french.goto(`${base}/login?next=%2Frooms%2Fabc-defg-hij%2Frecordings`);
  await french.getByTestId('login-username').fill('ada');
  await french.getByTestId('login-password').fill('password');
  await french.getByTestId('login-submit').click();
  await french.getByTestId('recordings-list').waitFor();
  expect(
    (await text(french.locator('h1'))) === 'Enregistrements de « abc-defg-hij »',
    'recordings: French',
  );
  await axe(french, 'recordings list fr');
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
