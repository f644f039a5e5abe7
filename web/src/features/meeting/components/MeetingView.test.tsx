import { Track } from 'livekit-client';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConferenceStore } from '../../../conference';
import { FakeRoom } from '../../../conference/testing/FakeRoom';
import { MeetingView } from './MeetingView';

// React's act() warns unless the environment says it is a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

async function render(room: FakeRoom) {
  const store = new ConferenceStore(room.asRoom(), { slug: 'abc-defg-hij', roomName: 'Weekly' });
  await act(() =>
    store.connect('ws://sfu', 'token', { cameraEnabled: false, microphoneEnabled: true }),
  );
  await act(async () => {
    root.render(
      <MeetingView store={store} meetingUrl="http://x/r/abc-defg-hij" onRejoin={() => undefined} />,
    );
  });
  return store;
}

const tile = (identity: string) =>
  container.querySelector(`[data-testid="participant-tile"][data-identity="${identity}"]`);

describe('MeetingView', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  it('shows one tile per participant, and a remote mute in the remote tile', async () => {
    const room = new FakeRoom('me', 'Me');
    await render(room);
    const bob = await act(async () => {
      const participant = room.addRemote('bob', 'Bob');
      participant.publish(Track.Source.Microphone);
      return participant;
    });
    expect(container.querySelectorAll('[data-testid="participant-tile"]')).toHaveLength(2);
    expect(tile('bob')?.querySelector('[data-testid="mic-muted"]')).toBeNull();

    await act(async () => bob.setMuted(Track.Source.Microphone, true));
    const indicator = tile('bob')?.querySelector('[data-testid="mic-muted"]');
    expect(indicator?.getAttribute('aria-label')).toBe('Microphone muted');
  });

  it('renders remote cameras as <video> elements attached to the track', async () => {
    const room = new FakeRoom();
    await render(room);
    const publication = await act(async () =>
      room.addRemote('bob', 'Bob').publish(Track.Source.Camera),
    );
    const video = tile('bob')?.querySelector('video');
    expect(video).not.toBeNull();
    expect(publication.track?.attached).toContain(video);
    expect(tile('bob')?.getAttribute('data-camera')).toBe('on');
  });

  it('toggles the local microphone from the control bar', async () => {
    const room = new FakeRoom();
    await render(room);
    const button = container.querySelector<HTMLButtonElement>('[data-testid="toggle-mic"]');
    expect(button?.getAttribute('aria-pressed')).toBe('true');
    await act(async () => button?.click());
    expect(room.localParticipant.isMicrophoneEnabled).toBe(false);
    expect(button?.getAttribute('aria-pressed')).toBe('false');
    expect(tile('me')?.querySelector('[data-testid="mic-muted"]')).not.toBeNull();
  });

  it('counts unread messages while the chat is closed and clears them on opening', async () => {
    const room = new FakeRoom();
    await render(room);
    await act(async () => {
      room.addRemote('bob', 'Bob');
      room.receiveText('lk.chat', 'bob', 'hello', 'm1');
      room.receiveText('lk.chat', 'bob', 'anyone?', 'm2');
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(container.querySelector('[data-testid="chat-unread"]')?.textContent).toContain('2');
    expect(container.querySelector('[data-testid="chat-announcer"]')?.textContent).toBe(
      'New message from Bob: anyone?',
    );

    await act(async () =>
      container.querySelector<HTMLButtonElement>('[data-testid="open-chat"]')?.click(),
    );
    expect(container.querySelector('[data-testid="chat-unread"]')).toBeNull();
    const messages = container.querySelectorAll('[data-testid="chat-message"]');
    expect([...messages].map((m) => m.querySelector('.chat__text')?.textContent)).toEqual([
      'hello',
      'anyone?',
    ]);
  });

  it('switches to speaker view when someone shares a screen', async () => {
    const room = new FakeRoom();
    await render(room);
    await act(async () => room.addRemote('bob', 'Bob').publish(Track.Source.ScreenShare));
    expect(container.querySelectorAll('[data-testid="screenshare-tile"]')).toHaveLength(1);
    expect(container.querySelectorAll('[data-testid="participant-tile"]')).toHaveLength(2);
  });

  it('shows the left page with a rejoin button after leaving', async () => {
    const room = new FakeRoom();
    await render(room);
    await act(async () =>
      container.querySelector<HTMLButtonElement>('[data-testid="leave"]')?.click(),
    );
    expect(container.querySelector('[data-testid="left-page"]')?.getAttribute('data-reason')).toBe(
      'user',
    );
    expect(container.querySelector('[data-testid="rejoin"]')).not.toBeNull();
  });
});
