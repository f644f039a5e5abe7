import { createContext, useContext } from 'react';
import type { Room } from '../../../api';
import type { ModerationClient } from '../api/ModerationClient';

export interface Moderation {
  readonly client: ModerationClient;
  /** The room as the join answer described it; hosts refetch it before editing. */
  readonly room: Room | null;
}

/** Provided by the meeting view when it has a join token (not in the development preview). */
export const ModerationContext = createContext<Moderation | null>(null);

export function useModeration(): Moderation | null {
  return useContext(ModerationContext);
}
