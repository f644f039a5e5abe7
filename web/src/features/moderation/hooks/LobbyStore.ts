import type { LobbyEntry, LobbyListResponse } from '../../../api';

/** The lobby calls a host makes; `ModerationClient` in the app, a fake in tests. */
export interface LobbyApi {
  lobby(): Promise<LobbyListResponse>;
  admit(lobbyId: string): Promise<void>;
  deny(lobbyId: string, reason?: string): Promise<void>;
  admitAll(): Promise<void>;
}

export interface LobbySnapshot {
  /** People waiting, longest-waiting first (the server's order). */
  readonly entries: readonly LobbyEntry[];
  /** People who knocked since the previous list, with a counter so each arrival is announced. */
  readonly arrivals: { readonly names: readonly string[]; readonly seq: number } | null;
  /** The last list or decision call failed. */
  readonly failed: boolean;
}

/**
 * The waiting list as a host sees it. `refresh()` runs once on entering and on every
 * `parlons.lobby` packet; concurrent refreshes collapse into one more fetch. Decisions take the
 * person off the list at once, then refetch. Behind `subscribe`/`getSnapshot` for React.
 */
export class LobbyStore {
  private readonly api: LobbyApi;
  private snapshot: LobbySnapshot = { entries: [], arrivals: null, failed: false };
  private readonly listeners = new Set<() => void>();
  /** Ids seen in any list so far: only new ones are announced. */
  private readonly seen = new Set<string>();
  private arrivalSeq = 0;
  private inFlight: Promise<void> | null = null;
  private again = false;

  constructor(api: LobbyApi) {
    this.api = api;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): LobbySnapshot => this.snapshot;

  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.fetchLoop().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  admit(id: string): Promise<void> {
    return this.decide([id], () => this.api.admit(id));
  }

  deny(id: string, reason?: string): Promise<void> {
    return this.decide([id], () => this.api.deny(id, reason));
  }

  admitAll(): Promise<void> {
    return this.decide(
      this.snapshot.entries.map((e) => e.id),
      () => this.api.admitAll(),
    );
  }

  private async fetchLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        const { waiting } = await this.api.lobby();
        this.apply(waiting);
      } catch {
        this.update({ failed: true });
      }
    } while (this.again);
  }

  private apply(waiting: readonly LobbyEntry[]): void {
    const entries = waiting;
    const fresh = entries.filter((e) => !this.seen.has(e.id));
    for (const e of fresh) this.seen.add(e.id);
    let arrivals = this.snapshot.arrivals;
    if (fresh.length > 0) {
      this.arrivalSeq += 1;
      arrivals = { names: fresh.map((e) => e.name), seq: this.arrivalSeq };
    }
    this.update({ entries, arrivals, failed: false });
  }

  /** Rejects when the call fails (the UI says so); the list is refetched either way. */
  private async decide(ids: readonly string[], call: () => Promise<void>): Promise<void> {
    const before = this.snapshot.entries;
    this.update({ entries: before.filter((e) => !ids.includes(e.id)) });
    try {
      await call();
    } catch (error) {
      this.update({ failed: true });
      throw error;
    } finally {
      void this.refresh();
    }
  }

  private update(patch: Partial<LobbySnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
  }
}
