import type { AppContext } from '../../context.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import type { UserPrincipal } from '../auth/principal.ts';
import * as repo from './jobs.repository.ts';

/** Queues a job of `kind` over `items`, acting for `principal`. */
export async function enqueueJob(ctx: AppContext, principal: UserPrincipal, kind: string, items: unknown[]) {
  const now = ctx.now();
  const id = newId();
  await repo.insertJob(ctx.db, {
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
    time_created: now,
    time_started: null,
    time_finished: null,
  });
  ctx.jobs.kick();
  return id;
}

export async function loadJob(ctx: AppContext, organizationId: string, id: string, kind: string) {
  const job = await repo.findJob(ctx.db, organizationId, id);
  if (!job || job.kind !== kind) throw notFound('Job', id);
  return job;
}
