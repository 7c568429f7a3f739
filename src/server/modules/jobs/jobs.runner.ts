import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { BackgroundLoop } from '../../lib/background-loop.ts';
import type { Principal } from '../auth/principal.ts';
import * as repo from './jobs.repository.ts';

/** What one item of a job came to; stored in order, one per input item. */
export type ItemResult = Record<string, unknown> & { ok: boolean };

/** The job an item belongs to, for handlers that run long: what they report shows in the job's progress. */
export interface JobHandle {
  id: string;
  organizationId: string;
  /** Saves `progress` as the job's progress (and extends the runner's lease on it). */
  report(progress: unknown): Promise<void>;
  /** Aborted when the runner stops (the server shuts down): stop soon; the job is left for a later run. */
  signal: AbortSignal;
}

/** Processes one item; throws (an AppError) to record it as failed. */
export type ItemHandler = (ctx: AppContext, principal: Principal, item: unknown, index: number, job: JobHandle) => Promise<ItemResult>;

/** Runs in the transaction that marks a job finished (e.g. to record the event announcing it). */
export type FinishHook = (db: Db, ctx: AppContext, job: repo.JobRow, results: ItemResult[], principal: Principal) => Promise<void>;

const handlers = new Map<string, ItemHandler>();
const finishers = new Map<string, FinishHook>();
export function registerJobKind(kind: string, handler: ItemHandler, onFinished?: FinishHook) {
  handlers.set(kind, handler);
  if (onFinished) finishers.set(kind, onFinished);
}

const LEASE_MS = 60_000;
const CHUNK = 25;

/**
 * Runs background jobs item by item, saving progress (and each item's result) every few items,
 * so the status endpoint shows it and a runner that dies resumes where the last save left off
 * (another instance takes the job over when its lease runs out).
 */
export class JobRunner extends BackgroundLoop {
  private stopping = new AbortController();

  constructor(
    private readonly ctx: AppContext,
    pollMs = 1000,
  ) {
    super(ctx.log, 'job', pollMs);
  }

  /** Runs every waiting job to the end. */
  protected async pass(): Promise<void> {
    for (;;) {
      if (this.stopping.signal.aborted) return;
      const job = await repo.claimJob(this.ctx.db, this.ctx.dialect, this.ctx.now(), LEASE_MS);
      if (!job) return;
      await this.run(job);
    }
  }

  override start(): void {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    super.start();
  }

  /** Stops after the item in flight; a long item is asked to stop through its job's signal. */
  override async stop(): Promise<void> {
    this.stopping.abort();
    await super.stop();
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
    const handle: JobHandle = {
      id: job.id,
      organizationId: job.organization_id,
      report: (progress) => repo.updateJob(this.ctx.db, job.id, { progress: JSON.stringify(progress), lease_until: this.ctx.now() + LEASE_MS }),
      signal: this.stopping.signal,
    };
    for (let i = results.length; i < items.length; i++) {
      let result: ItemResult;
      try {
        if (!handler) throw new Error(`No handler for jobs of kind ${job.kind}.`);
        result = await handler(this.ctx, principal, items[i], i, handle);
      } catch (err) {
        const e = err as { kind?: string; message?: string; cause?: unknown };
        result = { ok: false, error: e.message ?? 'Failed.', cause: e.cause ?? null, kind: e.kind ?? 'internal' };
        if (!e.kind) this.ctx.log.warn({ err, jobId: job.id, index: i }, 'job item failed unexpectedly');
      }
      // Stopped mid-item: nothing of it is saved; the job resumes here when its lease runs out.
      if (handle.signal.aborted) return;
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
    const finished = {
      status: failed > 0 ? 'completedWithErrors' : 'completed',
      processed: results.length,
      succeeded,
      failed,
      results: JSON.stringify(results),
      time_finished: this.ctx.now(),
    };
    const onFinished = finishers.get(job.kind);
    if (!onFinished) return repo.updateJob(this.ctx.db, job.id, finished);
    await this.ctx.db.transaction().execute(async (trx) => {
      await repo.updateJob(trx, job.id, finished);
      await onFinished(trx, this.ctx, { ...job, ...finished }, results, principal);
    });
  }
}
