// Components
export { MeetingView } from './components/MeetingView';
export { LeftPage } from './components/LeftPage';
