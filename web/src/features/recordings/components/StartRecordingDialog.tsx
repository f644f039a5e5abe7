import { useId, useState, type FormEvent } from 'react';
import type { RecordingMode, StartRecordingRequest } from '../../../api';
import { Dialog } from '../../../components';
import { useI18n } from '../../../i18n';
import { recordingErrorText } from '../hooks/recordingErrors';

const MODES: readonly RecordingMode[] = ['video', 'audio'];

interface StartRecordingDialogProps {
  /** Starts the recording; a rejection keeps the dialog open and says why. */
  readonly onStart: (request: StartRecordingRequest) => Promise<unknown>;
  readonly onClose: () => void;
}

/** A host's choice before recording: video and audio or audio only, and a transcript. */
export function StartRecordingDialog({ onStart, onClose }: StartRecordingDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const [mode, setMode] = useState<RecordingMode>('video');
  const [transcribe, setTranscribe] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onStart({ mode, transcribe });
      onClose();
    } catch (err) {
      setError(recordingErrorText(err, t));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('recording.startTitle')}
      onClose={onClose}
      testId="record-start-dialog"
      describedBy={`${id}-body`}
    >
      <form className="room-form" onSubmit={(event) => void onSubmit(event)} noValidate>
        <p id={`${id}-body`} className="dialog__body">
          {t('recording.startBody')}
        </p>
        <fieldset className="fieldset">
          <legend className="field-label">{t('recording.mode')}</legend>
          {MODES.map((value) => (
            <div key={value} className="choice">
              <input
                id={`${id}-${value}`}
                className="choice__input"
                type="radio"
                name={`${id}-mode`}
                value={value}
                checked={mode === value}
                aria-describedby={`${id}-${value}-hint`}
                data-testid={`record-mode-${value}`}
                data-autofocus={mode === value ? true : undefined}
                onChange={() => setMode(value)}
              />
              <label htmlFor={`${id}-${value}`} className="choice__label">
                {t(`recording.mode.${value}`)}
              </label>
              <p id={`${id}-${value}-hint`} className="choice__hint">
                {t(`recording.mode.${value}.hint`)}
              </p>
            </div>
          ))}
        </fieldset>
        <div className="choice">
          <input
            id={`${id}-transcribe`}
            className="choice__input"
            type="checkbox"
            checked={transcribe}
            aria-describedby={`${id}-transcribe-hint`}
            data-testid="record-transcribe"
            onChange={(event) => setTranscribe(event.target.checked)}
          />
          <label htmlFor={`${id}-transcribe`} className="choice__label">
            {t('recording.transcribe')}
          </label>
          <p id={`${id}-transcribe-hint`} className="choice__hint">
            {t('recording.transcribe.hint')}
          </p>
        </div>
        {error && (
          <p className="form-error" role="alert" data-testid="record-start-error">
            {t('recording.startFailed', { message: error })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            data-testid="record-start-confirm"
            disabled={busy}
            aria-busy={busy}
          >
            {busy ? t('recording.starting') : t('recording.start')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
