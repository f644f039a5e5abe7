import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomRole } from '../../../api';
import { room } from '../../../test/fixtures';
import { RoomCard } from './RoomCard';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let container: HTMLDivElement;
let root: Root;

const render = (myRole: RoomRole) =>
  act(async () =>
    root.render(
      <ul>
        <RoomCard
          room={room({ my_role: myRole })}
          onChanged={() => undefined}
          onDeleted={() => undefined}
        />
      </ul>,
    ),
  );
const link = () => container.querySelector('[data-testid="room-recordings"]');

describe('RoomCard', () => {
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });

  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  it.each(['owner', 'admin'] as const)('links an %s to the room’s recordings', async (role) => {
    await render(role);
    expect(link()?.getAttribute('href')).toBe('/rooms/abc-defg-hij/recordings');
    expect(link()?.textContent).toBe('Recordings Weekly');
  });

  it('does not offer recordings to members, who cannot list them', async () => {
    await render('member');
    expect(link()).toBeNull();
  });
});
