import type { FastifyInstance } from 'fastify';
import { AppError } from '../lib/errors.ts';

/**
 * JSON bodies, with one allowance: an empty body sent with `Content-Type: application/json` counts as
 * no body. Onfleet's SDKs send that header on every call, including DELETE and body-less POSTs such as
 * clone — Onfleet accepts them, so Baton must too.
 */
export function registerJsonBodies(app: FastifyInstance) {
  // The API reads JSON (and multipart for uploads); plain text is refused with 415, not parsed as a
  // string that then fails the body's schema with a puzzling message.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(new AppError('invalid', `The body is not valid JSON: ${err instanceof Error ? err.message : 'parse error'}.`, { in: 'body' }), undefined);
    }
  });
}
