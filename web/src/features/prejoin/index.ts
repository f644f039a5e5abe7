// Components
export { PreJoinPage, type PreJoinPageProps } from './components/PreJoinPage';
// Hooks
export { loadPreferences, savePreferences, type JoinPreferences } from './hooks/preferences';
