import { sql } from 'kysely';
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
  /** who made the change, for webhooks' actionContext */
  actor?: { id: string | null; type: 'ADMIN' | 'WORKER' | 'SYSTEM' } | null;
}

/** Hooks run for every recorded event, in the same transaction (e.g. queueing webhook deliveries). */
type EventHook = (db: Db, now: number, event: DomainEvent & { id: string }) => Promise<void>;
const hooks: EventHook[] = [];
export function onEventRecorded(hook: EventHook) {
  hooks.push(hook);
}

/**
 * Writes an event to the outbox table in the caller's transaction. Live updates, webhooks and
 * notifications are delivered from this table, so nothing is announced before it commits.
 */
export async function recordEvent(db: Db, now: number, e: DomainEvent): Promise<void> {
  const id = newId();
  await db
    .insertInto('events')
    .values({
      id,
      organization_id: e.organizationId,
      type: e.type,
      subject_id: e.subjectId,
      payload: JSON.stringify(e.payload),
      time_created: now,
      merchant_id: e.merchantId ?? null,
      worker_id: e.workerId ?? null,
    })
    .execute();
  for (const hook of hooks) await hook(db, now, { ...e, id });
  // Other instances on the same PostgreSQL hear about it when this transaction commits
  // (several notifications in one transaction arrive as one).
  if (isPostgres(db)) await sql`select pg_notify(${EVENTS_CHANNEL}, current_schema())`.execute(db);
}

export const EVENTS_CHANNEL = 'baton_events';

const dialectOf = new WeakMap<object, boolean>();
function isPostgres(db: Db): boolean {
  const adapter = db.getExecutor().adapter;
  let pgAdapter = dialectOf.get(adapter);
  if (pgAdapter === undefined) {
    pgAdapter = adapter.constructor.name.startsWith('Postgres');
    dialectOf.set(adapter, pgAdapter);
  }
  return pgAdapter;
}
