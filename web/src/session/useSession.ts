import { useSyncExternalStore } from 'react';
import { session, type SessionSnapshot } from './SessionStore';

/** The current session snapshot; re-renders when the user signs in or out. */
export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}
