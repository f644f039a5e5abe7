// Components
export { ChatPanel } from './components/ChatPanel';
// Hooks
export { latestUnread, useUnreadCount } from './hooks/useUnreadCount';
