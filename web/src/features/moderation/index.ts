// Components
export { LobbyPanel } from './components/LobbyPanel';
export { MuteAllButton } from './components/MuteAllButton';
export { ParticipantActions } from './components/ParticipantActions';
// Hooks
export { LobbyStore, type LobbyApi, type LobbySnapshot } from './hooks/LobbyStore';
export { ModerationContext, useModeration, type Moderation } from './hooks/ModerationContext';
export { roleChanges } from './hooks/roleChanges';
export { useLobby } from './hooks/useLobby';
// API
export { ModerationClient } from './api/ModerationClient';
