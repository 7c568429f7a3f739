import type { Db } from '../../db/database.ts';
import type { TaskRow } from '../tasks/tasks.repository.ts';

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

/** What a tracked task depends on (a dropoff's pickup), as far as the page shows it. */
export interface TrackedDependency {
  id: string;
  state: number;
  completion_success: number | null;
  time_completed: number | null;
}

/**
 * A task by the short id in its tracking link, with the tasks it depends on, in one read (a page
 * that is not cached is read while its recipient waits). Short ids are allocated unique across
 * organizations; of older duplicates the newest task wins.
 */
export async function findTrackedTask(db: Db, shortId: string): Promise<{ task: TaskRow; dependencies: TrackedDependency[] } | null> {
  // The task is picked by its primary key (one row, whatever the planner's statistics say), so the
  // dependencies are always looked up through their index.
  const rows = await db
    .selectFrom('tasks')
    .leftJoin('task_dependencies as d', 'd.task_id', 'tasks.id')
    .leftJoin('tasks as dep', 'dep.id', 'd.depends_on_id')
    .selectAll('tasks')
    .select(['dep.id as dep_id', 'dep.state as dep_state', 'dep.completion_success as dep_completion_success', 'dep.time_completed as dep_time_completed'])
    .where('tasks.id', '=', (eb) => eb.selectFrom('tasks as t').select('t.id').where('t.short_id', '=', shortId).orderBy('t.time_created', 'desc').limit(1))
    .execute();
  if (rows.length === 0) return null;
  const { dep_id: _id, dep_state: _state, dep_completion_success: _success, dep_time_completed: _time, ...task } = rows[0];
  const dependencies: TrackedDependency[] = [];
  for (const r of rows) {
    if (r.dep_id === null) continue;
    dependencies.push({ id: r.dep_id, state: Number(r.dep_state), completion_success: r.dep_completion_success, time_completed: r.dep_time_completed === null ? null : Number(r.dep_time_completed) });
  }
  return { task: task as TaskRow, dependencies };
}

/** Marks tasks as seen by their recipients (those already marked are left alone). */
export async function markTrackingViewed(db: Db, taskIds: string[]) {
  await db.updateTable('tasks').set({ tracking_viewed: 1 }).where('id', 'in', taskIds).where('tracking_viewed', '=', 0).execute();
}
