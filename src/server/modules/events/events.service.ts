import type { Db } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import { insertRows } from '../../db/insert-rows.ts';

export interface DomainEvent {
  organizationId: string;
  /** e.g. worker.created, task.updated */
  type: string;
  subjectId: string;
  payload: unknown;
  /**
   * What live updates carry (and the events table keeps), when smaller than the payload: a
   * summary for subscribers, who fetch the object if they need all of it. Defaults to the payload.
   */
  summary?: unknown;
  /** the client organization that may also see it */
  merchantId?: string | null;
  /** the driver that may also see it */
  workerId?: string | null;
  /** who made the change, for webhooks' actionContext */
  actor?: { id: string | null; type: 'ADMIN' | 'WORKER' | 'SYSTEM' } | null;
}

/** Hooks run for the events recorded together, in the same transaction (e.g. queueing webhook deliveries). */
type EventHook = (db: Db, now: number, events: Array<DomainEvent & { id: string }>) => Promise<void>;
const hooks: EventHook[] = [];
export function onEventRecorded(hook: EventHook) {
  hooks.push(hook);
}

/**
 * Writes an event to the outbox table in the caller's transaction. Live updates, webhooks and
 * notifications are delivered from this table, so nothing is announced before it commits.
 */
export async function recordEvent(db: Db, now: number, e: DomainEvent): Promise<void> {
  await recordEvents(db, now, [e]);
}

/** Several events of one change, in one insert (their order is kept: sequence numbers follow the list). */
export async function recordEvents(db: Db, now: number, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const withIds = events.map((e) => ({ ...e, id: newId() }));
  await insertRows(
    db,
    'events',
    withIds.map((e) => ({
      id: e.id,
      organization_id: e.organizationId,
      type: e.type,
      subject_id: e.subjectId,
      payload: JSON.stringify(e.summary ?? e.payload),
      time_created: now,
      merchant_id: e.merchantId ?? null,
      worker_id: e.workerId ?? null,
    })),
  );
  for (const hook of hooks) await hook(db, now, withIds);
  // Every instance on the same PostgreSQL hears of it once the transaction has committed: the
  // database layer announces committed inserts into `events` (db/announce.ts).
}

export { EVENTS_CHANNEL } from '../../db/announce.ts';

