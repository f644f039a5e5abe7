import {
  Track,
  type Participant,
  type RemoteTrackPublication,
  type TrackPublication,
  type VideoTrack,
} from 'livekit-client';
import type { ParticipantRole } from '../api';
import type { AudioTrackView, ParticipantView, ScreenShareView } from './types';

/** The participant attribute that carries a raised hand: the time it went up, in ms. */
export const HAND_ATTRIBUTE = 'parlons.hand';

/** Parses the `parlons.hand` attribute: a positive integer of ms, anything else is "down". */
export function parseHandRaisedAt(value: string | undefined): number | null {
  if (!value || !/^\d{1,16}$/.test(value)) return null;
  const at = Number(value);
  return at > 0 ? at : null;
}

/** The participant attribute, set by the server, that carries the role in the meeting. */
export const ROLE_ATTRIBUTE = 'parlons.role';

const ROLES: readonly ParticipantRole[] = ['owner', 'admin', 'member', 'guest', 'user'];

export function parseRole(value: string | undefined): ParticipantRole | null {
  return ROLES.find((role) => role === value) ?? null;
}

/** Owner and admins moderate the meeting. */
export function isHostRole(role: ParticipantRole | null): boolean {
  return role === 'owner' || role === 'admin';
}

function visibleVideo(publication: TrackPublication | undefined): VideoTrack | null {
  if (!publication || publication.isMuted || !publication.track) return null;
  return publication.track.kind === Track.Kind.Video ? (publication.track as VideoTrack) : null;
}

export function toParticipantView(participant: Participant): ParticipantView {
  const mic = participant.getTrackPublication(Track.Source.Microphone);
  return {
    identity: participant.identity,
    name: participant.name || participant.identity,
    isLocal: participant.isLocal,
    joinedAt: participant.joinedAt?.getTime() ?? 0,
    micMuted: !mic || mic.isMuted,
    cameraTrack: visibleVideo(participant.getTrackPublication(Track.Source.Camera)),
    screenTrack: visibleVideo(participant.getTrackPublication(Track.Source.ScreenShare)),
    isSpeaking: participant.isSpeaking,
    handRaisedAt: parseHandRaisedAt(participant.attributes[HAND_ATTRIBUTE]),
    role: parseRole(participant.attributes[ROLE_ATTRIBUTE]),
  };
}

/** Keeps the previous object when nothing changed, so memoised tiles skip re-rendering. */
export function reuseIfEqual(
  previous: ParticipantView | undefined,
  next: ParticipantView,
): ParticipantView {
  if (!previous) return next;
  const keys = Object.keys(next) as (keyof ParticipantView)[];
  return keys.every((key) => Object.is(previous[key], next[key])) ? previous : next;
}

export function screenShareOf(view: ParticipantView): ScreenShareView | null {
  if (!view.screenTrack) return null;
  return {
    key: `${view.identity}:${view.screenTrack.sid ?? 'screen'}`,
    identity: view.identity,
    name: view.name,
    isLocal: view.isLocal,
    track: view.screenTrack,
  };
}

/** Remote audio tracks that are subscribed and can be played. */
export function remoteAudioTracks(participant: Participant): AudioTrackView[] {
  if (participant.isLocal) return [];
  const result: AudioTrackView[] = [];
  for (const publication of participant.audioTrackPublications.values()) {
    const track = (publication as RemoteTrackPublication).audioTrack;
    if (!track || !publication.isSubscribed) continue;
    result.push({
      key: `${participant.identity}:${publication.trackSid}`,
      identity: participant.identity,
      track: track as AudioTrackView['track'],
    });
  }
  return result;
}
