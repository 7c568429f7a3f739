import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { UserPrincipal } from '../auth/principal.ts';
import * as repo from './jobs.repository.ts';

/** Queues a job of `kind` over `items`, acting for `principal` (in the caller's transaction when `db` is given). */
export async function enqueueJob(ctx: AppContext, principal: UserPrincipal, kind: string, items: unknown[], db: Db = ctx.db) {
  const now = ctx.now();
  const id = newId();
  await repo.insertJob(db, {
    id,
    organization_id: principal.organizationId,
    kind,
    status: 'pending',
    total: items.length,
    processed: 0,
    succeeded: 0,
    failed: 0,
    input: JSON.stringify(items),
    results: '[]',
    principal: JSON.stringify(principal),
    lease_until: 0,
    progress: null,
    time_created: now,
    time_started: null,
    time_finished: null,
  });
  if (db === ctx.db) ctx.jobs.kick();
  return id;
}

export async function loadJob(ctx: AppContext, organizationId: string, id: string, kind: string) {
  const job = await repo.findJob(ctx.db, organizationId, id);
  if (!job || job.kind !== kind) throw notFound('Job', id);
  return job;
}
