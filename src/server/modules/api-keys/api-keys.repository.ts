import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ApiKeyTable } from '../../db/schema.ts';
import { builtOnce } from '../../db/built-once.ts';

export async function insertApiKey(db: Db, row: Insertable<ApiKeyTable>) {
  await db.insertInto('api_keys').values(row).execute();
}

export async function listApiKeys(db: Db, organizationId: string) {
  return db
    .selectFrom('api_keys')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('time_revoked', 'is', null)
    .orderBy('time_created')
    .orderBy('id')
    .execute();
}

/** (read for every request with a key: built once, db/built-once.ts) */
const activeKeyByHash = builtOnce((db, keyHash: string) =>
  db
    .selectFrom('api_keys')
    .innerJoin('organizations', 'organizations.id', 'api_keys.organization_id')
    .select(['api_keys.id', 'api_keys.organization_id', 'api_keys.name', 'api_keys.time_last_used', 'organizations.kind as org_kind'])
    .where('api_keys.key_hash', '=', keyHash)
    .where('api_keys.time_revoked', 'is', null),
);

export async function findActiveKeyByHash(db: Db, keyHash: string) {
  return (await activeKeyByHash(db, keyHash))[0];
}

export async function touchApiKey(db: Db, id: string, now: number) {
  await db.updateTable('api_keys').set({ time_last_used: now }).where('id', '=', id).execute();
}

export async function revokeApiKey(db: Db, organizationId: string, id: string, now: number) {
  const r = await db
    .updateTable('api_keys')
    .set({ time_revoked: now })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('time_revoked', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function revokeOrganizationKeys(db: Db, organizationId: string, now: number) {
  await db
    .updateTable('api_keys')
    .set({ time_revoked: now })
    .where('organization_id', '=', organizationId)
    .where('time_revoked', 'is', null)
    .execute();
}
