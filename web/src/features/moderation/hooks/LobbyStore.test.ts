import { describe, expect, it, vi } from 'vitest';
import type { LobbyEntry } from '../../../api';
import { LobbyStore, type LobbyApi } from './LobbyStore';

const ada: LobbyEntry = { id: 'L1', name: 'Ada', signed_in: true, since: 1_772_359_201_000 };
const bob: LobbyEntry = { id: 'L2', name: 'Bob', signed_in: false, since: 1_772_359_200_000 };
const eve: LobbyEntry = { id: 'L3', name: 'Eve', signed_in: false, since: 1_772_359_205_000 };

function fakeApi(lists: LobbyEntry[][]): LobbyApi & { lobby: ReturnType<typeof vi.fn> } {
  return {
    lobby: vi.fn(async () => ({ waiting: lists.shift() ?? [] })),
    admit: vi.fn(async () => undefined),
    deny: vi.fn(async () => undefined),
    admitAll: vi.fn(async () => undefined),
  };
}

describe('LobbyStore', () => {
  it("keeps the server's order and announces only new arrivals", async () => {
    const store = new LobbyStore(
      fakeApi([
        [bob, ada],
        [bob, ada, eve],
        [bob, ada, eve],
      ]),
    );
    await store.refresh();
    expect(store.getSnapshot().entries.map((e) => e.name)).toEqual(['Bob', 'Ada']);
    expect(store.getSnapshot().arrivals).toEqual({ names: ['Bob', 'Ada'], seq: 1 });
    await store.refresh();
    expect(store.getSnapshot().arrivals).toEqual({ names: ['Eve'], seq: 2 });
    await store.refresh();
    expect(store.getSnapshot().arrivals?.seq).toBe(2);
  });

  it('collapses refreshes asked for while one runs into one more fetch', async () => {
    const api = fakeApi([[ada], [ada, bob]]);
    const store = new LobbyStore(api);
    const first = store.refresh();
    void store.refresh();
    void store.refresh();
    await first;
    expect(api.lobby).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot().entries).toHaveLength(2);
  });

  it('takes a decided person off the list at once, then refetches', async () => {
    const api = fakeApi([[ada, bob, eve], [bob, eve], [eve], []]);
    const store = new LobbyStore(api);
    await store.refresh();
    const admitting = store.admit('L1');
    expect(store.getSnapshot().entries.map((e) => e.id)).toEqual(['L2', 'L3']);
    await admitting;
    expect(api.admit).toHaveBeenCalledWith('L1');

    await store.deny('L2', 'Not today');
    expect(api.deny).toHaveBeenCalledWith('L2', 'Not today');

    await store.admitAll();
    expect(store.getSnapshot().entries).toEqual([]);
    expect(api.admitAll).toHaveBeenCalled();
  });

  it('reports a failed decision and a failed list', async () => {
    const api = fakeApi([[ada]]);
    api.admit = vi.fn().mockRejectedValue(new Error('403'));
    api.lobby.mockRejectedValueOnce(new Error('offline'));
    const store = new LobbyStore(api);
    await store.refresh();
    expect(store.getSnapshot().failed).toBe(true);
    await store.refresh();
    expect(store.getSnapshot()).toMatchObject({ failed: false, entries: [ada] });
    await expect(store.admit('L1')).rejects.toThrow('403');
  });

  it('notifies subscribers', async () => {
    const store = new LobbyStore(fakeApi([[ada]]));
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    await store.refresh();
    expect(listener).toHaveBeenCalled();
    unsubscribe();
  });
});
