import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';

function tileOrigin(url: string): string {
  try {
    return new URL(url.replace(/\{[a-z]\}/g, '0')).origin;
  } catch {
    return '';
  }
}

/**
 * Conservative security headers for every response. Pages get a policy for the web app; API answers
 * (JSON, never rendered as a document) get the strictest one, which is also the shortest.
 */
export function registerSecurityHeaders(app: FastifyInstance, config: Readonly<Config>) {
  const tiles = tileOrigin(config.mapTiles.url);
  const pagePolicy = `default-src 'self'; img-src 'self' data: blob: https: ${tiles}; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`;
  const apiPolicy = "default-src 'none'; frame-ancestors 'none'";
  // Behind HTTPS, browsers are told to come back only over HTTPS (a year; renewed by every answer).
  const https = config.publicUrl.startsWith('https://');
  app.addHook('onSend', (req, reply, payload, done) => {
    if (https) reply.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('X-Frame-Options', 'DENY');
    if (!reply.hasHeader('Content-Security-Policy')) {
      if (req.url.startsWith('/api/docs')) {
        // the API reference page brings its own scripts and styles
      } else if (req.url.startsWith('/api/')) reply.header('Content-Security-Policy', apiPolicy);
      else reply.header('Content-Security-Policy', pagePolicy);
    }
    done(null, payload);
  });
}
