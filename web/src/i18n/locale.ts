import { en, type MessageKey } from './messages/en';
import { fr } from './messages/fr';

/** Locales the client ships catalogues for. */
export type Locale = 'en' | 'fr';

export const LOCALES: readonly Locale[] = ['fr', 'en'];

const catalogues: Record<Locale, Record<MessageKey, string>> = { en, fr };

const STORAGE_KEY = 'parlons.locale';

/**
 * Picks the UI locale from the browser's preference list (`navigator.languages`): the first
 * entry we support wins (`fr`, `fr-FR`, `fr-CA`… → French; `en-*` → English); English when
 * none matches.
 */
export function selectLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
    if (primary === 'fr') return 'fr';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'fr';
}

/** The user's explicit choice (language switch) wins over the browser's preferences. */
export function initialLocale(
  storage: Pick<Storage, 'getItem'> | null,
  languages: readonly string[],
): Locale {
  let stored: string | null = null;
  try {
    stored = storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    // Storage can throw when disabled by the user; fall back to the browser's preferences.
  }
  return isLocale(stored) ? stored : selectLocale(languages);
}

export function rememberLocale(storage: Pick<Storage, 'setItem'> | null, locale: Locale): void {
  try {
    storage?.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered: the choice still applies to this page.
  }
}

export type MessageParams = Record<string, string | number>;

/** Replaces `{name}` placeholders; unknown placeholders are left visible to catch mistakes. */
export function format(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  return format(catalogues[locale][key], params);
}

/** Keys that exist as a `_one`/`_other` pair, named without the suffix. */
export type PluralKey = MessageKey extends infer K
  ? K extends `${infer Base}_other`
    ? Base
    : never
  : never;

export function translatePlural(
  locale: Locale,
  key: PluralKey,
  count: number,
  params?: MessageParams,
): string {
  const category = new Intl.PluralRules(locale).select(count) === 'one' ? 'one' : 'other';
  return translate(locale, `${key}_${category}` as MessageKey, { count, ...params });
}
