import { useState } from 'react';
import { errorText, type ParticipantRole } from '../../../api';
import { ConfirmDialog, Icon } from '../../../components';
import type { ParticipantView } from '../../../conference';
import { useI18n, type MessageKey } from '../../../i18n';
import type { ModerationClient } from '../api/ModerationClient';
import { roleChanges } from '../hooks/roleChanges';

interface ParticipantActionsProps {
  readonly participant: ParticipantView;
  readonly myRole: ParticipantRole | null;
  readonly client: ModerationClient;
  /** A sentence for the panel's status region: done, or why not. */
  readonly onResult: (message: string) => void;
}

/**
 * A host's actions on one participant, behind a disclosure button so that a long list stays
 * one tab stop per person. Each action names the participant for screen readers.
 */
export function ParticipantActions({
  participant,
  myRole,
  client,
  onResult,
}: ParticipantActionsProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const { identity, name } = participant;
  const panelId = `actions-${identity}`;

  const run = (done: MessageKey, call: () => Promise<void>) => {
    call().then(
      () => onResult(t(done, { name })),
      (error: unknown) =>
        onResult(t('host.failed', { name, message: errorText(error, t('error.network')) })),
    );
  };

  const action = (label: MessageKey, testId: string, onClick: () => void) => (
    <button
      type="button"
      className="button button--ghost button--small"
      data-testid={testId}
      onClick={onClick}
    >
      {t(label)}
      <span className="visually-hidden"> ({name})</span>
    </button>
  );

  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={t('host.actionsFor', { name })}
        data-testid="participant-actions-toggle"
        onClick={() => setOpen((o) => !o)}
      >
        <Icon name="more" />
      </button>
      <div id={panelId} className="people-list__actions" hidden={!open}>
        {!participant.micMuted &&
          action('host.muteMic', 'participant-mute', () =>
            run('host.mutedMic', () => client.mute(identity, 'microphone')),
          )}
        {participant.cameraTrack &&
          action('host.stopCamera', 'participant-stop-camera', () =>
            run('host.stoppedCamera', () => client.mute(identity, 'camera')),
          )}
        {participant.screenTrack &&
          action('host.stopScreen', 'participant-stop-screen', () =>
            run('host.stoppedScreen', () => client.mute(identity, 'screen_share')),
          )}
        {participant.handRaisedAt !== null &&
          action('host.lowerHand', 'participant-lower-hand', () =>
            run('host.loweredHand', () => client.lowerHand(identity)),
          )}
        {roleChanges(myRole, participant.role).map((role) =>
          action(
            role === 'admin' ? 'host.makeAdmin' : 'host.makeMember',
            role === 'admin' ? 'participant-make-admin' : 'participant-make-member',
            () =>
              run(role === 'admin' ? 'host.madeAdmin' : 'host.madeMember', () =>
                client.setRole(identity, role),
              ),
          ),
        )}
        {participant.role !== 'owner' &&
          action('host.remove', 'participant-remove', () => setConfirmRemove(true))}
      </div>
      {confirmRemove && (
        <ConfirmDialog
          title={t('host.removeTitle', { name })}
          body={<p>{t('host.removeBody')}</p>}
          confirmLabel={t('host.remove')}
          testId="participant-remove-dialog"
          confirmTestId="participant-remove-confirm"
          onConfirm={async () => {
            await client.remove(identity);
            onResult(t('host.removed', { name }));
          }}
          onClose={() => setConfirmRemove(false)}
        />
      )}
    </>
  );
}
