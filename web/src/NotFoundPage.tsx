import { LightPage, useDocumentTitle } from './components';
import { useI18n } from './i18n';
import { Link } from './router';

export function NotFoundPage() {
  const { t } = useI18n();
  useDocumentTitle(t('notFound.title'));
  return (
    <LightPage>
      <main id="main" className="left-page" tabIndex={-1}>
        <h1 className="left-page__title">{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <Link href="/" className="button button--primary">
          {t('left.home')}
        </Link>
      </main>
    </LightPage>
  );
}
