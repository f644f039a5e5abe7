import { useState } from 'react';
import type { Recording } from '../../../api';
import { ConfirmDialog } from '../../../components';
import { useI18n } from '../../../i18n';
import { deleteRecording } from '../api/recordings';
import { formatDateTime, formatDuration, recordingDurationMs } from '../hooks/recordingText';
import { RecordingFileItem } from './RecordingFileItem';
import { ShareRecordingForm } from './ShareRecordingForm';

interface RecordingCardProps {
  readonly recording: Recording;
  readonly onDeleted: (id: string) => void;
}

/** One recording: when, how it went, its files, and Delete (confirmed; not while it runs). */
export function RecordingCard({ recording, onDeleted }: RecordingCardProps) {
  const { t, locale } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const when = formatDateTime(recording.started_at, locale);
  const title = t('recordings.itemTitle', { when });
  const length = recordingDurationMs(recording);
  const status =
    recording.status === 'failed' && recording.error
      ? t('recordings.failedBecause', { error: recording.error })
      : t(`recordings.status.${recording.status}`);

  return (
    <li
      className="recording-card"
      data-testid="recording-item"
      data-id={recording.id}
      data-status={recording.status}
    >
      <h2 className="recording-card__title">{title}</h2>
      <ul className="recording-facts">
        <li
          className={`recording-status recording-status--${recording.status}`}
          data-testid="recording-status"
        >
          {status}
        </li>
        <li>{t(`recording.mode.${recording.mode}`)}</li>
        {length !== null && (
          <li>{t('recordings.duration', { duration: formatDuration(length, locale) })}</li>
        )}
        {recording.transcribe && <li>{t('recordings.transcribe')}</li>}
        {(recording.composite_status === 'queued' || recording.composite_status === 'running') && (
          <li data-testid="recording-composite-progress">
            {t('recordings.compositeProgress', { progress: String(recording.composite_progress) })}
          </li>
        )}
        {recording.composite_status === 'failed' && (
          <li data-testid="recording-composite-failed">
            {t('recordings.compositeFailed', { error: recording.composite_error ?? '' })}
          </li>
        )}
        {recording.expires_at && (
          <li>{t('recordings.expires', { when: formatDateTime(recording.expires_at, locale) })}</li>
        )}
      </ul>
      {recording.files.length === 0 ? (
        <p className="recording-card__empty">
          {t(recording.status === 'recording' ? 'recordings.noFilesYet' : 'recordings.noFiles')}
        </p>
      ) : (
        <ul className="recording-files" aria-label={t('recordings.files')}>
          {recording.files.map((file) => (
            <RecordingFileItem key={file.url} file={file} />
          ))}
        </ul>
      )}
      {(recording.composite_url || recording.status !== 'recording') && (
        <div className="recording-card__actions">
          {recording.composite_url && (
            <a
              href={recording.composite_url}
              download
              className="button button--secondary button--small"
              data-testid="recording-composite"
            >
              {t('recordings.composite')}
            </a>
          )}
          {recording.status !== 'recording' && (
            <button
              type="button"
              className="button button--danger-outline button--small"
              data-testid="recording-delete"
              onClick={() => setConfirming(true)}
            >
              {t('recordings.delete')}
              <span className="visually-hidden"> {title}</span>
            </button>
          )}
        </div>
      )}
      {recording.status !== 'recording' && <ShareRecordingForm recordingId={recording.id} />}
      {confirming && (
        <ConfirmDialog
          title={t('recordings.deleteTitle', { when })}
          body={<p>{t('recordings.deleteBody')}</p>}
          confirmLabel={t('recordings.delete')}
          testId="recording-delete-dialog"
          confirmTestId="recording-delete-confirm"
          onConfirm={async () => {
            await deleteRecording(recording.id);
            onDeleted(recording.id);
          }}
          onClose={() => setConfirming(false)}
        />
      )}
    </li>
  );
}
