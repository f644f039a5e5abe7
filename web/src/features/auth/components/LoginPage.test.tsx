import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setCsrfToken } from '../../../api';
import { stubFetch } from '../../../test/fixtures';
import { LocalLoginForm } from './LocalLoginForm';
import { OidcLoginLink } from './OidcLoginLink';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

const byTestId = <T extends HTMLElement>(id: string) =>
  container.querySelector<T>(`[data-testid="${id}"]`);

/** Types into a React-controlled input. */
function type(input: HTMLInputElement | null, value: string) {
  if (!input) throw new Error('no input');
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
  setter?.call(input, value);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

async function submit(username: string, password: string) {
  await act(async () => {
    type(byTestId('login-username'), username);
    type(byTestId('login-password'), password);
  });
  await act(async () => byTestId('login-submit')?.click());
  await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

describe('sign-in', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
    window.history.replaceState(null, '', '/login?next=/rooms');
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
    setCsrfToken(null);
  });

  it.each([
    [401, 'invalid_credentials', 'Wrong username or password.'],
    [429, 'rate_limited', 'Too many attempts. Wait a moment, then try again.'],
  ])('shows a %i %s in an alert', async (status, code, text) => {
    const calls = stubFetch({ status, body: { code, message: code } });
    act(() => root.render(<LocalLoginForm next="/rooms" />));
    await submit('ada', 'wrong');
    const alert = byTestId('login-error');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(alert?.textContent).toBe(text);
    expect(calls[0]).toMatchObject({
      url: '/api/v1/auth/login',
      method: 'POST',
      body: { username: 'ada', password: 'wrong' },
    });
    expect(byTestId<HTMLInputElement>('login-password')?.value).toBe('');
  });

  it('goes on to the next page once signed in', async () => {
    const user = { id: 'US_1', username: 'ada', name: 'Ada', email: null, is_admin: false };
    stubFetch({ status: 200, body: { user, csrf: 'c' } });
    act(() => root.render(<LocalLoginForm next="/rooms" />));
    await submit('ada', 'right');
    expect(window.location.pathname).toBe('/rooms');
  });

  it('asks for both fields before calling the server', async () => {
    const calls = stubFetch({ status: 204 });
    act(() => root.render(<LocalLoginForm next="/" />));
    await submit('', '');
    expect(byTestId('login-error')?.textContent).toBe('Enter your username and your password.');
    expect(calls).toHaveLength(0);
  });

  it('links to the identity provider with a safe next path', () => {
    act(() => root.render(<OidcLoginLink providerName="ProConnect" next="/rooms" />));
    const link = byTestId<HTMLAnchorElement>('login-oidc');
    expect(link?.textContent).toBe('Sign in with ProConnect');
    expect(link?.getAttribute('href')).toBe('/auth/oidc/login?next=%2Frooms');
  });
});
