import { useSyncExternalStore } from 'react';
import type { ConferenceStore } from './ConferenceStore';
import type { ConferenceSnapshot } from './types';

/** The current snapshot of a conference; re-renders when it changes. */
export function useConferenceSnapshot(store: ConferenceStore): ConferenceSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
}
