import crypto from 'node:crypto';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { openDbFromConfig, type DbHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { App } from './lib/http.ts';
import { buildSerializer } from './lib/serializer.ts';
import { accountRoutes } from './modules/account/account.routes.ts';
import { adminRoutes } from './modules/admins/admins.routes.ts';
import { apiKeyRoutes } from './modules/api-keys/api-keys.routes.ts';
import { authRoutes } from './modules/auth/auth.routes.ts';
import { clientRoutes } from './modules/clients/clients.routes.ts';
import { dispatchRoutes } from './modules/dispatch/dispatch.routes.ts';
import { driverRoutes } from './modules/driver/driver.routes.ts';
import { EventBus } from './modules/events/events.bus.ts';
import { NominatimGeocoder } from './modules/geocoding/geocoder.ts';
import { GeocodingWorker } from './modules/geocoding/geocoding.worker.ts';
import { eventRoutes } from './modules/events/events.routes.ts';
import { orderRoutes } from './modules/orders/orders.routes.ts';
import { taskRoutes } from './modules/tasks/tasks.routes.ts';
import { appConfigRoutes } from './modules/health/app-config.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { MessageDispatcher } from './modules/messages/messages.dispatcher.ts';
import { messageRoutes } from './modules/messages/messages.routes.ts';
import { createEmailTransport, createSmsTransport } from './modules/messages/messages.transport.ts';
import { createEtaEstimator } from './modules/notifications/eta.ts';
import { LatenessSweeper } from './modules/notifications/notifications.worker.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { trackingRoutes } from './modules/tracking/tracking.routes.ts';
import { TrackingCache } from './modules/tracking/tracking.cache.ts';
import { WebhookDispatcher } from './modules/webhooks/webhooks.dispatcher.ts';
import { JobRunner } from './modules/jobs/jobs.runner.ts';
import { bulkRoutes } from './modules/bulk/bulk.routes.ts';
import { webhookRoutes } from './modules/webhooks/webhooks.routes.ts';
import { organizationRoutes } from './modules/organization/organization.routes.ts';
import { teamRoutes } from './modules/teams/teams.routes.ts';
import { uploadRoutes } from './modules/uploads/uploads.routes.ts';
import { workerRoutes } from './modules/workers/workers.routes.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerRateLimits } from './plugins/rate-limit.ts';
import { registerIdempotency } from './plugins/idempotency.ts';
import { registerJsonBodies } from './plugins/json-body.ts';
import { RedisRateLimiter } from './plugins/rate-limit.redis.ts';
import { MemoryRateLimiter } from './plugins/rate-limit.store.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { registerWeb } from './plugins/web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    geocoding: GeocodingWorker | null;
  }
}

export interface BuildOptions {
  /** an already-open database (tests pass one per dialect); otherwise opened from config */
  db?: DbHandle;
  /** run migrations before serving (default true) */
  migrate?: boolean;
  /** start background delivery loops (default true) */
  background?: boolean;
  logger?: boolean;
  now?: () => number;
}

/** Builds the application: plugins, modules, background workers. Never listens. */
export async function buildApp(config: Readonly<Config>, opts: BuildOptions = {}): Promise<App & FastifyInstance> {
  const handle = opts.db ?? openDbFromConfig(config);
  if (opts.migrate !== false) await migrateToLatest(handle.db);

  const app = Fastify({
    logger: opts.logger === false ? false : { level: config.logLevel },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    forceCloseConnections: true,
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { allErrors: true, removeAdditional: true, coerceTypes: 'array', useDefaults: true } },
    schemaController: { compilersFactory: { buildSerializer: buildSerializer() as never } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const now = opts.now ?? Date.now;
  const ctx: AppContext = {
    config,
    db: handle.db,
    dialect: handle.dialect,
    log: app.log,
    now,
    limiter: config.redisUrl
      ? new RedisRateLimiter(config.redisUrl, (err) => app.log.warn({ err }, 'rate-limit store unavailable'))
      : new MemoryRateLimiter(),
    messages: new MessageDispatcher({
      db: handle.db,
      dialect: handle.dialect,
      email: createEmailTransport(config),
      sms: createSmsTransport(config),
      log: app.log,
      now,
      retryBaseMs: config.messageRetryBaseMs,
      timeoutMs: config.messageTimeoutMs,
    }),
    eta: createEtaEstimator(config.eta),
    trackingCache: new TrackingCache(),
    webhooks: new WebhookDispatcher({ db: handle.db, dialect: handle.dialect, config, log: app.log, now }),
    jobs: null as unknown as JobRunner,
  };
  ctx.jobs = new JobRunner(ctx);
  app.decorate('ctx', ctx);
  const geocoding = config.geocoderUrl ? new GeocodingWorker(ctx, new NominatimGeocoder(config.geocoderUrl)) : null;
  app.decorate('geocoding', geocoding);
  const lateness = new LatenessSweeper(ctx);

  registerErrorHandling(app);
  registerJsonBodies(app);
  registerSecurityHeaders(app, config);
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: 10 * 1024 * 1024, files: 1, fields: 10 } });
  await registerOpenApi(app, ctx);
  registerAuth(app, ctx);
  registerRateLimits(app, ctx);
  registerIdempotency(app, ctx);

  await healthRoutes(app, ctx);
  await appConfigRoutes(app, ctx);
  await authRoutes(app, ctx);
  await organizationRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await apiKeyRoutes(app, ctx);
  await teamRoutes(app, ctx);
  await workerRoutes(app, ctx);
  await clientRoutes(app, ctx);
  await taskRoutes(app, ctx);
  await orderRoutes(app, ctx);
  await dispatchRoutes(app, ctx);
  await driverRoutes(app, ctx);
  const bus = new EventBus(handle.db, handle.dialect, app.log, now, 250, handle.listen);
  ctx.trackingCache.attach(bus);
  await eventRoutes(app, ctx, bus);
  await accountRoutes(app, ctx);
  await messageRoutes(app, ctx);
  await notificationRoutes(app, ctx);
  await trackingRoutes(app, ctx);
  await webhookRoutes(app, ctx);
  await bulkRoutes(app, ctx);
  await uploadRoutes(app, ctx);
  await registerWeb(app, ctx);

  app.addHook('onReady', async () => {
    if (opts.background !== false) {
      ctx.messages.start();
      geocoding?.start();
      lateness.start();
      ctx.webhooks.start();
      ctx.jobs.start();
    }
    await bus.start();
  });
  // Deliver live updates right after a local request's transaction commits.
  app.addHook('onResponse', (req, _reply, done) => {
    if (req.method !== 'GET') {
      if (bus.size > 0) void bus.poll();
      // Messages queued by the request (e.g. recipient notifications) go out without waiting for the next poll.
      ctx.messages.kick();
      ctx.webhooks.kick();
    }
    done();
  });
  app.addHook('onClose', async () => {
    ctx.trackingCache.stop();
    await bus.stop();
    await geocoding?.stop();
    lateness.stop();
    await ctx.webhooks.stop();
    await ctx.jobs.stop();
    await ctx.messages.stop();
    await ctx.limiter.close();
    if (!opts.db) await handle.destroy();
  });
  return app;
}
