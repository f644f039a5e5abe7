import { describe, expect, it } from 'vitest';
import { decodeReaction, encodeReaction, REACTIONS } from './reactions';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('reactions', () => {
  it('round-trips every emoji of the menu', () => {
    for (const { emoji } of REACTIONS) expect(decodeReaction(encodeReaction(emoji))).toBe(emoji);
  });

  it('sends the documented JSON shape', () => {
    expect(new TextDecoder().decode(encodeReaction('👍'))).toBe('{"emoji":"👍"}');
  });

  it('accepts other emoji, including sequences', () => {
    expect(decodeReaction(bytes('{"emoji":"👋🏽"}'))).toBe('👋🏽');
    expect(decodeReaction(bytes('{"emoji":"🧑‍💻"}'))).toBe('🧑‍💻');
  });

  it.each([
    'not json',
    '[]',
    '{"emoji":1}',
    '{"emoji":""}',
    '{"emoji":"hello"}',
    '{"emoji":"1"}',
    '{"emoji":"👍<script>"}',
  ])('rejects %s', (payload) => {
    expect(decodeReaction(bytes(payload))).toBeNull();
  });
});
