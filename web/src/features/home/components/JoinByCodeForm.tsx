import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../../../i18n';
import { navigate, parseRoomInput, roomPath } from '../../../router';

/** Joins a meeting from a code (`abc-defg-hij`) or a pasted link. */
export function JoinByCodeForm() {
  const { t } = useI18n();
  const id = useId();
  const [value, setValue] = useState('');
  const [invalid, setInvalid] = useState(false);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const slug = parseRoomInput(value);
    if (!slug) {
      setInvalid(true);
      return;
    }
    navigate(roomPath(slug));
  };

  return (
    <form className="join-form" onSubmit={onSubmit} noValidate aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="join-form__heading">
        {t('home.joinHeading')}
      </h2>
      <label htmlFor={`${id}-code`} className="field-label">
        {t('home.joinLabel')}
      </label>
      <div className="join-form__row">
        <input
          id={`${id}-code`}
          className="input"
          type="text"
          autoComplete="off"
          spellCheck={false}
          data-testid="join-code"
          value={value}
          aria-invalid={invalid}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            setValue(event.target.value);
            setInvalid(false);
          }}
        />
        <button type="submit" className="button button--secondary" data-testid="join-by-code">
          {t('home.joinButton')}
        </button>
      </div>
      <p
        id={`${id}-hint`}
        className={invalid ? 'form-error' : 'field-hint'}
        role={invalid ? 'alert' : undefined}
      >
        {invalid ? t('home.joinInvalid') : t('home.joinHint')}
      </p>
    </form>
  );
}
