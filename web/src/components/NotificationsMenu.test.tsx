import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stubFetch } from '../test/fixtures';
import { NotificationsMenu } from './NotificationsMenu';

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

const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);

describe('NotificationsMenu', () => {
  it('shows how many are unread and words each one', async () => {
    stubFetch({
      status: 200,
      body: {
        unread: 1,
        notifications: [
          {
            id: 'n1',
            kind: 'recording_ready',
            subject: 'Weekly',
            link: '/rooms/abc-defg-hij/recordings',
            created_at: '2026-11-25T10:00:00Z',
            read: false,
          },
        ],
      },
    });
    await act(async () => {
      root.render(<NotificationsMenu />);
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    const toggle = byTestId('notifications-toggle');
    expect(toggle?.textContent).toBe('Notifications (1 unread)');
    expect(toggle?.getAttribute('aria-expanded')).toBe('false');
    await act(async () => toggle?.click());
    expect(toggle?.getAttribute('aria-expanded')).toBe('true');
    expect(byTestId('notification-item')?.textContent).toBe(
      'The recording of “Weekly” is ready (new)',
    );
  });
});
