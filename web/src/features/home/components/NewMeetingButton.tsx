import { useState } from 'react';
import { errorCode, errorText } from '../../../api';
import { Icon } from '../../../components';
import { useI18n } from '../../../i18n';
import { loginPath, navigate, roomPath } from '../../../router';
import { canCreateRooms, session, useSession } from '../../../session';
import { createRoom } from '../../rooms';

/**
 * Creates a room on the server, then opens its pre-join page. Visitors who may not create
 * rooms (signed out, and the server does not allow anonymous rooms) are sent to sign in.
 */
export function NewMeetingButton() {
  const { t } = useI18n();
  const snapshot = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mustSignIn = snapshot.status === 'ready' && !canCreateRooms(snapshot);

  const onClick = async () => {
    setBusy(true);
    setError(null);
    await session.load();
    if (!canCreateRooms(session.getSnapshot())) {
      navigate(loginPath('/'));
      return;
    }
    try {
      const room = await createRoom();
      navigate(roomPath(room.slug));
    } catch (err) {
      if (errorCode(err) === 'unauthenticated') {
        navigate(loginPath('/'));
        return;
      }
      setError(t('home.createError', { message: errorText(err, t('error.network')) }));
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
        aria-describedby={mustSignIn ? 'new-meeting-hint' : undefined}
      >
        <Icon name="camera" />
        {busy ? t('home.creating') : t('home.newMeeting')}
      </button>
      {mustSignIn && (
        <p id="new-meeting-hint" className="field-hint" data-testid="new-meeting-sign-in-hint">
          {t('home.signInToCreate')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
