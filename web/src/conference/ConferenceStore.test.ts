import { ConnectionState, DisconnectReason, RoomEvent, Track } from 'livekit-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHAT_TOPIC, ConferenceStore, LOBBY_TOPIC, MAX_CHAT_MESSAGES } from './ConferenceStore';
import { HAND_ATTRIBUTE, ROLE_ATTRIBUTE } from './participantView';
import { REACTION_LIFETIME_MS, REACTION_TOPIC, encodeReaction } from './reactions';
import { FakeRoom } from './testing/FakeRoom';

const meta = { slug: 'abc-defg-hij', roomName: 'Weekly' };
const noMedia = { cameraEnabled: false, microphoneEnabled: false };

async function connected(room = new FakeRoom()) {
  const store = new ConferenceStore(room.asRoom(), meta);
  await store.connect('ws://sfu', 'token', noMedia);
  return { room, store };
}

/** Lets promise callbacks (text stream reads, SDK calls) settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ConferenceStore', () => {
  beforeEach(() => vi.useRealTimers());
  afterEach(() => vi.useRealTimers());

  it('starts connecting and becomes connected with the local participant first', async () => {
    const room = new FakeRoom('alice', 'Alice');
    const store = new ConferenceStore(room.asRoom(), meta);
    expect(store.getSnapshot().status).toBe('connecting');
    expect(store.getSnapshot().roomName).toBe('Weekly');

    await store.connect('ws://sfu', 'token', noMedia);
    const snapshot = store.getSnapshot();
    expect(snapshot.status).toBe('connected');
    expect(snapshot.participants.map((p) => p.identity)).toEqual(['alice']);
    expect(snapshot.local.isLocal).toBe(true);
    expect(snapshot.local.micMuted).toBe(true);
  });

  it('publishes camera and microphone according to the pre-join choices', async () => {
    const room = new FakeRoom();
    const store = new ConferenceStore(room.asRoom(), meta);
    await store.connect('ws://sfu', 'token', { cameraEnabled: true, microphoneEnabled: false });
    expect(room.localParticipant.isCameraEnabled).toBe(true);
    expect(room.localParticipant.isMicrophoneEnabled).toBe(false);
    expect(store.getSnapshot().local.cameraTrack).not.toBeNull();
    expect(store.getSnapshot().local.micMuted).toBe(true);
  });

  it('reports a failed first connection without pretending the user left', async () => {
    const room = new FakeRoom();
    room.connectError = new Error('could not establish signal connection');
    const store = new ConferenceStore(room.asRoom(), meta);
    await store.connect('ws://sfu', 'token', noMedia);
    expect(store.getSnapshot().status).toBe('failed');
    expect(store.getSnapshot().failure).toBe('could not establish signal connection');
    room.emit(RoomEvent.Disconnected, DisconnectReason.JOIN_FAILURE);
    expect(store.getSnapshot().status).toBe('failed');
  });

  it('tracks remote participants in join order and drops those who leave', async () => {
    const { room, store } = await connected();
    room.addRemote('carol', 'Carol', new Date(3000));
    room.addRemote('bob', 'Bob', new Date(2000));
    expect(store.getSnapshot().participants.map((p) => p.identity)).toEqual(['me', 'bob', 'carol']);
    room.removeRemote('bob');
    expect(store.getSnapshot().participants.map((p) => p.identity)).toEqual(['me', 'carol']);
  });

  it('shows a remote participant muting and unmuting their microphone', async () => {
    const { room, store } = await connected();
    const bob = room.addRemote('bob', 'Bob');
    bob.publish(Track.Source.Microphone);
    const bobView = () => store.getSnapshot().participants.find((p) => p.identity === 'bob');
    expect(bobView()?.micMuted).toBe(false);
    expect(store.getSnapshot().audioTracks.map((a) => a.identity)).toEqual(['bob']);

    bob.setMuted(Track.Source.Microphone, true);
    expect(bobView()?.micMuted).toBe(true);
    bob.setMuted(Track.Source.Microphone, false);
    expect(bobView()?.micMuted).toBe(false);
  });

  it('hides a muted camera and exposes an unmuted one', async () => {
    const { room, store } = await connected();
    const bob = room.addRemote('bob', 'Bob');
    const publication = bob.publish(Track.Source.Camera);
    const bobView = () => store.getSnapshot().participants[1];
    expect(bobView()?.cameraTrack).toBe(publication.track);
    bob.setMuted(Track.Source.Camera, true);
    expect(bobView()?.cameraTrack).toBeNull();
  });

  it('lists screen shares from several participants at once', async () => {
    const { room, store } = await connected();
    room.addRemote('bob', 'Bob').publish(Track.Source.ScreenShare);
    room.addRemote('carol', 'Carol').publish(Track.Source.ScreenShare);
    expect(store.getSnapshot().screenShares.map((s) => s.name)).toEqual(['Bob', 'Carol']);
    room.remoteParticipants.get('bob')?.unpublish(Track.Source.ScreenShare);
    expect(store.getSnapshot().screenShares.map((s) => s.name)).toEqual(['Carol']);
  });

  it('follows active speakers', async () => {
    const { room, store } = await connected();
    room.addRemote('bob', 'Bob');
    room.setActiveSpeakers(['bob']);
    expect(store.getSnapshot().participants.map((p) => p.isSpeaking)).toEqual([false, true]);
    room.setActiveSpeakers([]);
    expect(store.getSnapshot().participants.every((p) => !p.isSpeaking)).toBe(true);
  });

  it('keeps unchanged participant objects between snapshots', async () => {
    const { room, store } = await connected();
    room.addRemote('bob', 'Bob');
    const before = store.getSnapshot();
    room.addRemote('carol', 'Carol');
    const after = store.getSnapshot();
    expect(after).not.toBe(before);
    expect(after.participants[1]).toBe(before.participants[1]);
  });

  it('notifies subscribers and stops after unsubscribe', async () => {
    const { room, store } = await connected();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    room.addRemote('bob', 'Bob');
    expect(listener).toHaveBeenCalled();
    listener.mockClear();
    unsubscribe();
    room.addRemote('carol', 'Carol');
    expect(listener).not.toHaveBeenCalled();
  });

  it('toggles the local microphone', async () => {
    const { room, store } = await connected();
    await store.toggleMicrophone();
    expect(room.localParticipant.isMicrophoneEnabled).toBe(true);
    expect(store.getSnapshot().local.micMuted).toBe(false);
    await store.toggleMicrophone();
    expect(store.getSnapshot().local.micMuted).toBe(true);
  });

  it('turns a failed control into an error instead of throwing', async () => {
    const { room, store } = await connected();
    room.localParticipant.failNext = Object.assign(new Error('in use'), {
      name: 'NotReadableError',
    });
    await store.toggleCamera();
    expect(store.getSnapshot().error).toEqual({ kind: 'camera', seq: 1 });
    store.dismissError();
    expect(store.getSnapshot().error).toBeNull();
  });

  it('does not report a cancelled screen-share picker as an error', async () => {
    const { room, store } = await connected();
    room.localParticipant.failNext = Object.assign(new Error('denied'), {
      name: 'NotAllowedError',
    });
    await store.toggleScreenShare();
    expect(store.getSnapshot().error).toBeNull();
    await store.toggleScreenShare();
    expect(store.getSnapshot().screenShareEnabled).toBe(true);
  });

  it('raises and lowers the hand through the parlons.hand attribute', async () => {
    vi.useFakeTimers({ now: 1_700_000_000_000, toFake: ['Date'] });
    const { room, store } = await connected();
    await store.setHandRaised(true);
    expect(room.localParticipant.attributes[HAND_ATTRIBUTE]).toBe('1700000000000');
    expect(store.getSnapshot().local.handRaisedAt).toBe(1_700_000_000_000);
    await store.setHandRaised(false);
    expect(room.localParticipant.attributes[HAND_ATTRIBUTE]).toBe('');
    expect(store.getSnapshot().local.handRaisedAt).toBeNull();
  });

  it('shows hands raised by others', async () => {
    const { room, store } = await connected();
    const bob = room.addRemote('bob', 'Bob');
    bob.setAttributesFromServer({ [HAND_ATTRIBUTE]: '1234' });
    expect(store.getSnapshot().participants[1]?.handRaisedAt).toBe(1234);
    bob.setAttributesFromServer({ [HAND_ATTRIBUTE]: 'not a time' });
    expect(store.getSnapshot().participants[1]?.handRaisedAt).toBeNull();
  });

  it('reads roles from the parlons.role attribute, live', async () => {
    const { room, store } = await connected();
    room.localParticipant.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'owner' });
    const bob = room.addRemote('bob', 'Bob');
    expect(store.getSnapshot().local.role).toBe('owner');
    expect(store.getSnapshot().participants[1]?.role).toBeNull();
    bob.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'guest' });
    expect(store.getSnapshot().participants[1]?.role).toBe('guest');
    bob.setAttributesFromServer({ [ROLE_ATTRIBUTE]: 'superuser' });
    expect(store.getSnapshot().participants[1]?.role).toBeNull();
  });

  it('counts parlons.lobby packets, from the server or anyone, and ignores bad ones', async () => {
    const { room, store } = await connected();
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(store.getSnapshot().lobby).toBeNull();
    room.emit(RoomEvent.DataReceived, encode({ waiting: 2 }), undefined, undefined, LOBBY_TOPIC);
    expect(store.getSnapshot().lobby).toEqual({ waiting: 2, seq: 1 });
    room.emit(RoomEvent.DataReceived, encode({ waiting: 2 }), undefined, undefined, LOBBY_TOPIC);
    expect(store.getSnapshot().lobby).toEqual({ waiting: 2, seq: 2 });
    room.emit(RoomEvent.DataReceived, encode({ waiting: -1 }), undefined, undefined, LOBBY_TOPIC);
    room.emit(RoomEvent.DataReceived, encode('x'), undefined, undefined, LOBBY_TOPIC);
    room.emit(RoomEvent.DataReceived, new Uint8Array([0xff]), undefined, undefined, LOBBY_TOPIC);
    expect(store.getSnapshot().lobby).toEqual({ waiting: 2, seq: 2 });
  });

  it('sends chat on the lk.chat text stream and keeps its own copy', async () => {
    const { room, store } = await connected();
    expect(await store.sendChat('   ')).toBe(false);
    expect(await store.sendChat('  hello  ')).toBe(true);
    expect(room.localParticipant.sentTexts).toEqual([{ text: 'hello', topic: CHAT_TOPIC }]);
    expect(store.getSnapshot().messages).toMatchObject([
      { text: 'hello', isLocal: true, name: 'Me' },
    ]);
  });

  it('receives chat from text streams and legacy chat packets, once each', async () => {
    const { room, store } = await connected();
    const bob = room.addRemote('bob', 'Bob');
    room.receiveText(CHAT_TOPIC, 'bob', 'hi all', 'stream-1', 42);
    room.receiveText(CHAT_TOPIC, 'bob', 'hi all', 'stream-1', 42);
    await settle();
    room.emit(RoomEvent.ChatMessage, { id: 'legacy-1', timestamp: 43, message: 'old style' }, bob);
    expect(store.getSnapshot().messages).toEqual([
      {
        id: 'stream-1',
        identity: 'bob',
        name: 'Bob',
        text: 'hi all',
        timestamp: 42,
        isLocal: false,
      },
      {
        id: 'legacy-1',
        identity: 'bob',
        name: 'Bob',
        text: 'old style',
        timestamp: 43,
        isLocal: false,
      },
    ]);
  });

  it('keeps only the most recent chat messages', async () => {
    const { room, store } = await connected();
    room.addRemote('bob', 'Bob');
    for (let i = 0; i < MAX_CHAT_MESSAGES + 5; i += 1) {
      room.receiveText(CHAT_TOPIC, 'bob', `m${i}`, `id-${i}`);
    }
    await settle();
    const messages = store.getSnapshot().messages;
    expect(messages).toHaveLength(MAX_CHAT_MESSAGES);
    expect(messages[0]?.text).toBe('m5');
  });

  it('sends reactions as lossy data and floats received ones for a while', async () => {
    vi.useFakeTimers();
    const { room, store } = await connected();
    room.addRemote('bob', 'Bob');
    await store.sendReaction('👍');
    const sent = room.localParticipant.sentData[0];
    expect(sent?.reliable).toBe(false);
    expect(sent?.topic).toBe(REACTION_TOPIC);
    expect(JSON.parse(new TextDecoder().decode(sent?.payload))).toEqual({ emoji: '👍' });

    room.receiveData('bob', encodeReaction('🎉'), REACTION_TOPIC);
    room.receiveData('bob', new TextEncoder().encode('{"emoji":"<b>x</b>"}'), REACTION_TOPIC);
    room.receiveData('bob', encodeReaction('🎉'), 'another.topic');
    expect(store.getSnapshot().reactions.map((r) => [r.name, r.emoji])).toEqual([
      ['Me', '👍'],
      ['Bob', '🎉'],
    ]);
    vi.advanceTimersByTime(REACTION_LIFETIME_MS);
    expect(store.getSnapshot().reactions).toEqual([]);
  });

  it('shows reconnection and comes back', async () => {
    const { room, store } = await connected();
    room.emit(RoomEvent.SignalReconnecting);
    expect(store.getSnapshot().status).toBe('reconnecting');
    room.emit(RoomEvent.Reconnected);
    expect(store.getSnapshot().status).toBe('connected');
    room.emit(RoomEvent.Reconnecting);
    expect(store.getSnapshot().status).toBe('reconnecting');
  });

  it('clears the reconnecting state when the SDK reports Connected by any path', async () => {
    const { room, store } = await connected();
    room.emit(RoomEvent.Reconnecting);
    room.emit(RoomEvent.ConnectionStateChanged, ConnectionState.Connected);
    expect(store.getSnapshot().status).toBe('connected');
  });

  it.each([
    [DisconnectReason.SIGNAL_CLOSE, 'lost'],
    [DisconnectReason.DUPLICATE_IDENTITY, 'duplicate'],
    [DisconnectReason.PARTICIPANT_REMOVED, 'removed'],
    [DisconnectReason.ROOM_DELETED, 'ended'],
    [DisconnectReason.ROOM_CLOSED, 'closed'],
    [undefined, 'lost'],
  ])('maps disconnect reason %s to %s', async (reason, expected) => {
    const { room, store } = await connected();
    room.emit(RoomEvent.Disconnected, reason);
    expect(store.getSnapshot().status).toBe('disconnected');
    expect(store.getSnapshot().leaveReason).toBe(expected);
  });

  it('reports a user leave as such', async () => {
    const { store } = await connected();
    await store.leave();
    expect(store.getSnapshot()).toMatchObject({ status: 'disconnected', leaveReason: 'user' });
  });

  it('flags blocked audio playback until startAudio', async () => {
    const { room, store } = await connected();
    room.canPlaybackAudio = false;
    room.emit(RoomEvent.AudioPlaybackStatusChanged, false);
    expect(store.getSnapshot().canPlaybackAudio).toBe(false);
    await store.startAudio();
    expect(store.getSnapshot().canPlaybackAudio).toBe(true);
  });

  it('follows the recording status the server sets on the room', async () => {
    const room = new FakeRoom();
    // Joined while a recording runs: the join answer already carries it.
    room.isRecording = true;
    const { store } = await connected(room);
    expect(store.getSnapshot().recording).toBe(true);
    room.setRecording(false);
    expect(store.getSnapshot().recording).toBe(false);
    room.setRecording(true);
    expect(store.getSnapshot().recording).toBe(true);
  });

  it('survives a double mount and disposes after the last release', async () => {
    vi.useFakeTimers();
    const { room, store } = await connected();
    const disconnect = vi.spyOn(room, 'disconnect');
    store.retain();
    store.release();
    store.retain();
    await vi.runAllTimersAsync();
    expect(disconnect).not.toHaveBeenCalled();
    store.release();
    await vi.runAllTimersAsync();
    expect(disconnect).toHaveBeenCalledOnce();
    expect(room.listenerCount(RoomEvent.ParticipantConnected)).toBe(0);
    expect(room.textStreamHandlers.size).toBe(0);
  });
});
