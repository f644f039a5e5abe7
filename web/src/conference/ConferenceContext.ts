import { createContext, useContext } from 'react';
import type { ConferenceStore } from './ConferenceStore';
import type { ConferenceSnapshot } from './types';
import { useConferenceSnapshot } from './useConference';

/** The store of the meeting being shown; provided once by the meeting view. */
export const ConferenceContext = createContext<ConferenceStore | null>(null);

export function useConferenceStore(): ConferenceStore {
  const store = useContext(ConferenceContext);
  if (!store) throw new Error('useConferenceStore() outside a ConferenceContext provider');
  return store;
}

/** The current snapshot of the meeting being shown. */
export function useConference(): ConferenceSnapshot {
  return useConferenceSnapshot(useConferenceStore());
}
