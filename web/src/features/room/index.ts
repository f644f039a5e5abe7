// Components
export { RoomPage } from './components/RoomPage';
// API
export { joinRoom, signalUrl, type JoinAnswer } from './api/joinRoom';
