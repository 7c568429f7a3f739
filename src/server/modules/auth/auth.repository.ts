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

export type UserRow = NonNullable<Awaited<ReturnType<typeof findUserByEmailKey>>>;

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

// ---------------------------------------------------------------- failed sign-ins (per email address)

export async function findSignInFailures(db: Db, keyHash: string) {
  return db.selectFrom('sign_in_failures').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/**
 * Counts one more consecutive failure (starting over when the last one is older than `forgetBefore`),
 * atomically, and returns the new count.
 */
export async function addSignInFailure(db: Db, keyHash: string, now: number, forgetBefore: number): Promise<number> {
  const row = await db
    .insertInto('sign_in_failures')
    .values({ key_hash: keyHash, failures: 1, locked_until: 0, time_last_failure: now })
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet((eb) => ({
        failures: eb
          .case()
          .when('sign_in_failures.time_last_failure', '<', forgetBefore)
          .then(1)
          .else(eb('sign_in_failures.failures', '+', 1))
          .end(),
        time_last_failure: now,
      })),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

export async function lockSignIn(db: Db, keyHash: string, until: number) {
  await db.updateTable('sign_in_failures').set({ locked_until: until }).where('key_hash', '=', keyHash).where('locked_until', '<', until).execute();
}

export async function clearSignInFailures(db: Db, keyHash: string) {
  await db.deleteFrom('sign_in_failures').where('key_hash', '=', keyHash).execute();
}

export async function deleteOldSignInFailures(db: Db, before: number) {
  await db.deleteFrom('sign_in_failures').where('time_last_failure', '<', before).where('locked_until', '<', before).execute();
}
