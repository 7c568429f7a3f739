import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { AppError } from '../lib/errors.ts';
import { resolveApiKey } from '../modules/api-keys/api-keys.service.ts';
import { resolveSession } from '../modules/auth/auth.service.ts';
import type { Principal } from '../modules/auth/principal.ts';

export const SESSION_COOKIE = 'baton_session';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** the session token when the caller authenticated with the cookie */
    cookieSession: string | null;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function parseAuthorization(header: string | undefined): { type: 'key' | 'bearer'; value: string } | null {
  if (!header) return null;
  const [scheme, value] = header.split(/\s+/, 2);
  if (!value) return null;
  if (/^basic$/i.test(scheme)) {
    let decoded: string;
    try {
      decoded = Buffer.from(value, 'base64').toString('utf8');
    } catch {
      return null;
    }
    // Both `KEY` and `KEY:` (an empty password) are seen in the wild.
    const key = decoded.endsWith(':') ? decoded.slice(0, -1) : decoded.split(':')[0];
    return key ? { type: 'key', value: key } : null;
  }
  if (/^bearer$/i.test(scheme)) return { type: 'bearer', value };
  return null;
}

export function sessionCookieOptions(ctx: AppContext, expiresAt?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.publicUrl.startsWith('https://'),
    ...(expiresAt ? { expires: new Date(expiresAt) } : {}),
  };
}

/**
 * Resolves the caller from an API key (Basic), a Bearer token (API key or driver session token)
 * or the session cookie, and enforces the origin check for state-changing cookie requests.
 */
export function registerAuth(app: FastifyInstance, ctx: AppContext) {
  const publicOrigin = new URL(ctx.config.publicUrl).origin;
  app.decorateRequest('principal', null);
  app.decorateRequest('cookieSession', null);

  // Synchronous for callers without credentials (public pages, the web app's files); a lookup otherwise.
  app.addHook('onRequest', (req: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/files/')) return done();
    if (req.headers.authorization === undefined && req.headers.cookie === undefined && SAFE.has(req.method)) return done();
    identify(req, reply).then(() => done(), done);
  });

  async function identify(req: FastifyRequest, reply: FastifyReply) {
    const origin = req.headers.origin ?? refererOrigin(req.headers.referer);
    if (!SAFE.has(req.method) && origin && origin !== publicOrigin) {
      throw new AppError('originRejected', `Requests from ${origin} are not accepted; use ${publicOrigin}.`);
    }
    const auth = parseAuthorization(req.headers.authorization);
    if (auth) {
      req.principal = (await resolveApiKey(ctx, auth.value)) ?? (auth.type === 'bearer' ? await resolveSession(ctx, auth.value) : null);
      if (!req.principal) throw new AppError('unauthenticated', 'The API key or token is not valid (it may have been revoked).');
      return;
    }
    const token = req.cookies?.[SESSION_COOKIE];
    if (token) {
      const p = await resolveSession(ctx, token);
      if (!p) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      if (!SAFE.has(req.method) && !origin) {
        throw new AppError('originRejected', 'State-changing requests signed in with a cookie must send an Origin header.');
      }
      req.principal = p;
      req.cookieSession = token;
    }
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
