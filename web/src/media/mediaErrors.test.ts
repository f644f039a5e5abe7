import { describe, expect, it } from 'vitest';
import { classifyMediaError } from './mediaErrors';

const named = (name: string) => new DOMException('x', name);

describe('classifyMediaError', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'notFound'],
    ['OverconstrainedError', 'notFound'],
    ['NotReadableError', 'inUse'],
    ['TrackStartError', 'inUse'],
    ['TypeError', 'other'],
  ])('%s → %s', (name, problem) => {
    expect(classifyMediaError(named(name))).toBe(problem);
  });

  it('handles things that are not errors', () => {
    expect(classifyMediaError('boom')).toBe('other');
    expect(classifyMediaError(undefined)).toBe('other');
  });
});
