// Components
export { HomePage } from './components/HomePage';
// API
export { createRoom, getServerConfig, type CreatedRoom, type ServerConfig } from './api/rooms';
