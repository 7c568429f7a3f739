/**
 * The one error format: {"code", "message": {"error", "message", "cause", "request"}}.
 * Names and numbers follow Onfleet's. This table is the single source of truth; the OpenAPI
 * document and docs/errors.md are generated from it.
 */
export const ERRORS = {
  invalid: { code: 'InvalidContent', error: 1000, status: 400, meaning: 'Invalid parameters (the cause names the field)' },
  unsupportedMedia: { code: 'InvalidContent', error: 1001, status: 415, meaning: 'Unsupported content type' },
  notFound: { code: 'InvalidContent', error: 1003, status: 404, meaning: 'Target not found' },
  notUnique: { code: 'InvalidContent', error: 1004, status: 409, meaning: 'Not unique (e.g. an email already in use)' },
  stateConflict: { code: 'InvalidContent', error: 1005, status: 409, meaning: 'Refused in the current state' },
  gone: { code: 'InvalidContent', error: 1006, status: 410, meaning: 'Link used, expired or voided' },
  webhookValidation: { code: 'InvalidContent', error: 1008, status: 400, meaning: 'Webhook URL failed validation' },
  timeWindow: { code: 'InvalidContent', error: 1009, status: 400, meaning: 'Invalid time window' },
  phone: { code: 'InvalidContent', error: 1010, status: 400, meaning: 'Invalid phone number' },
  geocoding: { code: 'InvalidContent', error: 1011, status: 400, meaning: 'Address could not be geocoded' },
  tooLarge: { code: 'InvalidContent', error: 1012, status: 413, meaning: 'Request body too large' },
  unauthenticated: { code: 'InvalidCredentials', error: 1100, status: 401, meaning: 'Missing or invalid credentials' },
  accountRemoved: { code: 'InvalidCredentials', error: 1101, status: 401, meaning: 'Account removed or deactivated' },
  forbidden: { code: 'Forbidden', error: 1103, status: 403, meaning: 'Not allowed for this caller' },
  readOnly: { code: 'Forbidden', error: 1104, status: 403, meaning: 'Read-only account' },
  originRejected: { code: 'Forbidden', error: 1105, status: 403, meaning: 'Cross-origin request refused' },
  tooManyRequests: { code: 'TooManyRequests', error: 2300, status: 429, meaning: 'Rate limit exceeded' },
  internal: { code: 'ServiceError', error: 2500, status: 500, meaning: 'Internal error (details are logged, never returned)' },
  unavailable: { code: 'ServiceError', error: 2501, status: 503, meaning: 'Service temporarily unavailable (e.g. database unreachable)' },
} as const;

export type ErrorKind = keyof typeof ERRORS;

export class AppError extends Error {
  readonly kind: ErrorKind;
  override readonly cause: unknown;
  readonly headers?: Record<string, string>;
  constructor(kind: ErrorKind, message: string, cause: unknown = null, headers?: Record<string, string>) {
    super(message);
    this.kind = kind;
    this.cause = cause;
    this.headers = headers;
  }
  get status(): number {
    return ERRORS[this.kind].status;
  }
}

export const invalid = (message: string, cause: unknown = null) => new AppError('invalid', message, cause);
export const notFound = (what: string, id?: string) =>
  new AppError('notFound', id ? `${what} ${id} was not found.` : `${what} was not found.`, id ?? null);
export const notUnique = (message: string, cause: unknown = null) => new AppError('notUnique', message, cause);
export const stateConflict = (message: string, cause: unknown = null) => new AppError('stateConflict', message, cause);
export const gone = (message: string, cause: unknown = null) => new AppError('gone', message, cause);
export const unauthenticated = (message = 'Sign in or send a valid API key.') => new AppError('unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', message);

export interface ErrorBody {
  code: string;
  message: { error: number; message: string; cause: unknown; request: string };
}

export function errorBody(kind: ErrorKind, message: string, cause: unknown, requestId: string): ErrorBody {
  const e = ERRORS[kind];
  return { code: e.code, message: { error: e.error, message, cause: cause ?? null, request: requestId } };
}
