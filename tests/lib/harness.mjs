// Glue between node:test and the server under test: one server per test file (started in `before`,
// stopped in `after`), a per-test cleanup list, and failure messages that carry the server log tail.
import { after, before, test } from 'node:test';
import { cleanExit, startServer } from './server.mjs';
import { withDeadline } from './wait.mjs';

/**
 * Declares the file's server. Returns `{ test, server() }`: `test(name, [opts,] fn)` runs
 * `fn({ t, server, defer })`; `defer(fn)` registers a cleanup run after the test, pass or fail,
 * newest first, each bounded by 10 s.
 */
export function useServer(name) {
  let server = null;
  let startError = null;
  // Stop a file that hangs after its tests (a native WebRTC thread keeping the loop alive).
  const watchdog = () => setTimeout(() => {
    // the results are already reported: keep their verdict
    const handles = process.getActiveResourcesInfo?.() ?? [];
    console.error(`[harness] ${name}: the process did not exit 5 s after its tests (active handles: ${handles.join(', ') || 'none'}); forcing exit`);
    process.exit(process.exitCode ?? 0);
  }, 5_000).unref();

  before(async () => {
    try {
      server = await startServer({ name });
    } catch (e) {
      startError = e;
      throw e;
    }
  }, { timeout: 90_000 });

  after(async () => {
    watchdog();
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
    });
  }

  return { test: serverTest, server: () => server };
}
