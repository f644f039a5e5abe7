import { useId } from 'react';
import { useI18n, type MessageKey } from '../../../i18n';

/** The participant cap; empty or 0 means no cap. */
export function CapField({
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
        {t('rooms.cap')}
      </label>
      <input
        id={id}
        className="input input--short"
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        value={value}
        data-testid="room-cap"
        aria-invalid={problem !== undefined}
        aria-describedby={`${id}-hint`}
        onChange={(event) => onChange(event.target.value)}
      />
      <p id={`${id}-hint`} className={problem ? 'form-error' : 'field-hint'}>
        {problem ? t(problem) : t('rooms.cap.hint')}
      </p>
    </div>
  );
}
