// Glue between node:test and the server under test: one server per test file (started in `before`,
// stopped in `after`), a per-test cleanup list, and failure messages that carry the server log tail.
import { after, before, test } from 'node:test';
import { cleanExit, slugify, startServer } from './server.mjs';
import { withDeadline } from './wait.mjs';

// How many useServer() servers of this file have not been stopped yet: the exit watchdog is armed
// only when the last one stops (a file may declare one server per `describe` block).
let pendingServers = 0;

// Stop a file that hangs after its tests (a native WebRTC thread keeping the loop alive).
function armWatchdog(name) {
  setTimeout(() => {
    // the results are already reported: keep their verdict
    const handles = process.getActiveResourcesInfo?.() ?? [];
    console.error(`[harness] ${name}: the process did not exit 5 s after its tests (active handles: ${handles.join(', ') || 'none'}); forcing exit`);
    process.exit(process.exitCode ?? 0);
  }, 5_000).unref();
}

/** Runs `fn({ t, server, defer })` with per-test cleanups; failures carry the server log tail. */
async function runWithCleanups(testName, t, server, fn) {
  const cleanups = [];
  const defer = (f) => cleanups.push(f);
  let failure;
  try {
    await fn({ t, server, defer });
  } catch (e) {
    failure = server.annotate(e);
  }
  for (const f of cleanups.reverse()) {
    try {
      await withDeadline(`cleanup of "${testName}"`, Promise.resolve().then(f), 10_000);
    } catch (e) {
      console.error(`[harness] cleanup failed in "${testName}": ${e.message}`);
    }
  }
  if (failure) throw failure;
}

/**
 * Declares the file's server (or, called inside a `describe` block, that block's server).
 * Returns `{ test, server() }`: `test(name, [opts,] fn)` runs `fn({ t, server, defer })`;
 * `defer(fn)` registers a cleanup run after the test, pass or fail, newest first, each bounded
 * by 10 s. `options` go to startServer (`dev`, `args`, `env`, `httpPort`, `requireManaged`); a
 * function is called first and its result used, e.g. to start an IdP the server points at.
 */
export function useServer(name, options = {}) {
  let server = null;
  let startError = null;
  pendingServers++;

  before(async () => {
    try {
      const opts = typeof options === 'function' ? await options() : options;
      server = await startServer({ ...opts, name });
    } catch (e) {
      startError = e;
      throw e;
    }
  }, { timeout: 90_000 });

  after(async () => {
    if (--pendingServers === 0) armWatchdog(name);
    if (!server) return;
    const exit = await server.stop();
    if (exit && server.managed && !cleanExit(exit)) {
      throw new Error(`the server did not exit cleanly on SIGTERM: code ${exit.code}, signal ${exit.signal}\n${server.tail(30)}`);
    }
  }, { timeout: 30_000 });

  /** `test(name, fn)` or `test(name, { timeout, skip, todo }, fn)`, like node:test. */
  function serverTest(testName, optsOrFn, maybeFn) {
    const fn = typeof optsOrFn === 'function' ? optsOrFn : maybeFn;
    const { timeout = 60_000, skip, todo } = typeof optsOrFn === 'object' ? optsOrFn : {};
    return test(testName, { timeout, skip, todo }, async (t) => {
      if (!server) throw startError ?? new Error('the server was not started');
      await runWithCleanups(testName, t, server, fn);
    });
  }

  return { test: serverTest, server: () => server };
}

/**
 * One fresh server per test (its own data directory, rate limiters, rooms), for tests that
 * change server-wide state or need their own configuration. Returns `{ test }`:
 * `test(name, [{ timeout, skip, todo, server }], fn)` starts a server with startServer options
 * `{ ...defaults, ...server }`, runs `fn({ t, server, defer })` like useServer's tests, then stops
 * it and fails the test if it did not exit cleanly on SIGTERM.
 */
export function useServerPerTest(prefix, defaults = {}) {
  pendingServers++;
  after(() => {
    if (--pendingServers === 0) armWatchdog(prefix);
  });
  function serverTest(testName, optsOrFn, maybeFn) {
    const fn = typeof optsOrFn === 'function' ? optsOrFn : maybeFn;
    const { timeout = 90_000, skip, todo, server: serverOpts = {} } = typeof optsOrFn === 'object' ? optsOrFn : {};
    return test(testName, { timeout, skip, todo }, async (t) => {
      const server = await startServer({ ...defaults, ...serverOpts, name: `${prefix}-${slugify(testName)}` });
      try {
        await runWithCleanups(testName, t, server, fn);
      } finally {
        const exit = await server.stop();
        if (exit && server.managed && !cleanExit(exit)) {
          // eslint-disable-next-line no-unsafe-finally
          throw new Error(`the server did not exit cleanly on SIGTERM: code ${exit.code}, signal ${exit.signal}\n${server.tail(30)}`);
        }
      }
    });
  }
  return { test: serverTest };
}
