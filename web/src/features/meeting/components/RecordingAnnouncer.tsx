import { useState } from 'react';
import { useConference } from '../../../conference';
import { useI18n } from '../../../i18n';

/**
 * Tells screen readers when a recording starts or stops; always in the DOM so that changes are
 * announced. Someone who joins while it runs was told on the pre-join page and sees the badge.
 */
export function RecordingAnnouncer() {
  const { t } = useI18n();
  const { recording } = useConference();
  // "Stopped" only makes sense after a recording was seen running.
  const [seen, setSeen] = useState(recording);
  if (recording && !seen) setSeen(true);
  let message = '';
  if (recording) message = t('recording.announceStarted');
  else if (seen) message = t('recording.announceStopped');
  return (
    <div className="visually-hidden" aria-live="polite" data-testid="recording-announcer">
      {message}
    </div>
  );
}
