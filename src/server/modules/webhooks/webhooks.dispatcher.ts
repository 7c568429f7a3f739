import crypto from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import type { Db, DialectName } from '../../db/database.ts';
import { BackgroundLoop } from '../../lib/background-loop.ts';
import { newId } from '../../lib/ids.ts';
import { requestTarget } from './webhook-targets.ts';
import * as repo from './webhooks.repository.ts';

export interface WebhookDispatcherOptions {
  db: Db;
  dialect: DialectName;
  config: Readonly<Config>;
  log: FastifyBaseLogger;
  now(): number;
  pollMs?: number;
}

/** The hex HMAC-SHA512 of the raw body, keyed with the hex-decoded organization secret (Onfleet's X-Onfleet-Signature). */
export function signature(body: string, secretHex: string): string {
  return crypto.createHmac('sha512', Buffer.from(secretHex, 'hex')).update(body).digest('hex');
}

/**
 * Delivers webhook events at least once: claims due deliveries (SKIP LOCKED on PostgreSQL, so
 * several instances share the work without sending one twice), POSTs them signed, logs every
 * attempt, and retries failures with exponential backoff and jitter until the retry window (at
 * least 24 hours by default) has passed — then the delivery is marked failed and the webhook is
 * turned off with the reason, for its owner to see and turn back on.
 */
export class WebhookDispatcher extends BackgroundLoop {
  constructor(private readonly opts: WebhookDispatcherOptions) {
    super(opts.log, 'webhook delivery', opts.pollMs ?? 1000);
  }

  /** Delivers everything due now. */
  protected async pass(): Promise<void> {
    return this.drain();
  }

  /**
   * How long a claimed delivery is left to the instance that claimed it: its batch is sent at once,
   * each request bounded by the timeout, so this covers it with room to record the outcome. When the
   * instance dies meanwhile (a crash, a kill), the delivery is sent again once this has passed, so a
   * restart does not hold it back for longer.
   */
  private get leaseMs(): number {
    return 2 * this.opts.config.webhooks.timeoutMs + 10_000;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await repo.claimDue(this.opts.db, this.opts.dialect, this.opts.now(), this.leaseMs, 20);
      if (batch.length === 0) return;
      await Promise.all(batch.map((d) => this.deliver(d)));
    }
  }

  private async deliver(d: repo.DeliveryRow & { url: string }): Promise<void> {
    const { config, db } = this.opts;
    const attempt = d.attempts + 1;
    const started = Date.now();
    let statusCode: number | null = null;
    let responseExcerpt: string | null = null;
    let error: string | null = null;
    try {
      const org = await db.selectFrom('organizations').select('webhook_secret').where('id', '=', d.organization_id).executeTakeFirst();
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Baton-Webhooks/1' };
      if (org?.webhook_secret) headers['x-onfleet-signature'] = signature(d.body, org.webhook_secret);
      // The target is checked on the address each connection resolves to (not only when it was saved).
      const res = await requestTarget(d.url, {
        method: 'POST',
        headers,
        body: d.body,
        timeoutMs: config.webhooks.timeoutMs,
        policy: { allowPrivate: config.allowPrivateWebhookTargets, publicUrl: config.publicUrl },
      });
      statusCode = res.status;
      responseExcerpt = res.text ? res.text.slice(0, 500) : null;
      if (res.status < 200 || res.status >= 300) error = `The receiver answered ${res.status}.`;
    } catch (err) {
      error = err instanceof Error ? err.message || String((err as { code?: string }).code ?? err) : String(err);
    }
    const now = this.opts.now();
    await repo.recordAttempt(db, { id: newId(), deliveryId: d.id, attempt, time: now, statusCode, latencyMs: Date.now() - started, responseExcerpt, error });
    if (!error) {
      await repo.updateDelivery(db, d.id, { status: 'delivered', attempts: attempt, time_delivered: now, last_status_code: statusCode, last_error: null });
      return;
    }
    if (now - d.window_started_at >= config.webhooks.retryWindowMs) {
      await repo.updateDelivery(db, d.id, { status: 'failed', attempts: attempt, last_status_code: statusCode, last_error: error });
      const hours = Math.round(config.webhooks.retryWindowMs / 3_600_000);
      const reason = `Turned off after deliveries kept failing for ${hours >= 1 ? `${hours} h` : `${Math.round(config.webhooks.retryWindowMs / 1000)} s`}. Last attempt: ${error}`;
      await db.updateTable('webhooks').set({ enabled: 0, disabled_reason: reason, time_last_modified: now }).where('id', '=', d.webhook_id).where('enabled', '=', 1).execute();
      this.opts.log.warn({ webhookId: d.webhook_id, deliveryId: d.id }, 'webhook turned off after its retry window');
      return;
    }
    const delay = Math.min(config.webhooks.retryBaseMs * 2 ** (attempt - 1), 3_600_000) * (0.5 + Math.random());
    await repo.updateDelivery(db, d.id, { attempts: attempt, next_attempt_at: Math.round(now + delay), last_status_code: statusCode, last_error: error });
  }
}
