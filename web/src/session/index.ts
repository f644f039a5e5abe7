export {
  SessionStore,
  canCreateRooms,
  joinsUnderAccountName,
  session,
  type SessionSnapshot,
} from './SessionStore';
export { sessionApi, type SessionApi } from './sessionApi';
export { useSession } from './useSession';
