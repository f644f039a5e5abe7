import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { room, stubFetch } from '../../../test/fixtures';
import { RECORDING_POLL_MS, useRoomRecording } from './useRoomRecording';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

function Probe({ active }: { readonly active: boolean }) {
  return <p data-testid="probe">{String(useRoomRecording('abc-defg-hij', active))}</p>;
}

const shown = () => container.querySelector('[data-testid="probe"]')?.textContent;
const render = (active: boolean) => act(async () => root.render(<Probe active={active} />));
const advance = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe('useRoomRecording', () => {
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

  it('reads Room.recording, polls while active, and stops when inactive', async () => {
    const calls = stubFetch(
      { status: 200, body: room({ recording: null }) },
      { status: 500, body: { code: 'internal', message: 'oops' } },
      { status: 200, body: room({ recording: 'rec1' }) },
    );
    await render(true);
    await advance(0);
    expect(shown()).toBe('false');
    await advance(RECORDING_POLL_MS);
    // A failed read keeps the last answer.
    expect(shown()).toBe('false');
    await advance(RECORDING_POLL_MS);
    expect(shown()).toBe('true');
    expect(calls.every((c) => c.url === '/api/v1/rooms/abc-defg-hij')).toBe(true);
    expect(calls).toHaveLength(3);

    await render(false);
    expect(shown()).toBe('false');
    await advance(RECORDING_POLL_MS * 3);
    expect(calls).toHaveLength(3);
  });
});
