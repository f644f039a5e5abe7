import { useEffect } from 'react';
import { LightPage, useDocumentTitle } from '../../../components';
import { useI18n } from '../../../i18n';
import { navigate, safeNextPath } from '../../../router';
import { useSession } from '../../../session';
import { LocalLoginForm } from './LocalLoginForm';
import { OidcLoginLink } from './OidcLoginLink';

/** `/login?next=/path`: the sign-in methods the server offers; back to `next` once signed in. */
export function LoginPage() {
  const { t } = useI18n();
  useDocumentTitle(t('login.title'));
  const { status, user, config } = useSession();
  const next = safeNextPath(new URLSearchParams(window.location.search).get('next'));

  // Already signed in (another tab, or back from the identity provider): go on.
  useEffect(() => {
    if (user) navigate(next, { replace: true });
  }, [user, next]);

  const auth = config?.auth;
  return (
    <LightPage>
      <main id="main" className="narrow-page" tabIndex={-1} aria-busy={status === 'loading'}>
        <h1 className="narrow-page__title">{t('login.title')}</h1>
        {status === 'ready' && (
          <div className="login">
            {auth?.oidc && <OidcLoginLink providerName={auth.oidc.name} next={next} />}
            {auth?.oidc && auth.local && (
              <p className="login__or">
                <span>{t('login.or')}</span>
              </p>
            )}
            {auth?.local && <LocalLoginForm next={next} />}
            {!auth?.local && !auth?.oidc && (
              <p className="notice notice--warning" data-testid="login-unavailable">
                {t('login.unavailable')}
              </p>
            )}
          </div>
        )}
      </main>
    </LightPage>
  );
}
