import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MessageKey } from './messages/en';
import {
  initialLocale,
  rememberLocale,
  translate,
  translatePlural,
  type Locale,
  type MessageParams,
  type PluralKey,
} from './locale';
import { I18nContext, type I18n } from './context';

function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Holds the current locale and keeps `<html lang>` in step with it. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() =>
    initialLocale(browserStorage(), navigator.languages ?? [navigator.language]),
  );

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const setLocale = useCallback((next: Locale) => {
    rememberLocale(browserStorage(), next);
    setLocaleState(next);
  }, []);

  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key: MessageKey, params?: MessageParams) => translate(locale, key, params),
      tp: (key: PluralKey, count: number, params?: MessageParams) =>
        translatePlural(locale, key, count, params),
    }),
    [locale, setLocale],
  );

  return <I18nContext value={value}>{children}</I18nContext>;
}
