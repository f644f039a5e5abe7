import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConferenceStore, ROLE_ATTRIBUTE } from '../../../conference';
import { FakeRoom } from '../../../conference/testing/FakeRoom';
import {
  recording,
  room as roomFixture,
  stubFetch,
  type RecordedCall,
} from '../../../test/fixtures';
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

const byTestId = <T extends HTMLElement = HTMLElement>(id: string) =>
  container.querySelector<T>(`[data-testid="${id}"]`);
const click = (element: HTMLElement | null) => act(async () => element?.click());
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const calledPaths = (calls: readonly RecordedCall[]) => calls.map((c) => `${c.method} ${c.url}`);
const lobbyAnswer = { status: 200, body: { waiting: [] } };

function host(): FakeRoom {
  const fake = new FakeRoom('u-host', 'Hana');
  fake.localParticipant.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'owner' });
  return fake;
}

describe('MeetingView recording', () => {
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

  it('shows everyone a text badge and announces start and stop', async () => {
    const calls = stubFetch(lobbyAnswer);
    const fake = new FakeRoom();
    await render(fake);
    expect(byTestId('recording-badge')).toBeNull();
    expect(byTestId('recording-announcer')?.textContent).toBe('');

    await act(async () => fake.setRecording(true));
    const header = container.querySelector('header');
    expect(header?.querySelector('[data-testid="recording-badge"]')?.textContent).toBe('Recording');
    expect(byTestId('recording-announcer')?.getAttribute('aria-live')).toBe('polite');
    expect(byTestId('recording-announcer')?.textContent).toBe(
      'This meeting is now being recorded.',
    );

    await act(async () => fake.setRecording(false));
    expect(byTestId('recording-badge')).toBeNull();
    expect(byTestId('recording-announcer')?.textContent).toBe('The recording has stopped.');
    // Not a host: no Record control, no calls.
    expect(byTestId('record-start')).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('lets a host start an audio recording with a transcript, then stop it', async () => {
    const calls = stubFetch(
      lobbyAnswer,
      { status: 201, body: recording({ id: 'rec9', status: 'recording', stopped_at: null }) },
      { status: 200, body: roomFixture({ recording: 'rec9' }) },
      { status: 200, body: recording({ id: 'rec9' }) },
    );
    const fake = host();
    await render(fake);
    await settle();

    const record = byTestId<HTMLButtonElement>('record-start');
    expect(record?.textContent).toBe('Record');
    expect(record?.getAttribute('aria-haspopup')).toBe('dialog');
    await click(record);
    const dialog = byTestId('record-start-dialog');
    expect(dialog?.textContent).toContain('Record this meeting');
    expect(byTestId<HTMLInputElement>('record-mode-video')?.checked).toBe(true);
    await click(byTestId('record-mode-audio'));
    await click(byTestId('record-transcribe'));
    await click(byTestId('record-start-confirm'));
    await settle();
    expect(byTestId('record-start-dialog')).toBeNull();
    // The control turns into Stop at once, before LiveKit's room update.
    const stop = byTestId('record-stop');
    expect(stop?.textContent).toBe('Stop recording');
    expect(stop).toBe(record);

    await act(async () => fake.setRecording(true));
    expect(byTestId('recording-badge')).not.toBeNull();
    await click(byTestId('record-stop'));
    expect(byTestId('record-stop-dialog')?.textContent).toContain('Stop recording?');
    await click(byTestId('record-stop-confirm'));
    await settle();
    expect(byTestId('record-stop-dialog')).toBeNull();
    expect(byTestId('record-start')).not.toBeNull();

    expect(calledPaths(calls)).toEqual([
      'GET /api/v1/rooms/abc-defg-hij/lobby',
      'POST /api/v1/rooms/abc-defg-hij/recordings',
      'GET /api/v1/rooms/abc-defg-hij',
      'POST /api/v1/recordings/rec9/stop',
    ]);
    expect(calls[1]?.body).toEqual({ mode: 'audio', transcribe: true });
    expect(calls.every((c) => c.headers.authorization === 'Bearer host-jwt')).toBe(true);
  });

  it('keeps the start dialog open with the reason when the server refuses', async () => {
    stubFetch(lobbyAnswer, {
      status: 409,
      body: { code: 'meeting_not_running', message: 'the meeting is not running' },
    });
    await render(host());
    await settle();
    await click(byTestId('record-start'));
    await click(byTestId('record-start-confirm'));
    await settle();
    const error = byTestId('record-start-error');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(error?.textContent).toBe(
      'The recording could not start: The meeting is not running, so it cannot be recorded.',
    );
    expect(byTestId('record-start-dialog')).not.toBeNull();
    expect(byTestId('record-start')).not.toBeNull();
  });

  it('offers a host who joins a recorded meeting to stop it', async () => {
    stubFetch(lobbyAnswer);
    const fake = host();
    fake.isRecording = true;
    await render(fake);
    expect(byTestId('recording-badge')?.textContent).toBe('Recording');
    expect(byTestId('record-stop')).not.toBeNull();
  });
});
