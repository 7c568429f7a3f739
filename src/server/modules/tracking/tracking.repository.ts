import type { Db } from '../../db/database.ts';

export async function findSettings(db: Db, organizationId: string) {
  return db.selectFrom('tracking_pages').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
}

export async function saveSettings(db: Db, organizationId: string, settings: string, now: number) {
  await db
    .insertInto('tracking_pages')
    .values({ organization_id: organizationId, settings, time_last_modified: now })
    .onConflict((oc) => oc.column('organization_id').doUpdateSet({ settings, time_last_modified: now }))
    .execute();
}

export async function deleteSettings(db: Db, organizationId: string) {
  await db.deleteFrom('tracking_pages').where('organization_id', '=', organizationId).execute();
}

/** A task by the short id in its tracking link (short ids are allocated unique across organizations). */
export async function findTaskByTrackingId(db: Db, shortId: string) {
  return db.selectFrom('tasks').selectAll().where('short_id', '=', shortId).orderBy('time_created', 'desc').limit(1).executeTakeFirst();
}

/** When the task(s) this one depends on were completed successfully (a dropoff's pickup). */
export async function dependencyCompletions(db: Db, taskId: string) {
  return db
    .selectFrom('task_dependencies as d')
    .innerJoin('tasks as t', 't.id', 'd.depends_on_id')
    .select(['t.id', 't.state', 't.completion_success', 't.time_completed'])
    .where('d.task_id', '=', taskId)
    .execute();
}
