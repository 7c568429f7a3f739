import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { AppError } from '../lib/errors.ts';

/** Per-API-key fixed window with X-RateLimit-* headers; 429 (error 2300) with Retry-After when exceeded. */
export function registerRateLimits(app: FastifyInstance, ctx: AppContext) {
  const { enabled, apiKeyMax, windowMs } = ctx.config.rateLimits;
  if (!enabled) return;
  app.addHook('onRequest', async (req, reply) => {
    const p = req.principal;
    if (!p || p.kind !== 'user' || !p.apiKeyId) return;
    const now = ctx.now();
    const hit = await ctx.limiter.hit(`key:${p.apiKeyId}`, windowMs, now);
    const resetSeconds = Math.max(0, Math.ceil((hit.resetAt - now) / 1000));
    reply.header('X-RateLimit-Limit', String(apiKeyMax));
    reply.header('X-RateLimit-Remaining', String(Math.max(0, apiKeyMax - hit.count)));
    reply.header('X-RateLimit-Reset', String(Math.ceil(hit.resetAt / 1000)));
    if (hit.count > apiKeyMax) {
      throw new AppError(
        'tooManyRequests',
        `Rate limit of ${apiKeyMax} requests per ${windowMs / 1000} s exceeded for this API key. Retry in ${resetSeconds} s.`,
        null,
        { 'Retry-After': String(Math.max(1, resetSeconds)) },
      );
    }
  });
}
