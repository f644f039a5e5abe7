import { describe, expect, it } from 'vitest';
import {
  defaultPreferences,
  loadPreferences,
  MEDIA_KEY,
  NAME_KEY,
  savePreferences,
} from './preferences';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('join preferences', () => {
  it('defaults to camera and microphone on, no name', () => {
    expect(loadPreferences(memoryStorage())).toEqual({ ...defaultPreferences });
  });

  it('remembers the name and media choices', () => {
    const storage = memoryStorage();
    savePreferences(storage, {
      name: '  Ada  ',
      cameraEnabled: false,
      microphoneEnabled: true,
      cameraDeviceId: 'cam-2',
    });
    expect(storage.data.get(NAME_KEY)).toBe('Ada');
    expect(loadPreferences(storage)).toEqual({
      name: 'Ada',
      cameraEnabled: false,
      microphoneEnabled: true,
      cameraDeviceId: 'cam-2',
      microphoneDeviceId: undefined,
      speakerDeviceId: undefined,
    });
  });

  it('falls back to defaults on corrupt storage', () => {
    expect(loadPreferences(memoryStorage({ [MEDIA_KEY]: '{broken' }))).toEqual(defaultPreferences);
    expect(
      loadPreferences(memoryStorage({ [MEDIA_KEY]: '{"cameraEnabled":"yes","cameraDeviceId":5}' })),
    ).toMatchObject({ cameraEnabled: true, cameraDeviceId: undefined });
  });
});
