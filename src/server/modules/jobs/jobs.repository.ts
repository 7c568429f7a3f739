import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { JobTable } from '../../db/schema.ts';

export type JobRow = Selectable<JobTable>;

export async function insertJob(db: Db, row: Insertable<JobTable>) {
  await db.insertInto('jobs').values(row).execute();
}

export async function findJob(db: Db, organizationId: string, id: string) {
  return db.selectFrom('jobs').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function updateJob(db: Db, id: string, patch: Updateable<JobTable>) {
  await db.updateTable('jobs').set(patch).where('id', '=', id).execute();
}

/** Claims one job that is waiting, or whose runner's lease ran out (SKIP LOCKED on PostgreSQL). */
export async function claimJob(db: Db, dialect: 'sqlite' | 'postgres', now: number, leaseMs: number) {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('jobs')
      .selectAll()
      .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'processing'), eb('lease_until', '<', now)])]))
      .orderBy('time_created')
      .limit(1);
    if (dialect === 'postgres') q = q.forUpdate().skipLocked();
    const job = await q.executeTakeFirst();
    if (!job) return undefined;
    await trx
      .updateTable('jobs')
      .set({ status: 'processing', lease_until: now + leaseMs, time_started: job.time_started ?? now })
      .where('id', '=', job.id)
      .execute();
    return job;
  });
}
