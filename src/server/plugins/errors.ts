import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, errorBody, type ErrorKind } from '../lib/errors.ts';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

function fieldOf(v: ValidationIssue): string {
  const base = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = v.params?.missingProperty as string | undefined;
  const extra = v.params?.additionalProperty as string | undefined;
  const leaf = missing ?? extra;
  return [base, leaf].filter(Boolean).join('.') || '(body)';
}

function describe(v: ValidationIssue, context: string): string {
  const field = fieldOf(v);
  if (v.keyword === 'required') return `${field} is required`;
  if (v.keyword === 'additionalProperties') return `${field} is not a known field`;
  if (v.keyword === 'maxLength') return `${field} must be at most ${v.params?.limit} characters`;
  if (v.keyword === 'minLength') return v.params?.limit === 1 ? `${field} must not be empty` : `${field} must be at least ${v.params?.limit} characters`;
  if (v.keyword === 'pattern' && v.params?.pattern === '\\S') return `${field} must not be blank`;
  if (v.keyword === 'format') return `${field} must be a valid ${v.params?.format}`;
  if (v.keyword === 'enum') return `${field} must be one of ${(v.params?.allowedValues as unknown[] | undefined)?.join(', ')}`;
  return `${field === '(body)' ? context : field} ${v.message ?? 'is invalid'}`;
}

function isDbUnavailable(err: { code?: string; message?: string }): boolean {
  const code = err.code ?? '';
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', '57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '53300', 'SQLITE_BUSY'].includes(code) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(err.message ?? '')
  );
}

/** One error format for every failure; 5xx never reveal internals. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }, req, reply) => {
    let kind: ErrorKind;
    let message: string;
    let cause: unknown = null;
    if (err instanceof AppError) {
      kind = err.kind;
      message = err.message;
      cause = err.cause;
      if (err.headers) reply.headers(err.headers);
    } else if (err.validation) {
      kind = 'invalid';
      const ctx = err.validationContext ?? 'body';
      const seen = new Set<string>();
      // One problem per field is enough for a person to act on.
      const issues = err.validation
        .map((v) => ({ field: fieldOf(v), problem: describe(v, ctx) }))
        .filter((i) => (seen.has(i.field) ? false : (seen.add(i.field), true)));
      message = `Invalid ${ctx}: ${issues.map((i) => i.problem).join('; ')}.`;
      cause = { in: ctx, fields: issues };
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      kind = 'tooLarge';
      message = 'The request body is too large.';
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
      kind = 'unsupportedMedia';
      message = `Unsupported content type "${req.headers['content-type'] ?? ''}". Send application/json.`;
    } else if (err.statusCode === 429) {
      kind = 'tooManyRequests';
      message = err.message;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Malformed JSON, empty JSON body, bad multipart and similar parser errors.
      kind = err.statusCode === 404 ? 'notFound' : 'invalid';
      message = err.message;
    } else if (isDbUnavailable(err)) {
      kind = 'unavailable';
      message = 'The service is temporarily unavailable. Retry in a moment.';
      reply.header('Retry-After', '5');
      req.log.error({ err }, 'database unavailable');
    } else {
      kind = 'internal';
      message = 'Something went wrong on our side. The error has been logged.';
      req.log.error({ err }, 'unhandled error');
    }
    const body = errorBody(kind, message, cause, req.id);
    reply.status(err instanceof AppError ? err.status : statusFor(kind)).send(body);
  });
}

function statusFor(kind: ErrorKind): number {
  return new AppError(kind, '').status;
}
