import { useI18n } from '../i18n';

/** First focusable element of every page: jumps over the header to the main content. */
export function SkipLink({ target = 'main' }: { readonly target?: string }) {
  const { t } = useI18n();
  return (
    <a className="skip-link" href={`#${target}`}>
      {t('app.skipToContent')}
    </a>
  );
}
