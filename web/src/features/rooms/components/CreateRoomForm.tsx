import { useId, useState, type FormEvent } from 'react';
import { errorText, type Room } from '../../../api';
import { useI18n } from '../../../i18n';
import { createRoom } from '../api/rooms';
import { checkDraft, createRequest, emptyDraft, type RoomDraft } from '../hooks/roomDraft';
import { AccessLevelField } from './AccessLevelField';
import { CapField } from './CapField';
import { ScheduleField } from './ScheduleField';

/** Creates a room: name, who enters directly, participant cap, and optionally a date. */
export function CreateRoomForm({ onCreated }: { readonly onCreated: (room: Room) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<RoomDraft>(emptyDraft);
  const [later, setLater] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problems = submitted ? checkDraft(draft, later) : {};
  const update = (patch: Partial<RoomDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(checkDraft(draft, later)).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const room = await createRoom(createRequest(draft, later));
      setDraft(emptyDraft);
      setLater(false);
      setSubmitted(false);
      onCreated(room);
    } catch (err) {
      setError(errorText(err, t('error.network')));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card room-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby={`${id}-heading`}
      data-testid="create-room-form"
    >
      <h2 id={`${id}-heading`} className="card__title">
        {t('rooms.createHeading')}
      </h2>
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
          value={draft.name}
          data-testid="room-name"
          aria-describedby={`${id}-name-hint`}
          onChange={(event) => update({ name: event.target.value })}
        />
        <p id={`${id}-name-hint`} className="field-hint">
          {t('rooms.name.hint')}
        </p>
      </div>
      <AccessLevelField value={draft.access} onChange={(access) => update({ access })} />
      <CapField
        value={draft.maxParticipants}
        problem={problems.maxParticipants}
        onChange={(maxParticipants) => update({ maxParticipants })}
      />
      <div className="choice">
        <input
          id={`${id}-later`}
          className="choice__input"
          type="checkbox"
          checked={later}
          data-testid="room-later"
          onChange={(event) => setLater(event.target.checked)}
        />
        <label htmlFor={`${id}-later`} className="choice__label">
          {t('rooms.later')}
        </label>
      </div>
      {later && (
        <ScheduleField
          value={draft.scheduledAt}
          problem={problems.scheduledAt}
          onChange={(scheduledAt) => update({ scheduledAt })}
        />
      )}
      {error && (
        <p className="form-error" role="alert" data-testid="create-room-error">
          {t('rooms.createError', { message: error })}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary"
        data-testid="create-room-submit"
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? t('rooms.creating') : t('rooms.create')}
      </button>
    </form>
  );
}
