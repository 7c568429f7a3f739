import type { Db } from '../../db/database.ts';

export async function insertSession(
  db: Db,
  row: { token_hash: string; kind: 'user' | 'driver'; user_id: string | null; worker_id: string | null; organization_id: string; time_created: number; expires_at: number },
) {
  await db.insertInto('sessions').values(row).execute();
}

export async function findSession(db: Db, tokenHash: string) {
  return db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteSession(db: Db, tokenHash: string) {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
}

export async function deleteUserSessions(db: Db, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function deleteOrganizationSessions(db: Db, organizationId: string) {
  await db.deleteFrom('sessions').where('organization_id', '=', organizationId).execute();
}

export async function deleteExpiredSessions(db: Db, now: number) {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
}

/** The user behind a session, with what authorization needs about its organization. */
export async function findSessionUser(db: Db, userId: string) {
  return db
    .selectFrom('users')
    .innerJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'users.id',
      'users.email',
      'users.name',
      'users.role',
      'users.is_read_only',
      'users.status',
      'users.organization_id',
      'organizations.kind as org_kind',
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

export async function findUserByEmailKey(db: Db, emailKey: string) {
  return db.selectFrom('users').selectAll().where('email_key', '=', emailKey).executeTakeFirst();
}

export async function countOrganizations(db: Db, kind: 'courier' | 'client') {
  const r = await db
    .selectFrom('organizations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', kind)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function touchSignIn(db: Db, userId: string, now: number) {
  await db.updateTable('users').set({ time_last_sign_in: now }).where('id', '=', userId).execute();
}
