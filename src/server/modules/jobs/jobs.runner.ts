import type { AppContext } from '../../context.ts';
import { BackgroundLoop } from '../../lib/background-loop.ts';
import type { Principal } from '../auth/principal.ts';
import * as repo from './jobs.repository.ts';

/** What one item of a job came to; stored in order, one per input item. */
export type ItemResult = Record<string, unknown> & { ok: boolean };

/** Processes one item; throws (an AppError) to record it as failed. */
export type ItemHandler = (ctx: AppContext, principal: Principal, item: unknown, index: number) => Promise<ItemResult>;

const handlers = new Map<string, ItemHandler>();
export function registerJobKind(kind: string, handler: ItemHandler) {
  handlers.set(kind, handler);
}

const LEASE_MS = 60_000;
const CHUNK = 25;

/**
 * Runs background jobs item by item, saving progress (and each item's result) every few items,
 * so the status endpoint shows it and a runner that dies resumes where the last save left off
 * (another instance takes the job over when its lease runs out).
 */
export class JobRunner extends BackgroundLoop {
  constructor(
    private readonly ctx: AppContext,
    pollMs = 1000,
  ) {
    super(ctx.log, 'job', pollMs);
  }

  /** Runs every waiting job to the end. */
  protected async pass(): Promise<void> {
    for (;;) {
      const job = await repo.claimJob(this.ctx.db, this.ctx.dialect, this.ctx.now(), LEASE_MS);
      if (!job) return;
      await this.run(job);
    }
  }

  /** Runs every waiting job to the end (tests call this). */
  drain(): Promise<void> {
    return this.flush();
  }

  private async run(job: repo.JobRow) {
    const handler = handlers.get(job.kind);
    const items = JSON.parse(job.input) as unknown[];
    const principal = JSON.parse(job.principal) as Principal;
    const results = JSON.parse(job.results) as ItemResult[];
    let { succeeded, failed } = job;
    for (let i = results.length; i < items.length; i++) {
      let result: ItemResult;
      try {
        if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}.`);
        result = await handler(this.ctx, principal, items[i], i);
      } catch (err) {
        const e = err as { kind?: string; message?: string; cause?: unknown };
        result = { ok: false, error: e.message ?? 'Failed.', cause: e.cause ?? null, kind: e.kind ?? 'internal' };
        if (!e.kind) this.ctx.log.warn({ err, jobId: job.id, index: i }, 'job item failed unexpectedly');
      }
      results.push(result);
      if (result.ok) succeeded++;
      else failed++;
      if (results.length % CHUNK === 0 || results.length === items.length) {
        await repo.updateJob(this.ctx.db, job.id, {
          processed: results.length,
          succeeded,
          failed,
          results: JSON.stringify(results),
          lease_until: this.ctx.now() + LEASE_MS,
        });
      }
    }
    await repo.updateJob(this.ctx.db, job.id, {
      status: failed > 0 ? 'completedWithErrors' : 'completed',
      processed: results.length,
      succeeded,
      failed,
      results: JSON.stringify(results),
      time_finished: this.ctx.now(),
    });
  }
}
