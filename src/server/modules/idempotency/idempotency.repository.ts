import type { Db } from '../../db/database.ts';

/** Claims a key for a first request; false when the key is already known. */
export async function claim(db: Db, scope: string, key: string, requestHash: string, now: number): Promise<boolean> {
  const r = await db
    .insertInto('idempotency_keys')
    .values({ scope, key, request_hash: requestHash, status_code: null, content_type: null, body: null, time_created: now })
    .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function find(db: Db, scope: string, key: string) {
  return db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
}

export async function complete(db: Db, scope: string, key: string, statusCode: number, contentType: string | null, body: string) {
  await db.updateTable('idempotency_keys').set({ status_code: statusCode, content_type: contentType, body }).where('scope', '=', scope).where('key', '=', key).execute();
}

export async function release(db: Db, scope: string, key: string) {
  await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).execute();
}

export async function expire(db: Db, before: number) {
  await db.deleteFrom('idempotency_keys').where('time_created', '<', before).execute();
}
