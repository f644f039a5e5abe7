import { useEffect } from 'react';
import { Icon } from '../../../components';
import { useConference, useConferenceStore } from '../../../conference';
import { useI18n } from '../../../i18n';

const VISIBLE_MS = 8000;

/** The last control that failed (camera busy, screen share refused…), dismissible. */
export function ErrorToast() {
  const { t } = useI18n();
  const store = useConferenceStore();
  const { error } = useConference();

  useEffect(() => {
    if (!error) return;
    const timer = setTimeout(() => store.dismissError(), VISIBLE_MS);
    return () => clearTimeout(timer);
  }, [error, store]);

  if (!error) return null;
  return (
    <div className="toast toast--error" role="alert" data-testid="control-error">
      <span>{t(`error.${error.kind}`)}</span>
      <button
        type="button"
        className="icon-button"
        aria-label={t('error.dismiss')}
        onClick={() => store.dismissError()}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
