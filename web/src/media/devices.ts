/** True where `getUserMedia` exists: secure contexts (https, localhost) of modern browsers. */
export function canCaptureMedia(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

/** True where screens can be shared (not on most mobile browsers). */
export function canShareScreen(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
}

/** True where the audio output can be chosen (`HTMLMediaElement.setSinkId`). */
export function canSelectAudioOutput(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

export async function listDevices(kind: MediaDeviceKind): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  // Before permission is granted, browsers list devices with empty ids: useless for choosing.
  return devices.filter((device) => device.kind === kind && device.deviceId !== '');
}

/** Constraints for one device; no id means the browser's default. */
export function deviceConstraint(deviceId: string | undefined): MediaTrackConstraints | true {
  return deviceId ? { deviceId: { exact: deviceId } } : true;
}
