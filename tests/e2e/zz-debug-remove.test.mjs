import { SignalResponse, SignalRequest } from '@livekit/protocol';
import fs from 'node:fs';
import { useE2E } from './lib/harness.mjs';
import { askToJoin, expectInMeeting, expectTiles, sel, UI_TIMEOUT } from './lib/app.mjs';

const e2e = useE2E('e2e-debug', { dev: false, requireManaged: true });
const log = [];
function tap(p) {
  p.page.on('websocket', (ws) => {
    const t0 = Date.now();
    log.push(`${p.label} WS open ${ws.url().split('?')[0]}`);
    ws.on('framereceived', (f) => {
      try { const m = SignalResponse.fromBinary(Buffer.from(f.payload)); log.push(`${Date.now()} ${p.label} <- ${m.message.case} ${JSON.stringify(m.message.value?.toJson?.() ?? '').slice(0, 6000)}`); } catch (e) { log.push(`${p.label} <- ? ${e.message}`); }
    });
    ws.on('framesent', (f) => {
      try { const m = SignalRequest.fromBinary(Buffer.from(f.payload)); log.push(`${Date.now()} ${p.label} -> ${m.message.case} ${JSON.stringify(m.message.value?.toJson?.() ?? '').slice(0, 200)}`); } catch (e) { log.push(`${p.label} -> ? ${e.message}`); }
    });
    ws.on('close', () => log.push(`${Date.now()} ${p.label} WS closed`));
  });
}

e2e.step('repro', async () => {
  const { username, password } = await e2e.server.admin();
  const host = await e2e.participant('host');
  tap(host);
  await host.page.goto(`${e2e.base()}/login?next=%2Frooms`);
  await host.page.locator(sel.loginForm).waitFor();
  await host.page.locator('[data-testid="login-username"]').fill(username);
  await host.page.locator('[data-testid="login-password"]').fill(password);
  await host.page.locator('[data-testid="login-submit"]').click();
  await host.page.locator(sel.createRoomForm).waitFor();
  await host.page.locator(sel.roomName).fill('dbg');
  await host.page.locator(sel.roomAccess('public')).check();
  await host.page.locator(sel.createRoomSubmit).click();
  const item = host.page.locator(sel.roomItem, { hasText: 'dbg' });
  await item.waitFor();
  const slug = await item.getAttribute('data-slug');
  await askToJoin(host, 'Host', `${e2e.base()}/r/${slug}`);
  await expectInMeeting(host);
  const g = await e2e.participant('guest');
  tap(g);
  await askToJoin(g, 'Gus', `${e2e.base()}/r/${slug}`);
  await expectInMeeting(g);
  await expectTiles(host, 2);
  await new Promise((r) => setTimeout(r, 3000));
  log.push(`${Date.now()} ---- REMOVE`);
  await g.page.locator(sel.leave).click();
  await new Promise((r) => setTimeout(r, 4000));
  fs.writeFileSync('/tmp/ws-log.txt', log.join('\n') + '\n\nHOST CONSOLE\n' + host.console.join('\n'));
  await expectTiles(host, 1);
});
