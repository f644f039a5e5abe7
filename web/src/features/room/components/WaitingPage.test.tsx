import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { room, stubFetch } from '../../../test/fixtures';
import { WaitingPage } from './WaitingPage';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

function render(callbacks: {
  onEnter?: () => void;
  onRefused?: () => void;
  onCancel?: () => void;
}) {
  act(() =>
    root.render(
      <WaitingPage
        slug="abc-defg-hij"
        lobbyId="L1"
        pollAfterMs={1000}
        onEnter={callbacks.onEnter ?? vi.fn()}
        onRefused={callbacks.onRefused ?? vi.fn()}
        onCancel={callbacks.onCancel ?? vi.fn()}
      />,
    ),
  );
}

describe('WaitingPage', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('says it is waiting, with the focus on its title, then enters once let in', async () => {
    const enter = {
      status: 'enter',
      url: '',
      token: 't',
      identity: 'g-1',
      role: 'guest',
      room: room(),
    };
    const calls = stubFetch(
      { status: 200, body: { status: 'wait' } },
      { status: 200, body: enter },
    );
    const onEnter = vi.fn();
    render({ onEnter });
    const heading = container.querySelector('h1');
    expect(heading?.textContent).toBe('Waiting for a host to let you in');
    expect(document.activeElement).toBe(heading);
    expect(container.querySelector('[data-testid="waiting-status"]')?.getAttribute('role')).toBe(
      'status',
    );
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/rooms/abc-defg-hij/lobby/L1',
      '/api/v1/rooms/abc-defg-hij/lobby/L1',
    ]);
    expect(onEnter).toHaveBeenCalledWith(enter);
  });

  it('passes a denial on, with the reason', async () => {
    stubFetch({
      status: 403,
      body: { status: 'refused', code: 'denied', message: 'Denied', reason: 'Private meeting' },
    });
    const onRefused = vi.fn();
    render({ onRefused });
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(onRefused).toHaveBeenCalledWith({
      status: 'refused',
      code: 'denied',
      reason: 'Private meeting',
    });
  });

  it('stops polling once cancelled', async () => {
    const calls = stubFetch({ status: 200, body: { status: 'wait' } });
    const onCancel = vi.fn(() => act(() => root.render(<p>pre-join</p>)));
    render({ onCancel });
    container.querySelector<HTMLButtonElement>('[data-testid="waiting-cancel"]')?.click();
    expect(onCancel).toHaveBeenCalled();
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(calls).toHaveLength(0);
  });
});
