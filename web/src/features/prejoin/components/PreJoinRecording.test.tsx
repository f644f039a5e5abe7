import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PreJoinPage } from './PreJoinPage';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

const render = (recording: boolean) =>
  act(async () =>
    root.render(
      <PreJoinPage
        slug="abc-defg-hij"
        joining={false}
        joinError={null}
        recording={recording}
        onJoin={() => undefined}
      />,
    ),
  );
const notice = () => container.querySelector('[data-testid="prejoin-recording-notice"]');
const join = () => container.querySelector('[data-testid="join"]');

describe('PreJoinPage recording notice', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  it('tells people the meeting is recorded before they join, and announces a late start', async () => {
    await render(false);
    expect(notice()).toBeNull();
    expect(join()?.hasAttribute('aria-describedby')).toBe(false);

    await render(true);
    expect(notice()?.textContent).toBe(
      'This meeting is being recorded. What you say and share in it may be recorded.',
    );
    expect(notice()?.parentElement?.getAttribute('aria-live')).toBe('polite');
    const described = join()?.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(described)).toBe(notice());
  });
});
