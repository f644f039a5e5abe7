import { ApiError, NetworkError } from './ApiError';

/**
 * What to tell the user about a failed call: the server's human `message` for an API error,
 * `networkMessage` (translated by the caller) when no answer came.
 */
export function errorText(error: unknown, networkMessage: string): string {
  if (error instanceof NetworkError) return networkMessage;
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** The stable `code` of an API error (`room_not_found`, `rate_limited`…), or null. */
export function errorCode(error: unknown): string | null {
  return error instanceof ApiError ? error.code : null;
}
