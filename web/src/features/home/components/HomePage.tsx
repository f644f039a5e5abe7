import { LightPage, useDocumentTitle } from '../../../components';
import { useI18n } from '../../../i18n';
import { useSession } from '../../../session';
import { JoinByCodeForm } from './JoinByCodeForm';
import { NewMeetingButton } from './NewMeetingButton';

export function HomePage() {
  const { t } = useI18n();
  useDocumentTitle('');
  const version = useSession().config?.version ?? null;

  return (
    <LightPage>
      <main id="main" className="home" tabIndex={-1}>
        <section className="home__hero" aria-labelledby="home-title">
          <p className="home__eyebrow">{t('app.tagline')}</p>
          <h1 id="home-title" className="home__title">
            {t('home.title')}
          </h1>
          <p className="home__pitch">{t('home.pitch')}</p>
          <NewMeetingButton />
          <JoinByCodeForm />
        </section>
        <section className="home__features" aria-labelledby="home-features">
          <h2 id="home-features" className="visually-hidden">
            {t('home.featuresHeading')}
          </h2>
          <ul className="feature-list">
            <li>{t('home.featureLink')}</li>
            <li>{t('home.featureSovereign')}</li>
            <li>{t('home.featureOpen')}</li>
          </ul>
        </section>
      </main>
      <footer className="site-footer">
        <p>
          {t('footer.license')}
          {version && <> · {t('footer.version', { version })}</>}
        </p>
      </footer>
    </LightPage>
  );
}
