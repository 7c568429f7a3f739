import type { Db } from '../../db/database.ts';
import type { MessageTable } from '../../db/schema.ts';
import type { Selectable } from 'kysely';

export type MessageRow = Selectable<MessageTable>;

export async function insertMessage(db: Db, row: MessageRow): Promise<void> {
  await db.insertInto('messages').values(row).execute();
}

/**
 * Claims up to `limit` due messages for sending by pushing their next attempt past the lease.
 * On PostgreSQL rows are locked with SKIP LOCKED so several instances never claim the same one.
 */
export async function claimDue(db: Db, dialect: 'sqlite' | 'postgres', now: number, leaseMs: number, limit: number) {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('messages')
      .selectAll()
      .where('status', '=', 'queued')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .limit(limit);
    if (dialect === 'postgres') q = q.forUpdate().skipLocked();
    const rows = await q.execute();
    if (rows.length === 0) return rows;
    await trx
      .updateTable('messages')
      .set({ next_attempt_at: now + leaseMs })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .execute();
    return rows;
  });
}

export async function markSent(db: Db, id: string, now: number, status: 'sent' | 'kept', attempts: number) {
  await db.updateTable('messages').set({ status, time_sent: now, attempts, last_error: null }).where('id', '=', id).execute();
}

export async function markFailedAttempt(db: Db, id: string, attempts: number, error: string, nextAttemptAt: number | null) {
  await db
    .updateTable('messages')
    .set({
      attempts,
      last_error: error.slice(0, 1000),
      ...(nextAttemptAt === null ? { status: 'failed' } : { next_attempt_at: nextAttemptAt }),
    })
    .where('id', '=', id)
    .execute();
}

export async function listMessages(db: Db, organizationId: string, limit: number, beforeId?: { time: number; id: string }) {
  let q = db
    .selectFrom('messages')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('time_created', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (beforeId) {
    q = q.where((eb) =>
      eb.or([
        eb('time_created', '<', beforeId.time),
        eb.and([eb('time_created', '=', beforeId.time), eb('id', '<', beforeId.id)]),
      ]),
    );
  }
  return q.execute();
}

export async function findMessage(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}
