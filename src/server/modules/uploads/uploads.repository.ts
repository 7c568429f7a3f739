import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { UploadTable } from '../../db/schema.ts';

export async function insertUpload(db: Db, row: Insertable<UploadTable>) {
  await db.insertInto('uploads').values(row).execute();
}

export async function findUpload(db: Db, id: string) {
  return db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirst();
}
