export { I18nProvider } from './I18nProvider';
export { useI18n, type I18n } from './context';
export { LOCALES, selectLocale, type Locale } from './locale';
export type { MessageKey } from './messages/en';
