/** The JSON error body of the Parlons API: a stable `code` and a human `message`. */
export interface ApiErrorBody {
  readonly code: string;
  readonly message: string;
}

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Record<string, unknown>).code === 'string' &&
    typeof (value as Record<string, unknown>).message === 'string'
  );
}

/**
 * A non-2xx answer from the API. `body` is the parsed JSON when there was some, else the
 * raw text; `code` and the error message come from `{code, message}` when the server sent it.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  readonly code: string | null;

  constructor(status: number, body: unknown) {
    const known = isApiErrorBody(body) ? body : null;
    super(known?.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.code = known?.code ?? null;
  }
}

/** The network failed before any HTTP answer (offline, server down, CORS). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('Network error', { cause });
    this.name = 'NetworkError';
  }
}
