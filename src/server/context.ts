import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import type { Db, DialectName } from './db/database.ts';
import type { MessageDispatcher } from './modules/messages/messages.dispatcher.ts';
import type { EtaEstimator } from './modules/notifications/eta.ts';
import type { WebhookDispatcher } from './modules/webhooks/webhooks.dispatcher.ts';
import type { JobRunner } from './modules/jobs/jobs.runner.ts';
import type { RateLimiter } from './plugins/rate-limit.store.ts';
import type { TrackingCache } from './modules/tracking/tracking.cache.ts';

/** What services need from the outside world, built once by buildApp and passed explicitly. */
export interface AppContext {
  config: Readonly<Config>;
  db: Db;
  dialect: DialectName;
  log: FastifyBaseLogger;
  messages: MessageDispatcher;
  webhooks: WebhookDispatcher;
  /** background jobs: async task batches, CSV imports */
  jobs: JobRunner;
  limiter: RateLimiter;
  /** travel-time estimates for ETAs (straight line, or a routing service when configured) */
  eta: EtaEstimator;
  /** the public tracking data as last sent, per short id (ended by task changes) */
  trackingCache: TrackingCache;
  now(): number;
}
