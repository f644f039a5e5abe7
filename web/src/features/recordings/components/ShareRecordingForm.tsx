import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../../api';
import { useI18n } from '../../../i18n';
import { shareRecording } from '../api/recordings';

interface ShareRecordingFormProps {
  readonly recordingId: string;
}

/** Shares a recording with another user, by login name or e-mail; says how it went. */
export function ShareRecordingForm({ recordingId }: ShareRecordingFormProps) {
  const { t } = useI18n();
  const inputId = useId();
  const [user, setUser] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ readonly ok: boolean; readonly text: string } | null>(
    null,
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    const who = user.trim();
    if (!who) return;
    setBusy(true);
    setMessage(null);
    try {
      await shareRecording(recordingId, who);
      setMessage({ ok: true, text: t('recordings.shared', { user: who }) });
      setUser('');
    } catch (error) {
      const notFound = error instanceof ApiError && error.status === 404;
      setMessage({
        ok: false,
        text: t(notFound ? 'recordings.shareUnknownUser' : 'recordings.shareFailed'),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="recording-share"
      onSubmit={(e) => void submit(e)}
      data-testid="recording-share-form"
    >
      <label htmlFor={inputId}>{t('recordings.shareLabel')}</label>
      <input
        id={inputId}
        type="text"
        autoComplete="off"
        value={user}
        onChange={(e) => setUser(e.target.value)}
        data-testid="recording-share-user"
      />
      <button type="submit" className="button button--secondary button--small" disabled={busy}>
        {t('recordings.share')}
      </button>
      <p role={message?.ok === false ? 'alert' : 'status'} data-testid="recording-share-status">
        {message?.text ?? ''}
      </p>
    </form>
  );
}
