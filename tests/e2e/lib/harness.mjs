// node:test glue for browser tests: one server and one Chromium per file, participants (browser
// contexts) registered for cleanup, and failures that carry screenshots, the pages' console
// tails and the server log tail.
import { after, before, test } from 'node:test';
import { cleanExit, startServer } from '../../lib/server.mjs';
import { launchBrowser, BrowserParticipant } from './browser.mjs';

/**
 * `options` go to startServer (default: `--dev`); a function is called first, with `ctx`, and its
 * result used (e.g. to start an IdP the server points at, stopped with `ctx.defer(fn)`).
 */
export function useE2E(name, options = {}) {
  const ctx = { server: null, browser: null, browsers: [], participants: [], broken: null, cleanups: [] };

  /** Runs `fn` after the file's tests, once the browser and the server are stopped. */
  ctx.defer = (fn) => ctx.cleanups.push(fn);

  before(async () => {
    const opts = typeof options === 'function' ? await options(ctx) : options;
    ctx.server = await startServer({ ...opts, name });
    ctx.browser = await launchBrowser();
  }, { timeout: 90_000 });

  after(async () => {
    for (const p of ctx.participants) await p.close();
    for (const b of ctx.browsers) await b.close().catch(() => {});
    await ctx.browser?.close().catch(() => {});
    let exit;
    try {
      exit = await ctx.server?.stop();
    } finally {
      for (const fn of ctx.cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
    }
    if (exit && !cleanExit(exit)) {
      throw new Error(`the server did not exit cleanly on SIGTERM: code ${exit.code}, signal ${exit.signal}`);
    }
  }, { timeout: 60_000 });

  /** The web client's origin (the server serves it). */
  ctx.base = () => ctx.server.httpUrl;

  /**
   * Opens a new participant (browser context), in the file's browser or in `browser` (one from
   * ctx.launchBrowser, e.g. with a microphone of its own).
   */
  ctx.participant = async (label, { browser = ctx.browser } = {}) => {
    const p = await BrowserParticipant.open(browser, label);
    ctx.participants.push(p);
    return p;
  };

  /** Another tab of `p`'s context (same cookies), screenshotted and closed like a participant. */
  ctx.tab = async (p, label) => {
    const tab = await p.newTab(label);
    ctx.participants.push(tab);
    return tab;
  };

  /** Another Chromium with more arguments (launchBrowser), closed after the file's tests. */
  ctx.launchBrowser = async (args) => {
    const b = await launchBrowser({ args });
    ctx.browsers.push(b);
    return b;
  };

  /**
   * A test that is one step of a flow: skipped once an earlier critical step of the file failed,
   * and on failure annotated with screenshots, console and server log. A failed step that later
   * steps do not depend on is `critical: false`.
   */
  ctx.step = (stepName, fn, { timeout = 90_000, critical = true } = {}) => test(stepName, { timeout }, async (t) => {
    if (!ctx.server || !ctx.browser) throw new Error('the server or the browser did not start (see the before hook)');
    if (ctx.broken) {
      t.skip(`an earlier step failed: ${ctx.broken}`);
      return;
    }
    try {
      await fn(t);
    } catch (e) {
      if (critical) ctx.broken = stepName;
      const shots = [];
      for (const p of ctx.participants) {
        if (!p.page.isClosed()) shots.push(await p.screenshot(`FAILED-${stepName}`));
        p.saveConsole(`FAILED-${stepName}`);
      }
      const consoles = ctx.participants.map((p) => `--- console of ${p.label} ---\n${p.consoleTail()}`).join('\n');
      try {
        e.message += `\nscreenshots (and each page's whole console, *.console.txt): ${shots.join(', ') || 'none'}\n${consoles}`;
      } catch { /* read-only message */ }
      throw ctx.server.annotate(e);
    }
  });

  return ctx;
}
