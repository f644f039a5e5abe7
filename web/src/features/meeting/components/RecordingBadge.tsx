import { useConference } from '../../../conference';
import { useI18n } from '../../../i18n';

/**
 * "Recording", in words beside a red dot, in the meeting's header while the server records the
 * room: every participant sees it, whatever their role.
 */
export function RecordingBadge() {
  const { t } = useI18n();
  const { recording } = useConference();
  if (!recording) return null;
  return (
    <p className="recording-badge" data-testid="recording-badge">
      <span className="recording-badge__dot" aria-hidden="true" />
      {t('recording.badge')}
    </p>
  );
}
