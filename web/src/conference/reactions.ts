/** The data-packet topic of emoji reactions (lossy: a lost reaction is not worth a resend). */
export const REACTION_TOPIC = 'parlons.reaction';

/** Emoji offered in the reactions menu, with the catalogue key of their accessible name. */
export const REACTIONS = [
  { emoji: '👍', label: 'reaction.thumbsUp' },
  { emoji: '👏', label: 'reaction.clap' },
  { emoji: '😂', label: 'reaction.laugh' },
  { emoji: '❤️', label: 'reaction.heart' },
  { emoji: '🎉', label: 'reaction.party' },
  { emoji: '😮', label: 'reaction.surprised' },
] as const;

/** How long a reaction floats on screen. */
export const REACTION_LIFETIME_MS = 4000;

/** At most this many reactions on screen; older ones go first. */
export const MAX_VISIBLE_REACTIONS = 20;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeReaction(emoji: string): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify({ emoji }));
}

/**
 * Reads `{"emoji": "…"}` sent by any client. Accepts a short string made of emoji (so other
 * clients may offer more than our menu), rejects text and anything malformed.
 */
export function decodeReaction(payload: Uint8Array): string | null {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(payload));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const emoji = (value as Record<string, unknown>).emoji;
  if (typeof emoji !== 'string' || emoji.length === 0 || emoji.length > 16) return null;
  return /^(?:\p{Extended_Pictographic}|\p{Emoji_Component}|\u200d|\ufe0f)+$/u.test(emoji) &&
    /\p{Extended_Pictographic}/u.test(emoji)
    ? emoji
    : null;
}
