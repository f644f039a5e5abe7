// Waiting with deadlines. Every wait names what it waits for, so a timeout says what did not happen.
// There is no bare `sleep` here on purpose: tests poll a condition until a deadline.

/** Error thrown when a deadline passes; `what` is the thing that never happened. */
export class DeadlineError extends Error {
  constructor(what, ms, detail) {
    super(`timed out after ${ms} ms waiting for ${what}${detail ? ` (${detail})` : ''}`);
    this.name = 'DeadlineError';
  }
}

const tick = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `predicate` (sync or async) every `interval` ms until it returns a truthy value, which is
 * returned. `detail`, if given, is called on timeout and its result appended to the error: use it
 * to say what was seen instead.
 */
export async function waitFor(what, predicate, { timeout = 10_000, interval = 50, detail } = {}) {
  const end = Date.now() + timeout;
  let lastError;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= end) {
      let d = detail ? safe(detail) : undefined;
      if (lastError) d = `${d ? `${d}; ` : ''}last error: ${lastError.message ?? lastError}`;
      throw new DeadlineError(what, timeout, d);
    }
    await tick(interval);
  }
}

function safe(fn) {
  try {
    const v = fn();
    return typeof v === 'string' ? v : JSON.stringify(v);
  } catch (e) {
    return `detail failed: ${e.message}`;
  }
}

/** Resolves with `promise`'s value, or rejects with a DeadlineError naming `what` after `ms`. */
export function withDeadline(what, promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Waits for `event` on an EventEmitter-like `emitter` (on/off) whose arguments pass `filter`;
 * resolves with the argument array.
 */
export function waitForEvent(emitter, event, what, { timeout = 10_000, filter = () => true } = {}) {
  let handler;
  const p = new Promise((resolve) => {
    handler = (...args) => {
      if (filter(...args)) resolve(args);
    };
    emitter.on(event, handler);
  });
  return withDeadline(what, p, timeout).finally(() => emitter.off(event, handler));
}

/**
 * Lets `ms` of wall time pass. Only for *measuring windows* (e.g. "no event in the next 2 s"),
 * never to wait for something to happen: use waitFor for that.
 */
export function observeFor(ms) {
  return tick(ms);
}
