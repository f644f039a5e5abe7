import { useState } from 'react';
import type { ChatMessageView } from '../../../conference';

/**
 * Messages from others that arrived while the chat was closed. Opening the chat marks
 * everything read (a render-time adjustment, not an effect, so no stale badge flashes).
 */
export function useUnreadCount(messages: readonly ChatMessageView[], open: boolean): number {
  const [readUpTo, setReadUpTo] = useState(messages.length);
  if (open && readUpTo !== messages.length) setReadUpTo(messages.length);
  if (open) return 0;
  return messages.slice(readUpTo).filter((message) => !message.isLocal).length;
}

/** The newest unread message from someone else, for a screen-reader announcement. */
export function latestUnread(
  messages: readonly ChatMessageView[],
  unread: number,
): ChatMessageView | null {
  if (unread === 0) return null;
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message && !message.isLocal) return message;
  }
  return null;
}
