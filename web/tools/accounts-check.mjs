/* global document, window */
// Development check of sign-in, "My rooms", the lobby and the hosts' tools in headless Chromium,
// against the mock API (tools/mockApi.ts): drives each page, runs axe-core on it and writes
// screenshots to $OUT_DIR (default /tmp/parlons-web).
//
//   node tools/accounts-check.mjs            # needs /usr/bin/chromium (Debian package)
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
  // Signed out: "New meeting" leads to sign-in; the header offers it too.
  const home = await newPage();
  await home.goto(`${base}/`);
  await home.getByTestId('new-meeting-sign-in-hint').waitFor();
  await home.getByTestId('sign-in-link').waitFor();
  await axe(home, 'home signed out');
  await home.getByTestId('new-meeting').click();
  await home.waitForURL(`${base}/login`);
  expect(true, 'home: New meeting while signed out → /login');

  // Sign-in page: OIDC link, local form, refusal in an alert, then back to `next`.
  const login = await newPage();
  await login.goto(`${base}/login?next=%2Frooms`);
  await login.getByTestId('login-form').waitFor();
  expect(
    (await login.getByTestId('login-oidc').getAttribute('href')) ===
      '/auth/oidc/login?next=%2Frooms',
    'login: OIDC link keeps next',
  );
  await axe(login, 'login');
  await login.getByTestId('login-username').fill('ada');
  await login.getByTestId('login-password').fill('wrong');
  await login.getByTestId('login-submit').click();
  await login.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();
  expect(true, 'login: invalid credentials announced');
  await axe(login, 'login with error');
  await login.getByTestId('login-password').fill('password');
  await login.getByTestId('login-submit').click();
  await login.waitForURL(`${base}/rooms`);
  expect((await text(login.getByTestId('account-name'))).includes('Ada Lovelace'), 'header: name');

  // My rooms: create one for later, one for now; edit; delete.
  const rooms = login;
  await rooms.getByTestId('create-room-form').waitFor();
  await axe(rooms, 'rooms empty');
  const form = rooms.getByTestId('create-room-form');
  await form.getByLabel('Name').fill('Project review');
  await form.getByTestId('room-access-trusted').check();
  await form.getByTestId('room-cap').fill('12');
  await form.getByTestId('room-later').check();
  await form.getByTestId('room-scheduled-at').fill('2030-06-03T10:30');
  await form.getByTestId('create-room-submit').click();
  await rooms
    .getByTestId('rooms-upcoming')
    .getByRole('heading', { name: 'Project review' })
    .waitFor();
  expect(true, 'rooms: scheduled room listed under Upcoming');
  await form.getByLabel('Name').fill('Daily');
  await form.getByTestId('create-room-submit').click();
  await rooms.getByTestId('rooms-recent').getByRole('heading', { name: 'Daily' }).waitFor();
  expect(true, 'rooms: other room listed under Recent');
  await axe(rooms, 'rooms listed');
  const daily = rooms
    .getByTestId('room-item')
    .filter({ has: rooms.getByRole('heading', { name: 'Daily' }) });
  expect(
    /\/api\/v1\/rooms\/[a-z-]+\/invite\.ics$/.test(
      await daily.getByTestId('room-ics').getAttribute('href'),
    ),
    'rooms: .ics link',
  );
  await daily.getByTestId('room-settings').click();
  await rooms.getByTestId('room-settings-dialog').waitFor();
  await axe(rooms, 'room settings dialog');
  await rooms.getByTestId('room-locked').check();
  await rooms.getByTestId('room-publish-screen_share').selectOption('hosts');
  await rooms.getByTestId('room-settings-save').click();
  await daily.getByText('Locked', { exact: true }).waitFor();
  expect(true, 'rooms: settings saved (locked)');
  await daily.getByTestId('room-delete').click();
  await rooms.getByTestId('room-delete-dialog').waitFor();
  await axe(rooms, 'room delete dialog');
  await rooms.getByTestId('room-delete-confirm').click();
  await daily.waitFor({ state: 'detached' });
  expect(true, 'rooms: deleted');

  // Sign out from the header.
  await rooms.getByTestId('sign-out').click();
  await rooms.waitForURL(`${base}/`);
  await rooms.getByTestId('sign-in-link').waitFor();
  expect(true, 'header: signed out');

  // Knock, wait, get in (the mock admits after two polls); and cancel.
  const guest = await newPage();
  await guest.goto(`${base}/r/lobby-admit-abc`);
  await guest.getByTestId('prejoin-name').fill('Gaspard');
  await guest.getByTestId('join').click();
  await guest.getByTestId('waiting-page').waitFor();
  expect(
    (await guest.evaluate(() => document.activeElement?.tagName)) === 'H1',
    'waiting: focus on the title',
  );
  await axe(guest, 'waiting page');
  await guest.getByTestId('waiting-page').waitFor({ state: 'detached', timeout: 10000 });
  expect(true, 'waiting: let in');

  const cancel = await newPage('fr-FR');
  await cancel.goto(`${base}/r/lobby-forever`);
  await cancel.getByTestId('prejoin-name').fill('Gaspard');
  await cancel.getByTestId('join').click();
  await cancel.getByTestId('waiting-page').waitFor();
  await axe(cancel, 'waiting page fr');
  await cancel.getByTestId('waiting-cancel').click();
  await cancel.getByTestId('join').waitFor();
  expect(true, 'waiting: cancel goes back to the pre-join page');

  // Refusals.
  const denied = await newPage();
  await denied.goto(`${base}/r/lobby-deny-abc`);
  await denied.getByTestId('prejoin-name').fill('Gaspard');
  await denied.getByTestId('join').click();
  await denied.locator('[data-testid="refused-page"][data-code="denied"]').waitFor();
  expect(
    (await text(denied.getByTestId('refused-reason'))).includes('project team'),
    "refused: the host's reason is shown",
  );
  await axe(denied, 'refused denied');
  const full = await newPage();
  await full.goto(`${base}/r/full-room`);
  await full.getByTestId('prejoin-name').fill('Gaspard');
  await full.getByTestId('join').click();
  await full.getByRole('heading', { name: 'This meeting is full' }).waitFor();
  await axe(full, 'refused full');

  // The hosts' tools, on the meeting preview (a fake room; host calls go to the mock).
  const host = await newPage();
  await host.goto(`${base}/dev/meeting.html?people=5&guests=2&host=1&hands=1`);
  await host.getByTestId('lobby-panel').waitFor();
  expect((await host.getByTestId('lobby-entry').count()) === 2, 'host: two people waiting');
  expect(
    (await text(host.getByTestId('lobby-announcer'))).includes('waiting to join'),
    'host: knocks announced',
  );
  expect((await host.getByTestId('guest-badge').count()) === 2, 'host: guest badges on tiles');
  await axe(host, 'meeting host lobby');
  await host.getByTestId('lobby-deny').first().click();
  await host.getByTestId('lobby-deny-dialog').waitFor();
  await host.getByTestId('lobby-deny-reason').fill('Team only');
  await axe(host, 'meeting deny dialog');
  await host.getByTestId('lobby-deny-confirm').click();
  await host.getByTestId('lobby-deny-dialog').waitFor({ state: 'detached' });
  await host.getByTestId('lobby-admit-all').click();
  await host.getByTestId('lobby-panel').waitFor({ state: 'detached' });
  expect(true, 'host: deny, then admit all');

  await host.getByTestId('open-participants').click();
  const item = host.locator('[data-testid="participant-list-item"][data-identity="user-3"]');
  await item.getByTestId('participant-actions-toggle').click();
  await item.getByTestId('participant-remove').waitFor();
  await axe(host, 'meeting participant actions');
  await item.getByTestId('participant-remove').click();
  await host.getByTestId('participant-remove-dialog').waitFor();
  await axe(host, 'meeting remove dialog');
  await host.getByTestId('participant-remove-confirm').click();
  await host.getByTestId('moderation-status').filter({ hasText: 'removed' }).waitFor();
  await host.getByTestId('mute-all').click();
  await host.getByTestId('moderation-status').filter({ hasText: 'muted' }).waitFor();
  expect(true, 'host: remove and mute everyone');

  await host.getByTestId('room-settings-open').click();
  await host.getByTestId('room-settings-dialog').waitFor();
  await axe(host, 'meeting room settings');
  await host.keyboard.press('Escape');
  await host.getByTestId('room-settings-dialog').waitFor({ state: 'detached' });
  await host.getByTestId('end-meeting').click();
  await host.getByTestId('end-meeting-dialog').waitFor();
  await axe(host, 'meeting end dialog');
  await host.getByTestId('end-meeting-confirm').click();
  await host.getByTestId('end-meeting-dialog').waitFor({ state: 'detached' });
  expect(true, 'host: end meeting confirmed');

  const hostFr = await newPage('fr-FR');
  await hostFr.goto(`${base}/dev/meeting.html?people=3&guests=1&host=1`);
  await hostFr.getByTestId('end-meeting').waitFor();
  expect((await text(hostFr.getByTestId('end-meeting'))) === 'Terminer pour tous', 'host: French');
  await hostFr.getByTestId('open-participants').click();
  await hostFr.getByTestId('participant-actions-toggle').first().click();
  await axe(hostFr, 'meeting host fr');
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
