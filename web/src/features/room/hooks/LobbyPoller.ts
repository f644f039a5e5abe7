import type { JoinEnter } from '../../../api';
import type { LobbyOutcome, Refusal } from '../api/joinRoom';

/** The server expires a lobby entry not polled for 15 s: never wait longer than this. */
export const MAX_POLL_INTERVAL_MS = 10_000;
const MIN_POLL_INTERVAL_MS = 250;

export interface LobbyPollerOptions {
  /** One poll of `GET …/lobby/{lobby_id}`; aborted by `stop()`. */
  readonly poll: (signal: AbortSignal) => Promise<LobbyOutcome>;
  /** The server's `poll_after_ms`. */
  readonly intervalMs: number;
  readonly onEnter: (answer: JoinEnter) => void;
  readonly onRefused: (refusal: Refusal) => void;
  /** True while polls fail (network, 5xx): the page says so and keeps trying. */
  readonly onTrouble: (failing: boolean) => void;
}

/**
 * Polls the lobby entry every `poll_after_ms` until the knocker is let in or refused. One poll
 * at a time; a failed poll is retried at the same pace, since a transient error must not make
 * the entry expire. No React here, so tests drive it with fake timers.
 */
export class LobbyPoller {
  private readonly options: LobbyPollerOptions;
  private readonly interval: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private controller: AbortController | null = null;
  private stopped = false;
  private failing = false;

  constructor(options: LobbyPollerOptions) {
    this.options = options;
    const requested = Number.isFinite(options.intervalMs) ? options.intervalMs : 2000;
    this.interval = Math.min(Math.max(requested, MIN_POLL_INTERVAL_MS), MAX_POLL_INTERVAL_MS);
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.controller?.abort();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.pollOnce(), this.interval);
  }

  private async pollOnce(): Promise<void> {
    this.timer = null;
    this.controller = new AbortController();
    let outcome: LobbyOutcome;
    try {
      outcome = await this.options.poll(this.controller.signal);
    } catch {
      if (this.stopped) return;
      this.setFailing(true);
      this.schedule();
      return;
    }
    if (this.stopped) return;
    this.setFailing(false);
    if (outcome.status === 'wait') {
      this.schedule();
    } else {
      this.stopped = true;
      if (outcome.status === 'enter') this.options.onEnter(outcome);
      else this.options.onRefused(outcome);
    }
  }

  private setFailing(failing: boolean): void {
    if (failing === this.failing) return;
    this.failing = failing;
    this.options.onTrouble(failing);
  }
}
