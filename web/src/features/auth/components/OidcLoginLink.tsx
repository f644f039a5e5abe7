import { useI18n } from '../../../i18n';
import { oidcLoginUrl } from '../../../router';

/** A full-page link to the server's OpenID Connect login, which redirects to the provider. */
export function OidcLoginLink({
  providerName,
  next,
}: {
  readonly providerName: string;
  readonly next: string;
}) {
  const { t } = useI18n();
  return (
    <a
      href={oidcLoginUrl(next)}
      className="button button--primary button--large button--block"
      data-testid="login-oidc"
    >
      {t('login.withProvider', { name: providerName })}
    </a>
  );
}
