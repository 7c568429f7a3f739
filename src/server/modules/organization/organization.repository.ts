import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { OrganizationTable } from '../../db/schema.ts';

export type OrganizationRow = Selectable<OrganizationTable>;

export async function insertOrganization(db: Db, row: Insertable<OrganizationTable>) {
  await db.insertInto('organizations').values(row).execute();
}

export async function findOrganization(db: Db, id: string) {
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateOrganization(db: Db, id: string, patch: Updateable<OrganizationTable>) {
  await db.updateTable('organizations').set(patch).where('id', '=', id).execute();
}
