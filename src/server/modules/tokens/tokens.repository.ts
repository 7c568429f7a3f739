import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { TokenTable } from '../../db/schema.ts';

export async function insertToken(db: Db, row: Insertable<TokenTable>) {
  await db.insertInto('tokens').values(row).execute();
}

export async function findToken(db: Db, tokenHash: string) {
  return db.selectFrom('tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks a token used only if it still is usable; false when another request used it first. */
export async function consumeToken(db: Db, tokenHash: string, now: number) {
  const r = await db
    .updateTable('tokens')
    .set({ time_used: now })
    .where('token_hash', '=', tokenHash)
    .where('time_used', 'is', null)
    .where('time_voided', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function voidTokens(db: Db, subjectId: string, purpose: string, now: number) {
  await db
    .updateTable('tokens')
    .set({ time_voided: now })
    .where('subject_id', '=', subjectId)
    .where('purpose', '=', purpose)
    .where('time_used', 'is', null)
    .where('time_voided', 'is', null)
    .execute();
}

export async function latestToken(db: Db, subjectId: string, purpose: string) {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .where('purpose', '=', purpose)
    .orderBy('time_created', 'desc')
    .limit(1)
    .executeTakeFirst();
}
