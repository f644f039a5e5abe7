import { useId } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';

/** "Meeting for later": a date and time in the browser's time zone. */
export function ScheduleField({
  value,
  problem,
  onChange,
}: {
  readonly value: string;
  readonly problem: MessageKey | undefined;
  readonly onChange: (value: string) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {t('rooms.scheduledAt')}
      </label>
      <input
        id={id}
        className="input input--auto"
        type="datetime-local"
        value={value}
        data-testid="room-scheduled-at"
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className={problem ? 'form-error' : 'field-hint'}>
        {problem ? t(problem) : t('rooms.scheduledAt.hint')}
      </p>
    </div>
  );
}
