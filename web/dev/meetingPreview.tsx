/**
 * Development-only preview of the meeting UI without a server (`npm run dev`, then open
 * /dev/meeting.html?people=6&share=1&hands=2&guests=1&host=1&recording=1). A FakeRoom fills the
 * conference store with participants whose cameras are animated canvases; `guests=n` makes the
 * last n of them guests; `host=1` makes me the owner, with host calls going to the mock API
 * (`PARLONS_MOCK_API=1`, whose lobby for this room has people waiting); `recording=1` shows the
 * room as being recorded (`window.parlonsFakeRoom.setRecording(false)` stops it). Not part of
 * the production build, whose only entry is index.html.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Track } from 'livekit-client';
import { ConferenceStore, HAND_ATTRIBUTE, LOBBY_TOPIC, ROLE_ATTRIBUTE } from '../src/conference';
import { FakeRoom } from '../src/conference/testing/FakeRoom';
import { MeetingView } from '../src/features/meeting';
import { ModerationClient } from '../src/features/moderation';
import { I18nProvider } from '../src/i18n';
import '../src/styles/index.css';

const NAMES = ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Marie Curie', 'Émilie du Châtelet'];

function canvasStream(label: string, hue: number, width = 640, height = 360): MediaStream {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  const draw = (time: number) => {
    if (!context) return;
    const gradient = context.createLinearGradient(0, 0, width, height);
    gradient.addColorStop(0, `hsl(${hue} 45% 30%)`);
    gradient.addColorStop(1, `hsl(${(hue + 40 + time / 80) % 360} 45% 45%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, width, height);
    context.fillStyle = '#fff';
    context.font = `${Math.round(height / 9)}px sans-serif`;
    context.fillText(label, width * 0.06, height * 0.18);
    requestAnimationFrame(draw);
  };
  requestAnimationFrame(draw);
  return canvas.captureStream(15);
}

async function start() {
  const params = new URLSearchParams(window.location.search);
  const people = Number(params.get('people') ?? '5');
  const shares = Number(params.get('share') ?? '0');
  const hands = Number(params.get('hands') ?? '1');
  const guests = Number(params.get('guests') ?? '0');
  const isHost = params.get('host') === '1';
  const room = new FakeRoom('me', 'Camille Martin');
  room.mediaFor = (source) =>
    source === Track.Source.Microphone
      ? null
      : canvasStream(source === Track.Source.ScreenShare ? 'My screen' : 'Me', 200);
  const store = new ConferenceStore(room.asRoom(), {
    slug: 'abc-defg-hij',
    roomName: 'Weekly sync',
  });
  await store.connect('ws://fake', 'token', { cameraEnabled: true, microphoneEnabled: true });
  for (let i = 0; i < people - 1; i += 1) {
    const name =
      NAMES[i % NAMES.length] + (i >= NAMES.length ? ` ${Math.floor(i / NAMES.length) + 1}` : '');
    const participant = room.addRemote(`user-${i}`, name, new Date(Date.now() + i));
    participant.publish(Track.Source.Microphone);
    if (i % 3 !== 2) participant.publish(Track.Source.Camera, canvasStream(name, (i * 67) % 360));
    if (i % 2 === 1) participant.setMuted(Track.Source.Microphone, true);
    if (i < hands)
      participant.setAttributesFromServer({
        [HAND_ATTRIBUTE]: String(Date.now() - 1000 * (hands - i)),
      });
    if (i < shares)
      participant.publish(
        Track.Source.ScreenShare,
        canvasStream(`${name}'s screen`, 30, 1280, 720),
      );
  }
  for (let i = Math.max(0, people - 1 - guests); i < people - 1; i += 1) {
    room.remoteParticipants
      .get(`user-${i}`)
      ?.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'guest' });
  }
  if (isHost) room.localParticipant.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'owner' });
  if (params.get('recording') === '1') room.setRecording(true);
  room.setActiveSpeakers(people > 1 ? ['user-0'] : []);
  if (people > 1)
    room.receiveText('lk.chat', 'user-0', 'Hello everyone! Can you hear me?', 'msg-1');
  createRoot(document.getElementById('root') as HTMLElement).render(
    <StrictMode>
      <I18nProvider>
        <MeetingView
          store={store}
          meetingUrl={`${window.location.origin}/r/abc-defg-hij`}
          onRejoin={() => window.location.reload()}
          moderation={isHost ? new ModerationClient('abc-defg-hij', 'mock-token') : undefined}
        />
      </I18nProvider>
    </StrictMode>,
  );
  Object.assign(window, { parlonsFakeRoom: room });
  // As the server does when someone knocks: tell the hosts the waiting list changed.
  if (isHost) {
    setTimeout(() => {
      room.receiveData('server', new TextEncoder().encode('{"waiting":2}'), LOBBY_TOPIC);
    }, 500);
  }
}

void start();
