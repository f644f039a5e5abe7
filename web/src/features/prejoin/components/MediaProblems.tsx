import { useI18n } from '../../../i18n';
import type { MediaProblem } from '../../../media';
import { problemMessage } from './PreviewPanel';

interface MediaProblemsProps {
  readonly camera: MediaProblem | null;
  readonly microphone: MediaProblem | null;
  readonly unsupported: boolean;
  readonly onRetry: () => void;
}

/** Explains why a device is missing and that joining without it still works. */
export function MediaProblems({ camera, microphone, unsupported, onRetry }: MediaProblemsProps) {
  const { t } = useI18n();
  if (unsupported) {
    return (
      <div className="notice notice--warning" role="alert" data-testid="media-problem">
        <p>{t('prejoin.unsupported')}</p>
      </div>
    );
  }
  if (!camera && !microphone) return null;
  const retryable =
    camera === 'inUse' || microphone === 'inUse' || camera === 'other' || microphone === 'other';
  return (
    <div className="notice notice--warning" role="alert" data-testid="media-problem">
      {camera && <p data-problem={camera}>{t(problemMessage('camera', camera))}</p>}
      {microphone && <p data-problem={microphone}>{t(problemMessage('microphone', microphone))}</p>}
      {retryable && (
        <button type="button" className="button button--secondary button--small" onClick={onRetry}>
          {t('prejoin.retry')}
        </button>
      )}
    </div>
  );
}
