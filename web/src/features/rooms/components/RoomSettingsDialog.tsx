import { useId, useState, type FormEvent } from 'react';
import { errorText, type Room, type UpdateRoomRequest } from '../../../api';
import { Dialog } from '../../../components';
import { useI18n } from '../../../i18n';
import { checkDraft, draftFromRoom, updateRequest, type RoomDraft } from '../hooks/roomDraft';
import { AccessLevelField } from './AccessLevelField';
import { CapField } from './CapField';
import { PublishPolicyFields } from './PublishPolicyFields';
import { ScheduleField } from './ScheduleField';

interface RoomSettingsDialogProps {
  readonly room: Room;
  /** Sends the PATCH: from "My rooms" with the session, in a meeting with the host's token. */
  readonly save: (patch: UpdateRoomRequest) => Promise<Room>;
  readonly onSaved: (room: Room) => void;
  readonly onClose: () => void;
}

/** Every setting of a room a host may change, sent as one PATCH of what changed. */
export function RoomSettingsDialog({ room, save, onSaved, onClose }: RoomSettingsDialogProps) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<RoomDraft>(() => draftFromRoom(room));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problems = checkDraft(draft, draft.scheduledAt !== '');
  const update = (patch: Partial<RoomDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (Object.keys(problems).length > 0) return;
    const patch = updateRequest(room, draft);
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved(await save(patch));
      onClose();
    } catch (err) {
      setError(errorText(err, t('error.network')));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('rooms.settingsTitle', { name: room.name })}
      onClose={onClose}
      testId="room-settings-dialog"
    >
      <form
        className="room-form"
        onSubmit={(event) => void onSubmit(event)}
        noValidate
        data-testid="room-settings-form"
      >
        <div className="field">
          <label htmlFor={`${id}-name`} className="field-label">
            {t('rooms.name')}
          </label>
          <input
            id={`${id}-name`}
            className="input"
            type="text"
            maxLength={100}
            autoComplete="off"
            data-autofocus
            value={draft.name}
            data-testid="room-settings-name"
            onChange={(event) => update({ name: event.target.value })}
          />
        </div>
        <div className="choice">
          <input
            id={`${id}-locked`}
            className="choice__input"
            type="checkbox"
            checked={draft.locked}
            aria-describedby={`${id}-locked-hint`}
            data-testid="room-locked"
            onChange={(event) => update({ locked: event.target.checked })}
          />
          <label htmlFor={`${id}-locked`} className="choice__label">
            {t('rooms.locked')}
          </label>
          <p id={`${id}-locked-hint`} className="choice__hint">
            {t('rooms.locked.hint')}
          </p>
        </div>
        <AccessLevelField value={draft.access} onChange={(access) => update({ access })} />
        <PublishPolicyFields value={draft.publish} onChange={(publish) => update({ publish })} />
        <CapField
          value={draft.maxParticipants}
          problem={problems.maxParticipants}
          onChange={(maxParticipants) => update({ maxParticipants })}
        />
        <ScheduleField
          value={draft.scheduledAt}
          problem={problems.scheduledAt}
          onChange={(scheduledAt) => update({ scheduledAt })}
        />
        {error && (
          <p className="form-error" role="alert">
            {t('dialog.failed', { message: error })}
          </p>
        )}
        <div className="dialog__actions">
          <button type="button" className="button button--secondary" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            data-testid="room-settings-save"
            disabled={busy}
            aria-busy={busy}
          >
            {t('rooms.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
