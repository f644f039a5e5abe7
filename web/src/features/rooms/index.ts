// Components
export { RoomsPage } from './components/RoomsPage';
export { AccessLevelField } from './components/AccessLevelField';
export { PublishPolicyFields } from './components/PublishPolicyFields';
export { RoomSettingsDialog } from './components/RoomSettingsDialog';
// API
export { createRoom, deleteRoom, getRoom, inviteIcsUrl, listRooms, updateRoom } from './api/rooms';
