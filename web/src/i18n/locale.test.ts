import { describe, expect, it } from 'vitest';
import {
  format,
  initialLocale,
  rememberLocale,
  selectLocale,
  translate,
  translatePlural,
} from './locale';
import { en } from './messages/en';
import { fr } from './messages/fr';

function memoryStorage(initial: Record<string, string> = {}) {
  const data = new Map(Object.entries(initial));
  return {
    getItem: (key: string) => data.get(key) ?? null,
    setItem: (key: string, value: string) => void data.set(key, value),
  };
}

describe('selectLocale', () => {
  it.each([
    [['fr-FR', 'en-US'], 'fr'],
    [['fr'], 'fr'],
    [['fr-CA'], 'fr'],
    [['FR_be'], 'fr'],
    [['en-US', 'fr-FR'], 'en'],
    [['en-GB'], 'en'],
    [['de-DE', 'fr-FR', 'en'], 'fr'],
    [['de-DE', 'en-US', 'fr'], 'en'],
    [['de-DE', 'es'], 'en'],
    [['fry'], 'en'],
    [[], 'en'],
  ] as const)('%j → %s', (languages, expected) => {
    expect(selectLocale(languages)).toBe(expected);
  });
});

describe('initialLocale', () => {
  it('prefers the language the user picked over the browser preferences', () => {
    expect(initialLocale(memoryStorage({ 'parlons.locale': 'en' }), ['fr-FR'])).toBe('en');
  });

  it('ignores a stored value that is not a locale', () => {
    expect(initialLocale(memoryStorage({ 'parlons.locale': 'xx' }), ['fr-FR'])).toBe('fr');
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(initialLocale(broken, ['fr'])).toBe('fr');
  });

  it('remembers the switch', () => {
    const storage = memoryStorage();
    rememberLocale(storage, 'fr');
    expect(initialLocale(storage, ['en'])).toBe('fr');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('Hello {name}, {missing}', { name: 'Ada' })).toBe('Hello Ada, {missing}');
    expect(translate('fr', 'tile.screenOf', { name: 'Ada' })).toBe('Écran partagé par Ada');
    expect(translate('en', 'tile.micMuted')).toBe('Microphone muted');
    expect(translate('fr', 'tile.micMuted')).toBe('Micro coupé');
  });

  it('picks plural forms by locale rules', () => {
    expect(translatePlural('en', 'meeting.participants', 1)).toBe('1 participant');
    expect(translatePlural('en', 'meeting.participants', 0)).toBe('0 participants');
    // French uses the singular for 0 and 1.
    expect(translatePlural('fr', 'meeting.participants', 0)).toBe('0 participant');
    expect(translatePlural('fr', 'meeting.participants', 2)).toBe('2 participants');
  });
});

describe('catalogues', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('have the same keys and the same placeholders in French and English', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(fr[key].trim(), key).not.toBe('');
      expect(placeholders(fr[key]), key).toEqual(placeholders(en[key]));
    }
  });
});
