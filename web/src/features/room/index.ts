// Components
export { RoomPage } from './components/RoomPage';
// API
export {
  joinRoom,
  leaveLobby,
  pollLobby,
  signalUrl,
  type JoinOutcome,
  type LobbyOutcome,
  type Refusal,
  type RefusedCode,
} from './api/joinRoom';
