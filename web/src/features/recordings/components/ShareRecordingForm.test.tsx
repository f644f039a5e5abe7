import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../../../test/fixtures';
import { ShareRecordingForm } from './ShareRecordingForm';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

const byTestId = <T extends HTMLElement>(id: string) =>
  container.querySelector<T>(`[data-testid="${id}"]`);

async function share(user: string) {
  await act(async () => {
    root.render(<ShareRecordingForm recordingId="rec1" />);
  });
  const input = byTestId<HTMLInputElement>('recording-share-user');
  await act(async () => {
    if (!input) return;
    const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setValue?.call(input, user);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(async () => {
    byTestId<HTMLFormElement>('recording-share-form')?.requestSubmit();
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

describe('ShareRecordingForm', () => {
  it('shares with a user and says so', async () => {
    const calls = stubFetch({ status: 204 });
    await share('fred@example.test');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /api/v1/recordings/rec1/shares',
    ]);
    expect(calls[0]?.body).toEqual({ user: 'fred@example.test' });
    const status = byTestId('recording-share-status');
    expect(status?.getAttribute('role')).toBe('status');
    expect(status?.textContent).toBe('Shared with fred@example.test.');
  });

  it('says when nobody has that name, as an alert', async () => {
    stubFetch({ status: 404, body: { code: 'user_not_found', message: 'no user' } });
    await share('nobody');
    const status = byTestId('recording-share-status');
    expect(status?.getAttribute('role')).toBe('alert');
    expect(status?.textContent).toBe('No user has this login name or e-mail.');
  });
});
