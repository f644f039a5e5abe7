import { useState } from 'react';
import { useI18n } from '../i18n';
import { Link, loginPath, navigate, ROOMS_PATH, usePathname } from '../router';
import { session, useSession } from '../session';
import { NotificationsMenu } from './NotificationsMenu';

/**
 * The header's account area: "Sign in" for visitors; the user's name, "My rooms" and
 * "Sign out" once signed in. Signing out follows the identity provider's logout URL if any.
 */
export function AccountMenu() {
  const { t } = useI18n();
  const { status, user } = useSession();
  const pathname = usePathname();
  const [busy, setBusy] = useState(false);

  if (status === 'loading') return <div className="account" />;
  if (!user) {
    if (pathname === '/login') return null;
    return (
      <nav className="account" aria-label={t('account.label')}>
        <Link
          href={loginPath(`${pathname}${window.location.search}`)}
          className="button button--secondary button--small"
          data-testid="sign-in-link"
        >
          {t('account.signIn')}
        </Link>
      </nav>
    );
  }

  const signOut = async () => {
    setBusy(true);
    const redirect = await session.signOut().catch(() => null);
    setBusy(false);
    if (redirect) window.location.assign(redirect);
    else navigate('/');
  };

  return (
    <nav className="account" aria-label={t('account.label')}>
      <Link
        href={ROOMS_PATH}
        className="account__link"
        aria-current={pathname === ROOMS_PATH ? 'page' : undefined}
        data-testid="my-rooms-link"
      >
        {t('account.myRooms')}
      </Link>
      <NotificationsMenu />
      <span className="account__name" data-testid="account-name">
        <span className="visually-hidden">{t('account.signedInAs')} </span>
        {user.name || user.username}
      </span>
      <button
        type="button"
        className="button button--secondary button--small"
        data-testid="sign-out"
        disabled={busy}
        onClick={() => void signOut()}
      >
        {t('account.signOut')}
      </button>
    </nav>
  );
}
