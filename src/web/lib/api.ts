/**
 * The one way the web app talks to the Baton server. Every failure becomes an ApiError that
 * carries the server's error body: {"code", "message": {"error", "message", "cause", "request"}}.
 */

export interface FieldProblem {
  /** the field's path as the server names it, e.g. "email" or "vehicle.licensePlate" */
  field: string;
  problem: string;
}

interface ErrorBody {
  code?: unknown;
  message?: { error?: unknown; message?: unknown; cause?: unknown; request?: unknown };
}

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached */
  readonly status: number;
  /** e.g. "InvalidContent", "InvalidCredentials" */
  readonly code: string;
  /** the numeric error, e.g. 1000 for invalid parameters */
  readonly error: number;
  override readonly cause: unknown;
  readonly requestId: string | null;

  constructor(init: { status: number; code: string; error: number; message: string; cause?: unknown; requestId?: string | null }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.error = init.error;
    this.cause = init.cause ?? null;
    this.requestId = init.requestId ?? null;
  }

  /**
   * The fields the server found a problem with. Validation errors list them in cause.fields;
   * other errors may name a single field in cause.field, with the message as the problem.
   */
  get fieldProblems(): FieldProblem[] {
    const cause = this.cause;
    if (!cause || typeof cause !== 'object') return [];
    const c = cause as { fields?: unknown; field?: unknown };
    if (Array.isArray(c.fields)) {
      return c.fields.flatMap((f: unknown) => {
        const item = f as { field?: unknown; problem?: unknown };
        return typeof item?.field === 'string' && typeof item.problem === 'string' ? [{ field: item.field, problem: item.problem }] : [];
      });
    }
    if (typeof c.field === 'string') return [{ field: c.field, problem: this.message }];
    return [];
  }
}

export function isApiError(error: unknown, status?: number): error is ApiError {
  return error instanceof ApiError && (status === undefined || error.status === status);
}

/** A message fit to show a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}

export interface RequestOptions {
  /** sent as JSON, or as multipart/form-data when it is FormData */
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
}

async function parseBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function toApiError(status: number, statusText: string, body: unknown): ApiError {
  const b = (body && typeof body === 'object' ? body : {}) as ErrorBody;
  const m = b.message && typeof b.message === 'object' ? b.message : undefined;
  return new ApiError({
    status,
    code: typeof b.code === 'string' ? b.code : 'HttpError',
    error: typeof m?.error === 'number' ? m.error : status,
    message:
      typeof m?.message === 'string' && m.message
        ? m.message
        : `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`,
    cause: m?.cause ?? null,
    requestId: typeof m?.request === 'string' ? m.request : null,
  });
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let url = path;
  if (options.query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query)) {
      if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
    }
    const qs = params.toString();
    if (qs) url += `${url.includes('?') ? '&' : '?'}${qs}`;
  }
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError({
      status: 0,
      code: 'NetworkError',
      error: 0,
      message: 'The Baton server could not be reached. Check your connection and try again.',
    });
  }
  const data = await parseBody(res);
  if (!res.ok) throw toApiError(res.status, res.statusText, data);
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) => request<T>('PUT', path, { ...options, body }),
  delete: <T = void>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('DELETE', path, options),
};

/** Joins path segments, encoding each id. */
export const apiPath = (base: string, ...ids: string[]) => [base, ...ids.map(encodeURIComponent)].join('/');
