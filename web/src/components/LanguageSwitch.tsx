import { LOCALES, useI18n } from '../i18n';

/** Two toggle buttons, each written in its own language. */
export function LanguageSwitch({ className }: { readonly className?: string }) {
  const { locale, setLocale, t } = useI18n();
  return (
    <div
      className={className ? `language-switch ${className}` : 'language-switch'}
      role="group"
      aria-label={t('language.label')}
    >
      {LOCALES.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          className="language-switch__option"
          aria-pressed={locale === option}
          data-testid={`lang-${option}`}
          onClick={() => setLocale(option)}
        >
          {t(`language.${option}`)}
        </button>
      ))}
    </div>
  );
}
