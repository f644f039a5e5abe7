import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConferenceStore, LOBBY_TOPIC, ROLE_ATTRIBUTE } from '../../../conference';
import { FakeRoom } from '../../../conference/testing/FakeRoom';
import { room as roomFixture, stubFetch, type RecordedCall } from '../../../test/fixtures';
import { ModerationClient } from '../../moderation';
import { MeetingView } from './MeetingView';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

async function render(fake: FakeRoom) {
  const store = new ConferenceStore(fake.asRoom(), { slug: 'abc-defg-hij', roomName: 'Weekly' });
  await act(() =>
    store.connect('ws://sfu', 'token', { cameraEnabled: false, microphoneEnabled: false }),
  );
  await act(async () => {
    root.render(
      <MeetingView
        store={store}
        meetingUrl="http://x/r/abc-defg-hij"
        onRejoin={() => undefined}
        moderation={new ModerationClient('abc-defg-hij', 'host-jwt')}
        room={roomFixture()}
      />,
    );
  });
}

const byTestId = <T extends HTMLElement = HTMLElement>(
  id: string,
  scope: ParentNode | null = container,
) => scope?.querySelector<T>(`[data-testid="${id}"]`) ?? null;
const click = (element: HTMLElement | null) => act(async () => element?.click());
/** Lets fetch promises and the re-renders they cause settle. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

function host(fake = new FakeRoom('u-host', 'Hana')): FakeRoom {
  fake.localParticipant.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'owner' });
  return fake;
}

const lobbyPacket = (waiting: number) => new TextEncoder().encode(JSON.stringify({ waiting }));
const calledPaths = (calls: readonly RecordedCall[]) => calls.map((c) => `${c.method} ${c.url}`);

describe('MeetingView for hosts', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
  });

  it('shows a text badge on guests, in tiles and in the participant list', async () => {
    const calls = stubFetch({ status: 200, body: { waiting: [] } });
    const fake = new FakeRoom();
    await render(fake);
    await act(async () => {
      fake.addRemote('g-1', 'Gaspard').setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'guest' });
    });
    const tile = container.querySelector('[data-testid="participant-tile"][data-identity="g-1"]');
    expect(byTestId('guest-badge', tile)?.textContent).toBe('Guest');
    await click(byTestId('open-participants'));
    const item = container.querySelector(
      '[data-testid="participant-list-item"][data-identity="g-1"]',
    );
    expect(byTestId('guest-badge', item)?.textContent).toBe('Guest');
    // Not a host: no lobby calls, no moderation.
    expect(calls).toHaveLength(0);
    expect(byTestId('participant-actions-toggle')).toBeNull();
    expect(byTestId('end-meeting')).toBeNull();
  });

  it('fetches the lobby on entering and on each parlons.lobby packet, and admits', async () => {
    const ada = { id: 'L1', name: 'Ada', signed_in: false, since: '2026-03-01T10:00:00Z' };
    const calls = stubFetch(
      { status: 200, body: { waiting: [] } },
      { status: 200, body: { waiting: [ada] } },
      { status: 204 },
      { status: 200, body: { waiting: [] } },
    );
    const fake = host();
    await render(fake);
    await settle();
    expect(byTestId('lobby-panel')).toBeNull();

    await act(async () => fake.receiveData('server', lobbyPacket(1), LOBBY_TOPIC));
    await settle();
    expect(byTestId('lobby-panel')?.textContent).toContain('Ada');
    expect(byTestId('lobby-announcer')?.textContent).toBe('Ada is waiting to join the meeting');

    await click(byTestId('lobby-admit'));
    await settle();
    expect(byTestId('lobby-panel')).toBeNull();
    expect(calledPaths(calls)).toEqual([
      'GET /api/v1/rooms/abc-defg-hij/lobby',
      'GET /api/v1/rooms/abc-defg-hij/lobby',
      'POST /api/v1/rooms/abc-defg-hij/lobby/L1/admit',
      'GET /api/v1/rooms/abc-defg-hij/lobby',
    ]);
    expect(calls.every((c) => c.headers.authorization === 'Bearer host-jwt')).toBe(true);
  });

  it('removes a participant after confirmation', async () => {
    const calls = stubFetch({ status: 200, body: { waiting: [] } }, { status: 204 });
    const fake = host();
    await render(fake);
    await act(async () => {
      fake.addRemote('g-1', 'Gaspard').setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'guest' });
    });
    await click(byTestId('open-participants'));
    const item = container.querySelector<HTMLElement>(
      '[data-testid="participant-list-item"][data-identity="g-1"]',
    );
    // Guests get no role change.
    expect(byTestId('participant-make-admin', item)).toBeNull();
    await click(byTestId('participant-actions-toggle', item));
    await click(byTestId('participant-remove', item));
    expect(byTestId('participant-remove-dialog')).not.toBeNull();
    await click(byTestId('participant-remove-confirm'));
    await settle();
    expect(calledPaths(calls)).toContain('POST /api/v1/rooms/abc-defg-hij/participants/g-1/remove');
    expect(byTestId('participant-remove-dialog')).toBeNull();
    expect(byTestId('moderation-status')?.textContent).toBe(
      'Gaspard was removed from the meeting.',
    );
  });

  it('ends the meeting for everyone after confirmation', async () => {
    const calls = stubFetch({ status: 200, body: { waiting: [] } }, { status: 204 });
    await render(host());
    await click(byTestId('end-meeting'));
    expect(byTestId('end-meeting-dialog')?.textContent).toContain('End the meeting for everyone?');
    await click(byTestId('end-meeting-confirm'));
    await settle();
    expect(calledPaths(calls)).toContain('POST /api/v1/rooms/abc-defg-hij/end');
  });
});
