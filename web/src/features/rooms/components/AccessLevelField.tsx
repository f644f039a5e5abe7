import { useId } from 'react';
import type { AccessLevel } from '../../../api';
import { useI18n } from '../../../i18n';

const LEVELS: readonly AccessLevel[] = ['public', 'trusted', 'restricted'];

/** Who walks straight in: three radio buttons, each with its consequence spelled out. */
export function AccessLevelField({
  value,
  onChange,
}: {
  readonly value: AccessLevel;
  readonly onChange: (value: AccessLevel) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className="fieldset" data-testid="room-access">
      <legend className="field-label">{t('rooms.access')}</legend>
      {LEVELS.map((level) => (
        <div key={level} className="choice">
          <input
            id={`${id}-${level}`}
            className="choice__input"
            type="radio"
            name={`${id}-access`}
            value={level}
            checked={value === level}
            aria-describedby={`${id}-${level}-hint`}
            data-testid={`room-access-${level}`}
            onChange={() => onChange(level)}
          />
          <label htmlFor={`${id}-${level}`} className="choice__label">
            {t(`rooms.access.${level}`)}
          </label>
          <p id={`${id}-${level}-hint`} className="choice__hint">
            {t(`rooms.access.${level}.hint`)}
          </p>
        </div>
      ))}
    </fieldset>
  );
}
