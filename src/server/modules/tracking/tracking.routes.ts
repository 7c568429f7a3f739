import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors } from '../../lib/schemas.ts';
import { FeedbackBody, ProofParams, ShortIdParams, Tracking, TrackingPageSettings, UpdateTrackingPageBody } from './tracking.schemas.ts';
import * as service from './tracking.service.ts';
import { fileHeaders } from '../uploads/uploads.service.ts';

export async function trackingRoutes(app: App, ctx: AppContext) {
  const { enabled, trackingMax, trackingMissesMax, windowMs } = ctx.config.rateLimits;
  /**
   * The public pages are limited per address (they carry no key): every request counts against
   * `trackingMax`, and links that lead nowhere (404) also against the much smaller
   * `trackingMissesMax`, so guessing short ids is slow while a recipient's page polls freely.
   */
  const perAddress = (req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) => {
    if (!enabled) return done();
    countAddress(req).then(() => done(), done);
  };
  const tooMany = (what: string, resetAt: number, now: number) => {
    const retry = Math.max(1, Math.ceil((resetAt - now) / 1000));
    return new AppError('tooManyRequests', `${what} Retry in ${retry} s.`, null, { 'Retry-After': String(retry) });
  };
  const countAddress = async (req: FastifyRequest) => {
    const now = ctx.now();
    const hit = await ctx.limiter.hit(`track:${req.ip}`, windowMs, now);
    if (hit.count > trackingMax) throw tooMany('Too many requests from your address.', hit.resetAt, now);
    const misses = await ctx.limiter.peek(`trackmiss:${req.ip}`, now);
    if (misses && misses.count >= trackingMissesMax) throw tooMany('Too many tracking links that lead nowhere from your address.', misses.resetAt, now);
  };
  const countMiss = async (req: FastifyRequest, _reply: FastifyReply, err: Error) => {
    if (enabled && err instanceof AppError && err.kind === 'notFound') await ctx.limiter.hit(`trackmiss:${req.ip}`, windowMs, ctx.now());
  };

  const tags = ['Tracking page'];
  app.get(
    '/api/v2/trackingPage',
    {
      schema: {
        tags,
        summary: 'Your tracking page branding (a client that set none sees its courier’s, marked inherited)',
        response: { 200: TrackingPageSettings, ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.getSettings(ctx, req.principal),
  );
  app.put(
    '/api/v2/trackingPage',
    { schema: { tags, summary: 'Change your tracking page branding', body: UpdateTrackingPageBody, response: { 200: TrackingPageSettings, ...errors(...AUTH_ERRORS) } } },
    (req) => service.updateSettings(ctx, req.principal, req.body),
  );
  app.delete(
    '/api/v2/trackingPage',
    { schema: { tags, summary: 'Go back to the default page (a client: its courier’s)', response: { 200: Empty, ...errors(...AUTH_ERRORS) } } },
    async (req, reply) => {
      await service.resetSettings(ctx, req.principal);
      return sendEmpty(reply);
    },
  );

  app.get(
    '/api/v2/tracking/:shortId',
    {
      preHandler: perAddress,
      onError: countMiss,
      schema: {
        tags,
        summary: 'What a recipient’s tracking page shows (public; nothing else about the task or other tasks)',
        security: [],
        params: ShortIdParams,
        response: { 200: Tracking, ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const json = await service.trackingData(ctx, req.params.shortId, (view) => reply.serialize(view) as string);
      // Already serialized with this route's response schema: sent as it is.
      reply.header('Cache-Control', 'no-store').type('application/json; charset=utf-8');
      return reply.send(json as never);
    },
  );
  app.post(
    '/api/v2/tracking/:shortId/feedback',
    {
      preHandler: perAddress,
      onError: countMiss,
      schema: {
        tags,
        summary: 'The recipient rates the delivery (once per task)',
        security: [],
        params: ShortIdParams,
        body: FeedbackBody,
        response: { 200: Type.Object({ ok: Type.Literal(true) }), ...errors(400, 403, 404, 409, 429) },
      },
    },
    (req) => service.giveFeedback(ctx, req.params.shortId, req.body),
  );
  app.get(
    '/api/v2/tracking/:shortId/:which',
    {
      preHandler: perAddress,
      onError: countMiss,
      schema: {
        tags,
        summary: 'The delivery’s photo or signature, when its merchant shows proof of delivery',
        security: [],
        params: ProofParams,
        response: { ...errors(400, 404, 429) },
      },
    },
    async (req, reply) => {
      const f = await service.trackingProof(ctx, req.params.shortId, req.params.which);
      reply.headers(fileHeaders(f)).header('Cache-Control', 'private, max-age=300');
      return reply.send(f.data);
    },
  );
}
