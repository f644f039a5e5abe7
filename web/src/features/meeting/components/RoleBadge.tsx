import type { ParticipantRole } from '../../../api';
import { useI18n } from '../../../i18n';

/**
 * A visible text badge for the roles people need to tell apart: guests (not signed in) and
 * hosts. Members and signed-in users carry none.
 */
export function RoleBadge({
  role,
  className,
}: {
  readonly role: ParticipantRole | null;
  readonly className: string;
}) {
  const { t } = useI18n();
  if (role === 'guest') {
    return (
      <span className={`${className} ${className}--guest`} data-testid="guest-badge">
        {t('role.guest')}
      </span>
    );
  }
  if (role === 'owner' || role === 'admin') {
    return (
      <span className={`${className} ${className}--host`} data-testid="host-badge">
        {t('role.host')}
      </span>
    );
  }
  return null;
}
