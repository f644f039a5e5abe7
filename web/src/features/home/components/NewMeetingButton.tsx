import { useState } from 'react';
import { NetworkError } from '../../../api';
import { Icon } from '../../../components';
import { useI18n } from '../../../i18n';
import { navigate, roomPath } from '../../../router';
import { createRoom } from '../api/rooms';

/** Creates a room on the server, then opens its pre-join page. */
export function NewMeetingButton() {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onClick = async () => {
    setBusy(true);
    setError(null);
    try {
      const room = await createRoom();
      navigate(roomPath(room.slug));
    } catch (err) {
      const message = err instanceof NetworkError ? t('error.network') : (err as Error).message;
      setError(t('home.createError', { message }));
      setBusy(false);
    }
  };

  return (
    <div className="new-meeting">
      <button
        type="button"
        className="button button--primary button--large"
        data-testid="new-meeting"
        onClick={() => void onClick()}
        disabled={busy}
        aria-busy={busy}
      >
        <Icon name="camera" />
        {busy ? t('home.creating') : t('home.newMeeting')}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
