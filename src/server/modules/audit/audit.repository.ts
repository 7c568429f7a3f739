import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { AuditTable } from '../../db/schema.ts';
import { insertRows } from '../../db/insert-rows.ts';

export async function insertAudits(db: Db, rows: Array<Insertable<AuditTable>>) {
  await insertRows(db, 'audit_log', rows);
}

export async function listAudit(db: Db, organizationId: string, subjectId: string, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('subject_id', '=', subjectId)
    .orderBy('time_created', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Every entry about one subject, whichever organization's person made it (the caller has checked access). */
export async function listAuditOfSubject(db: Db, subjectId: string, limit: number) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('time_created', 'asc')
    .orderBy('id', 'asc')
    .limit(limit)
    .execute();
}
