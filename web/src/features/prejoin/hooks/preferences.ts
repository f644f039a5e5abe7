/** What the pre-join page remembers between visits (localStorage, this browser only). */
export interface JoinPreferences {
  readonly name: string;
  readonly cameraEnabled: boolean;
  readonly microphoneEnabled: boolean;
  readonly cameraDeviceId?: string;
  readonly microphoneDeviceId?: string;
  readonly speakerDeviceId?: string;
}

export const NAME_KEY = 'parlons.displayName';
export const MEDIA_KEY = 'parlons.media';
export const MAX_NAME_LENGTH = 64;

export const defaultPreferences: JoinPreferences = {
  name: '',
  cameraEnabled: true,
  microphoneEnabled: true,
};

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

export function loadPreferences(storage: Pick<Storage, 'getItem'> | null): JoinPreferences {
  try {
    const name = storage?.getItem(NAME_KEY) ?? '';
    const media: unknown = JSON.parse(storage?.getItem(MEDIA_KEY) ?? '{}');
    const m = typeof media === 'object' && media !== null ? (media as Record<string, unknown>) : {};
    return {
      name: name.slice(0, MAX_NAME_LENGTH),
      cameraEnabled: typeof m.cameraEnabled === 'boolean' ? m.cameraEnabled : true,
      microphoneEnabled: typeof m.microphoneEnabled === 'boolean' ? m.microphoneEnabled : true,
      cameraDeviceId: optionalString(m.cameraDeviceId),
      microphoneDeviceId: optionalString(m.microphoneDeviceId),
      speakerDeviceId: optionalString(m.speakerDeviceId),
    };
  } catch {
    return defaultPreferences;
  }
}

export function savePreferences(
  storage: Pick<Storage, 'setItem'> | null,
  prefs: JoinPreferences,
): void {
  try {
    storage?.setItem(NAME_KEY, prefs.name.trim());
    const { name: _name, ...media } = prefs;
    storage?.setItem(MEDIA_KEY, JSON.stringify(media));
  } catch {
    // Storage full or disabled: preferences simply are not remembered.
  }
}

export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
