import { useId } from 'react';
import type { RecordingFile } from '../../../api';
import { useI18n } from '../../../i18n';
import { fileDurationMs, formatDuration, isFileReady, playerElement } from '../hooks/recordingText';

/**
 * One participant's file: whose and what, how long, a player named after it, and a download
 * link whose accessible name says which file it fetches.
 */
export function RecordingFileItem({ file }: { readonly file: RecordingFile }) {
  const { t, locale } = useI18n();
  const id = useId();
  const label = t(`recordings.file.${file.kind}`, { name: file.name });
  const duration = fileDurationMs(file);
  const ready = isFileReady(file);
  const player = {
    src: file.url,
    controls: true,
    preload: 'metadata',
    'aria-labelledby': `${id}-name`,
    'data-testid': 'recording-player',
  } as const;

  return (
    <li
      className="recording-file"
      data-testid="recording-file"
      data-kind={file.kind}
      data-identity={file.identity}
      data-status={file.status}
    >
      <h3 id={`${id}-name`} className="recording-file__name">
        {label}
      </h3>
      <ul className="recording-facts">
        <li data-testid="recording-file-duration">
          {duration === null
            ? t('recordings.fileWriting')
            : t('recordings.duration', { duration: formatDuration(duration, locale) })}
        </li>
        {file.start_ms >= 1000 && (
          <li>{t('recordings.fileOffset', { offset: formatDuration(file.start_ms, locale) })}</li>
        )}
        {(file.status === 'recovered' || file.status === 'failed') && (
          <li>{t(`recordings.status.${file.status}`)}</li>
        )}
      </ul>
      {/* No captions yet: transcripts (a later issue) will add a WebVTT track to these players. */}
      {ready &&
        (playerElement(file) === 'audio' ? (
          // eslint-disable-next-line jsx-a11y/media-has-caption -- see above
          <audio {...player} className="recording-file__audio" />
        ) : (
          // eslint-disable-next-line jsx-a11y/media-has-caption -- see above
          <video {...player} className="recording-file__video" playsInline />
        ))}
      {ready && (
        <a
          href={file.url}
          download
          className="button button--secondary button--small recording-file__download"
          data-testid="recording-file-download"
        >
          {t('recordings.download')}
          <span className="visually-hidden"> {label}</span>
        </a>
      )}
    </li>
  );
}
