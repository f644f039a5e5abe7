/* global document, localStorage, window */
// Two participants join the same room through the real UI and livekit-client, against a
// LiveKit-compatible server (a real Parlons, `livekit-server --dev`, or the protocol spike),
// with the mock API minting real tokens:
//
//   PARLONS_MOCK_LIVEKIT_URL=ws://127.0.0.1:7880 PARLONS_MOCK_LIVEKIT_KEY=devkey \
//   PARLONS_MOCK_LIVEKIT_SECRET=secret node tools/live-check.mjs
//
// CAMERA=1 also publishes cameras (the audio-only spike cannot forward video).
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { createServer } from 'vite';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);
const outDir = process.env.OUT_DIR ?? '/tmp/parlons-web';
mkdirSync(outDir, { recursive: true });
const camera = process.env.CAMERA === '1';
process.env.PARLONS_MOCK_API = '1';
const server = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { host: '127.0.0.1', port: 0 },
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
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    '--no-sandbox',
    '--disable-gpu',
  ],
});

const failures = [];
const step = (ok, message) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${message}`);
  if (!ok) failures.push(message);
};

async function join(name, slug) {
  const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
  await context.addInitScript(
    (media) => localStorage.setItem('parlons.media', media),
    JSON.stringify({ cameraEnabled: camera, microphoneEnabled: true }),
  );
  // Keeps the page's WebSockets reachable, so the check can cut the signalling connection.
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    window.__parlonsSockets = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        window.__parlonsSockets.push(this);
      }
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => failures.push(`${name}: ${error.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.log(`  [${name} console] ${msg.text()}`);
  });
  await page.goto(`${base}/r/${slug}`);
  await page.getByTestId('prejoin-name').fill(name);
  await page.getByTestId('join').click();
  await page.getByTestId('participant-tile').first().waitFor({ timeout: 20000 });
  await page.waitForSelector('[data-testid="connection-banner"][data-status="connected"]', {
    state: 'attached',
    timeout: 20000,
  });
  return page;
}

const tileSelector = (page, identity) =>
  `[data-testid="participant-tile"][data-identity="${identity}"]`;

try {
  const slug = `live-${Date.now().toString(36)}`;
  const alice = await join('Alice', slug);
  step(true, 'alice connected');
  const bob = await join('Bob', slug);
  step(true, 'bob connected');
  await alice.waitForFunction(
    () => document.querySelectorAll('[data-testid="participant-tile"]').length === 2,
  );
  await bob.waitForFunction(
    () => document.querySelectorAll('[data-testid="participant-tile"]').length === 2,
  );
  step(true, 'each sees two tiles');
  const aliceIdentity = await alice
    .locator('[data-testid="participant-tile"][data-local]')
    .getAttribute('data-identity');
  await bob.waitForSelector(`${tileSelector(bob, aliceIdentity)}`);
  step(true, `bob sees alice's tile (${aliceIdentity})`);
  await bob.waitForFunction(() => document.querySelectorAll('audio').length >= 1, null, {
    timeout: 15000,
  });
  step(true, 'bob plays a remote audio track');
  step(
    (await bob.locator(`${tileSelector(bob, aliceIdentity)} [data-testid="mic-muted"]`).count()) ===
      0,
    "alice's microphone shows as on for bob",
  );
  await alice.getByTestId('toggle-mic').click();
  await bob.waitForSelector(`${tileSelector(bob, aliceIdentity)} [data-testid="mic-muted"]`, {
    timeout: 10000,
  });
  step(true, 'alice mutes: bob sees "Microphone muted"');
  await alice.getByTestId('toggle-mic').click();
  await bob.waitForSelector(`${tileSelector(bob, aliceIdentity)} [data-testid="mic-muted"]`, {
    state: 'detached',
    timeout: 10000,
  });
  step(true, 'alice unmutes: indicator goes away');
  if (camera) {
    await bob.waitForFunction(
      (id) => document.querySelector(`[data-identity="${id}"] video`)?.videoWidth > 0,
      aliceIdentity,
      { timeout: 15000 },
    );
    step(true, "bob sees alice's camera (videoWidth > 0)");
  }
  // A signalling drop: the banner says so, then the SDK resumes or rejoins.
  await alice.evaluate(() =>
    window.__parlonsSockets.filter((s) => s.url.includes('/rtc')).forEach((s) => s.close()),
  );
  await alice.waitForSelector('[data-testid="connection-banner"][data-status="reconnecting"]', {
    timeout: 15000,
  });
  step(true, 'signalling drop: reconnecting banner');
  await alice.screenshot({ path: `${outDir}/live-reconnecting.png` });
  await alice.waitForSelector('[data-testid="connection-banner"][data-status="connected"]', {
    state: 'attached',
    timeout: 30000,
  });
  step(true, 'reconnected: banner gone');
  await bob.waitForFunction(
    () => document.querySelectorAll('[data-testid="participant-tile"]').length === 2,
    null,
    {
      timeout: 15000,
    },
  );
  step(true, 'bob sees alice again after her reconnection');
  await bob.evaluate(axeSource);
  const axe = await bob.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    }),
  );
  const blocking = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of axe.violations) console.log(`  axe: [${v.impact}] ${v.id} (${v.nodes.length})`);
  step(blocking.length === 0, 'live meeting page: no serious/critical axe violations');
  await alice.screenshot({ path: `${outDir}/live-alice.png` });
  await bob.screenshot({ path: `${outDir}/live-bob.png` });
  await alice.getByTestId('leave').click();
  await alice.getByTestId('left-page').waitFor();
  step(true, 'alice left: left page');
  await bob.waitForFunction(
    () => document.querySelectorAll('[data-testid="participant-tile"]').length === 1,
    null,
    {
      timeout: 10000,
    },
  );
  step(true, 'bob sees alice go');
} catch (error) {
  failures.push(String(error?.stack ?? error));
} finally {
  await browser.close();
  await server.close();
}
console.log(
  failures.length
    ? `\n${failures.length} failure(s):\n${failures.join('\n')}`
    : '\nall live checks passed',
);
process.exit(failures.length ? 1 : 0);
