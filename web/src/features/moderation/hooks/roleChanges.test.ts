import { describe, expect, it } from 'vitest';
import { roleChanges } from './roleChanges';

describe('roleChanges', () => {
  it.each([
    ['owner', 'member', ['admin']],
    ['owner', 'user', ['admin', 'member']],
    ['owner', 'admin', ['member']],
    ['owner', 'guest', []],
    ['owner', null, []],
    ['admin', 'user', ['member']],
    ['admin', 'member', []],
    ['admin', 'admin', []],
    ['admin', 'owner', []],
    ['member', 'user', []],
  ] as const)('%s on %s → %j', (me, them, changes) => {
    expect(roleChanges(me, them)).toEqual(changes);
  });
});
