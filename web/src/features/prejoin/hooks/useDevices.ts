import { useEffect, useState } from 'react';
import { listDevices } from '../../../media';

/**
 * Devices of one kind, refreshed on `devicechange` and whenever `refreshKey` changes (labels
 * appear only once a permission was granted, so pass the open track as the key).
 */
export function useDevices(kind: MediaDeviceKind, refreshKey: unknown): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);

  useEffect(() => {
    let cancelled = false;
    const refresh = () => {
      listDevices(kind).then(
        (list) => {
          if (!cancelled) setDevices(list);
        },
        () => undefined,
      );
    };
    refresh();
    navigator.mediaDevices?.addEventListener('devicechange', refresh);
    return () => {
      cancelled = true;
      navigator.mediaDevices?.removeEventListener('devicechange', refresh);
    };
  }, [kind, refreshKey]);

  return devices;
}
