import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UserTable } from '../../db/schema.ts';

export type UserRow = Selectable<UserTable>;

export async function insertUser(db: Db, row: Insertable<UserTable>) {
  await db.insertInto('users').values(row).execute();
}

export async function findUser(db: Db, organizationId: string, id: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUsers(db: Db, organizationId: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('status', '!=', 'removed')
    .orderBy('time_created')
    .orderBy('id')
    .execute();
}

export async function updateUser(db: Db, organizationId: string, id: string, patch: Updateable<UserTable>) {
  await db.updateTable('users').set(patch).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function deleteUser(db: Db, organizationId: string, id: string) {
  await db.deleteFrom('users').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function emailTaken(db: Db, emailKey: string) {
  const r = await db.selectFrom('users').select('id').where('email_key', '=', emailKey).executeTakeFirst();
  return !!r;
}

export async function teamIdsManagedBy(db: Db, userIds: string[]) {
  if (userIds.length === 0) return new Map<string, string[]>();
  const rows = await db.selectFrom('team_managers').select(['user_id', 'team_id']).where('user_id', 'in', userIds).execute();
  const map = new Map<string, string[]>();
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.team_id]);
  return map;
}

export async function setManagedTeams(db: Db, organizationId: string, userId: string, teamIds: string[]) {
  await db.deleteFrom('team_managers').where('user_id', '=', userId).execute();
  if (teamIds.length) {
    await db
      .insertInto('team_managers')
      .values(teamIds.map((team_id) => ({ team_id, user_id: userId, organization_id: organizationId })))
      .execute();
  }
}
