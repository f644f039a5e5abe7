import { LogLevel, Room, setLogLevel } from 'livekit-client';
import { ConferenceStore } from './ConferenceStore';
import type { ConferenceMeta, MediaChoices } from './types';

/**
 * Builds the SDK room for one join. `singlePeerConnection: false` because Parlons speaks
 * LiveKit's v0 mode (two PeerConnections): the client goes straight to `/rtc` and never
 * tries `/rtc/v1` first (docs/livekit-protocol.md §2.1).
 */
export function createConference(meta: ConferenceMeta, choices: MediaChoices): ConferenceStore {
  setLogLevel(import.meta.env.DEV ? LogLevel.info : LogLevel.warn);
  const room = new Room({
    adaptiveStream: true,
    dynacast: true,
    singlePeerConnection: false,
    videoCaptureDefaults: choices.cameraDeviceId ? { deviceId: choices.cameraDeviceId } : undefined,
    audioCaptureDefaults: choices.microphoneDeviceId
      ? { deviceId: choices.microphoneDeviceId }
      : undefined,
    audioOutput: choices.speakerDeviceId ? { deviceId: choices.speakerDeviceId } : undefined,
    publishDefaults: { simulcast: true },
  });
  return new ConferenceStore(room, meta);
}
