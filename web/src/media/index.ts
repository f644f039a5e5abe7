export { classifyMediaError, type MediaProblem } from './mediaErrors';
export {
  canCaptureMedia,
  canSelectAudioOutput,
  canShareScreen,
  deviceConstraint,
  listDevices,
} from './devices';
