import { useId, useRef, useState, type FormEvent } from 'react';
import { errorCode, NetworkError } from '../../../api';
import { useI18n, type MessageKey } from '../../../i18n';
import { navigate } from '../../../router';
import { session } from '../../../session';

function refusalKey(error: unknown): MessageKey {
  if (error instanceof NetworkError) return 'error.network';
  switch (errorCode(error)) {
    case 'invalid_credentials':
      return 'login.invalidCredentials';
    case 'rate_limited':
      return 'login.rateLimited';
    default:
      return 'login.failed';
  }
}

/** Username and password, for the server's local accounts. */
export function LocalLoginForm({ next }: { readonly next: string }) {
  const { t } = useI18n();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<MessageKey | null>(null);
  // Remounts the alert on every failed attempt, so that the same message is announced again.
  const [attempts, setAttempts] = useState(0);
  const usernameInput = useRef<HTMLInputElement>(null);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!username.trim() || !password) {
      setError('login.missingFields');
      setAttempts((n) => n + 1);
      usernameInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await session.signIn(username.trim(), password);
      navigate(next, { replace: true });
    } catch (err) {
      setError(refusalKey(err));
      setAttempts((n) => n + 1);
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <form
      className="login__form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-labelledby={`${id}-heading`}
      data-testid="login-form"
    >
      <h2 id={`${id}-heading`} className="login__heading">
        {t('login.localHeading')}
      </h2>
      <div className="field">
        <label htmlFor={`${id}-username`} className="field-label">
          {t('login.username')}
        </label>
        <input
          ref={usernameInput}
          id={`${id}-username`}
          name="username"
          className="input"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          data-testid="login-username"
          value={username}
          aria-invalid={error === 'login.invalidCredentials' || error === 'login.missingFields'}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setUsername(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`} className="field-label">
          {t('login.password')}
        </label>
        <input
          id={`${id}-password`}
          name="password"
          className="input"
          type="password"
          autoComplete="current-password"
          required
          data-testid="login-password"
          value={password}
          aria-invalid={error === 'login.invalidCredentials' || error === 'login.missingFields'}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => setPassword(event.target.value)}
        />
      </div>
      <div
        key={attempts}
        id={`${id}-error`}
        role="alert"
        data-testid="login-error"
        className="form-error"
      >
        {error && t(error)}
      </div>
      <button
        type="submit"
        className="button button--primary button--large button--block"
        data-testid="login-submit"
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? t('login.signingIn') : t('login.submit')}
      </button>
    </form>
  );
}
