// Components
export { RecordingsPage } from './components/RecordingsPage';
export { StartRecordingDialog } from './components/StartRecordingDialog';
// Hooks
export {
  RecordingControlStore,
  type RecordingControlApi,
  type RecordingControlSnapshot,
  type RecordingPhase,
} from './hooks/RecordingControlStore';
export { recordingErrorText } from './hooks/recordingErrors';
// API
export { deleteRecording, getRecording, listRecordings } from './api/recordings';
