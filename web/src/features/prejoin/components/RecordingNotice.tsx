import { Icon } from '../../../components';
import { useI18n } from '../../../i18n';

/**
 * "This meeting is being recorded", at the top of the pre-join page; it also describes the Join
 * button. The region stays in the DOM so that a recording starting while someone gets ready is
 * announced.
 */
export function RecordingNotice({
  id,
  recording,
}: {
  readonly id: string;
  readonly recording: boolean;
}) {
  const { t } = useI18n();
  return (
    <div aria-live="polite" className="prejoin__recording">
      {recording && (
        <p id={id} className="notice notice--recording" data-testid="prejoin-recording-notice">
          <Icon name="record" className="notice__icon" />
          <span>
            <strong>{t('prejoin.recording')}</strong> {t('prejoin.recordingBody')}
          </span>
        </p>
      )}
    </div>
  );
}
