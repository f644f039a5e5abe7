import { errorText } from '../../../api';
import { useI18n } from '../../../i18n';
import type { ModerationClient } from '../api/ModerationClient';

/** Mutes every microphone but the host's own. */
export function MuteAllButton({
  client,
  onResult,
}: {
  readonly client: ModerationClient;
  readonly onResult: (message: string) => void;
}) {
  const { t } = useI18n();
  const onClick = () => {
    client.muteAll('microphone').then(
      () => onResult(t('host.mutedAll')),
      (error: unknown) =>
        onResult(t('host.muteAllFailed', { message: errorText(error, t('error.network')) })),
    );
  };
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      data-testid="mute-all"
      onClick={onClick}
    >
      {t('host.muteAll')}
    </button>
  );
}
