import { useConference, useConferenceStore } from '../../../conference';
import { useI18n } from '../../../i18n';

/**
 * Connection and sound state. The status region stays in the DOM so that screen readers
 * announce its changes; it is empty while all is well.
 */
export function StatusBanners() {
  const { t } = useI18n();
  const store = useConferenceStore();
  const { status, canPlaybackAudio } = useConference();
  return (
    <>
      <div
        className={
          status === 'reconnecting' || status === 'connecting' ? 'banner banner--warning' : 'banner'
        }
        role="status"
        data-testid="connection-banner"
        data-status={status}
      >
        {status === 'reconnecting' && t('meeting.reconnecting')}
        {status === 'connecting' && t('meeting.connecting')}
      </div>
      {!canPlaybackAudio && (
        <div className="banner banner--info">
          <span>{t('audio.blocked')}</span>
          <button
            type="button"
            className="button button--primary button--small"
            data-testid="start-audio"
            onClick={() => void store.startAudio()}
          >
            {t('audio.enable')}
          </button>
        </div>
      )}
    </>
  );
}
