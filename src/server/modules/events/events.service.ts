import type { Db } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';

export interface DomainEvent {
  organizationId: string;
  /** e.g. worker.created, task.updated */
  type: string;
  subjectId: string;
  payload: unknown;
  /** the client organization that may also see it */
  merchantId?: string | null;
  /** the driver that may also see it */
  workerId?: string | null;
}

/**
 * Writes an event to the outbox table in the caller's transaction. Live updates, webhooks and
 * notifications are delivered from this table, so nothing is announced before it commits.
 */
export async function recordEvent(db: Db, now: number, e: DomainEvent): Promise<void> {
  await db
    .insertInto('events')
    .values({
      id: newId(),
      organization_id: e.organizationId,
      type: e.type,
      subject_id: e.subjectId,
      payload: JSON.stringify(e.payload),
      time_created: now,
      merchant_id: e.merchantId ?? null,
      worker_id: e.workerId ?? null,
    })
    .execute();
}
