import { createContext, useContext } from 'react';
import type { MessageKey } from './messages/en';
import {
  translate,
  translatePlural,
  type Locale,
  type MessageParams,
  type PluralKey,
} from './locale';

export interface I18n {
  readonly locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, params?: MessageParams): string;
  tp(key: PluralKey, count: number, params?: MessageParams): string;
}

/** English without a provider, so isolated component tests still render text. */
export const I18nContext = createContext<I18n>({
  locale: 'en',
  setLocale: () => undefined,
  t: (key, params) => translate('en', key, params),
  tp: (key, count, params) => translatePlural('en', key, count, params),
});

export function useI18n(): I18n {
  return useContext(I18nContext);
}
