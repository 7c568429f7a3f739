import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { WebhookDeliveryTable, WebhookTable } from '../../db/schema.ts';
import { builtOnce } from '../../db/built-once.ts';

export type WebhookRow = Selectable<WebhookTable>;
export type DeliveryRow = Selectable<WebhookDeliveryTable>;

export async function listWebhooks(db: Db, organizationId: string) {
  return db.selectFrom('webhooks').selectAll().where('organization_id', '=', organizationId).orderBy('time_created').orderBy('id').execute();
}

export async function findWebhook(db: Db, organizationId: string, id: string) {
  return db.selectFrom('webhooks').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function insertWebhook(db: Db, row: Insertable<WebhookTable>) {
  await db.insertInto('webhooks').values(row).execute();
}

export async function updateWebhook(db: Db, id: string, patch: Updateable<WebhookTable>) {
  await db.updateTable('webhooks').set(patch).where('id', '=', id).execute();
}

export async function deleteWebhook(db: Db, id: string) {
  await db.deleteFrom('webhooks').where('id', '=', id).execute();
}

export async function enabledWebhooksFor(db: Db, organizationIds: string[], triggerId: number) {
  return db.selectFrom('webhooks').selectAll().where('organization_id', 'in', organizationIds).where('trigger_id', '=', triggerId).where('enabled', '=', 1).execute();
}

/**
 * The enabled webhooks of these owners for any of these triggers (one read for several events; made for
 * every recorded change, so built once per shape: db/built-once.ts).
 */
export const enabledWebhooksForAny = builtOnce((db, organizationIds: readonly string[], triggerIds: readonly number[]) =>
  db.selectFrom('webhooks').selectAll().where('organization_id', 'in', organizationIds).where('trigger_id', 'in', triggerIds).where('enabled', '=', 1),
);

/** New deliveries (each event once per webhook: a repeat is ignored). */
export async function insertDeliveries(db: Db, rows: Array<Insertable<WebhookDeliveryTable>>) {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(rows)
    .onConflict((oc) => oc.columns(['webhook_id', 'event_key']).doNothing())
    .execute();
}

export async function deliveredCounts(db: Db, webhookIds: string[]) {
  if (webhookIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('webhook_deliveries')
    .select(['webhook_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('webhook_id', 'in', webhookIds)
    .where('status', '=', 'delivered')
    .groupBy('webhook_id')
    .execute();
  return new Map(rows.map((r) => [r.webhook_id, Number(r.n)]));
}

/** Queues a delivery unless this webhook already has one for the same event key; true when queued. */
/** Claims due deliveries of enabled webhooks by pushing them past a lease (SKIP LOCKED on PostgreSQL). */
export async function claimDue(db: Db, dialect: 'sqlite' | 'postgres', now: number, leaseMs: number, limit: number) {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
      .selectAll('d')
      .select(['w.url'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where('w.enabled', '=', 1)
      .orderBy('d.next_attempt_at')
      .limit(limit);
    if (dialect === 'postgres') q = q.forUpdate('d').skipLocked();
    const rows = await q.execute();
    if (rows.length > 0) {
      await trx
        .updateTable('webhook_deliveries')
        .set({ next_attempt_at: now + leaseMs })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    }
    return rows;
  });
}

export async function recordAttempt(
  db: Db,
  a: { id: string; deliveryId: string; attempt: number; time: number; statusCode: number | null; latencyMs: number; responseExcerpt: string | null; error: string | null },
) {
  await db
    .insertInto('webhook_attempts')
    .values({
      id: a.id,
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      time: a.time,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_excerpt: a.responseExcerpt,
      error: a.error,
    })
    .execute();
}

export async function updateDelivery(db: Db, id: string, patch: Updateable<WebhookDeliveryTable>) {
  await db.updateTable('webhook_deliveries').set(patch).where('id', '=', id).execute();
}

export async function findDelivery(db: Db, webhookId: string, id: string) {
  return db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).where('id', '=', id).executeTakeFirst();
}

export async function listDeliveries(db: Db, webhookId: string, limit: number, before?: { time: number; id: string }) {
  let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('time_created', 'desc').orderBy('id', 'desc').limit(limit);
  if (before) q = q.where((eb) => eb.or([eb('time_created', '<', before.time), eb.and([eb('time_created', '=', before.time), eb('id', '<', before.id)])]));
  return q.execute();
}

export async function attemptsOf(db: Db, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return [];
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('attempt').execute();
}
