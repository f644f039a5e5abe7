export { ConferenceStore, CHAT_TOPIC, LOBBY_TOPIC, MAX_CHAT_LENGTH } from './ConferenceStore';
export { createConference } from './createConference';
export { gridColumns, gridPageSize, paginate, sortForParticipantList, type Page } from './layout';
export { HAND_ATTRIBUTE, ROLE_ATTRIBUTE, isHostRole } from './participantView';
export { REACTIONS, REACTION_TOPIC } from './reactions';
export { useConferenceSnapshot } from './useConference';
export { ConferenceContext, useConference, useConferenceStore } from './ConferenceContext';
export type {
  AudioTrackView,
  ChatMessageView,
  ConferenceMeta,
  ConferenceSnapshot,
  ConnectionStatus,
  ControlError,
  LeaveReason,
  MediaChoices,
  ParticipantView,
  ReactionView,
  ScreenShareView,
} from './types';
