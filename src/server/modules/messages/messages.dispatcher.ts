import type { FastifyBaseLogger } from 'fastify';
import { BackgroundLoop } from '../../lib/background-loop.ts';
import type { Db, DialectName } from '../../db/database.ts';
import type { EmailTransport, SmsTransport } from './messages.transport.ts';
import * as repo from './messages.repository.ts';

export interface DispatcherOptions {
  db: Db;
  dialect: DialectName;
  email: EmailTransport | null;
  /** null: text messages are only logged and kept in the outbox */
  sms?: SmsTransport | null;
  log: FastifyBaseLogger;
  now(): number;
  pollMs?: number;
  /** attempts before a message is marked failed */
  maxAttempts?: number;
  /** first retry delay; doubles with each attempt (with jitter), at most an hour */
  retryBaseMs?: number;
  /** how long the transports may take for one message (their own timeout); sets the claim's lease */
  timeoutMs?: number;
}

/**
 * Delivers queued messages: email over SMTP and text messages through the SMS provider when
 * configured, otherwise keeps them in the local outbox (status "kept") where the dashboard lists them. Failed sends are retried with exponential
 * backoff. Safe with several instances on PostgreSQL (rows are claimed with SKIP LOCKED). The
 * messages of a batch are sent at once, each bounded by the transports' timeout, so a mail server
 * that hangs holds up neither the text messages nor the next batch for longer than that.
 */
export class MessageDispatcher extends BackgroundLoop {
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  /** how long a claimed message is left to this instance (its batch's sends, with room to record them) */
  private readonly leaseMs: number;

  constructor(private readonly opts: DispatcherOptions) {
    super(opts.log, 'message delivery', opts.pollMs ?? 2000);
    this.maxAttempts = opts.maxAttempts ?? 12;
    this.retryBaseMs = opts.retryBaseMs ?? 2000;
    this.leaseMs = 2 * (opts.timeoutMs ?? 10_000) + 10_000;
  }

  override async stop(): Promise<void> {
    await super.stop();
    this.opts.email?.close();
  }

  /** Delivers everything due now; resolves when the queue has no due message left. */
  protected async pass(): Promise<void> {
    return this.drain();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await repo.claimDue(this.opts.db, this.opts.dialect, this.opts.now(), this.leaseMs, 20);
      if (batch.length === 0) return;
      await Promise.all(batch.map((msg) => this.deliver(msg)));
    }
  }

  private async deliver(msg: repo.MessageRow): Promise<void> {
    const attempts = msg.attempts + 1;
    try {
      if (msg.channel === 'email' && this.opts.email) {
        await this.opts.email.send({
          to: msg.to_address,
          subject: msg.subject ?? '',
          text: msg.body_text,
          html: msg.body_html,
        });
        await repo.markSent(this.opts.db, msg.id, this.opts.now(), 'sent', attempts);
      } else if (msg.channel === 'sms' && this.opts.sms) {
        await this.opts.sms.send({ to: msg.to_address, text: msg.body_text });
        await repo.markSent(this.opts.db, msg.id, this.opts.now(), 'sent', attempts);
      } else {
        if (msg.channel === 'sms') this.opts.log.info({ messageId: msg.id, to: msg.to_address, text: msg.body_text }, 'text message (no SMS provider configured)');
        await repo.markSent(this.opts.db, msg.id, this.opts.now(), 'kept', attempts);
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const delay = Math.min(2 ** (attempts - 1) * this.retryBaseMs, 3600_000) * (0.75 + Math.random() * 0.5);
      const next = attempts >= this.maxAttempts ? null : Math.round(this.opts.now() + delay);
      this.opts.log.warn({ messageId: msg.id, attempts, err: message }, 'message delivery failed');
      await repo.markFailedAttempt(this.opts.db, msg.id, attempts, message, next);
    }
  }
}
