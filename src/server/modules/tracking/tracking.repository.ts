import type { Db } from '../../db/database.ts';
import { oneOf } from '../../db/one-of.ts';
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

/** A tracked task with the tasks it depends on. */
export interface TrackedTask {
  task: TaskRow;
  dependencies: TrackedDependency[];
}

/** At most this many short ids per read. */
const READ_CHUNK = 500;

/**
 * Tasks by the short ids in their tracking links, each with the tasks it depends on (pages that are
 * not cached are read while their recipients wait, often many at once after a round of
 * notifications). Three statements per 500 short ids, each on one table through its index: the
 * tasks, their dependencies, the tasks depended on. Joined, PostgreSQL's plan for a list of any
 * length (prepared once, docs/decisions/0012) hashes every task to find a few (measured: ~6 ms
 * instead of ~0.05 ms per read). Short ids are allocated unique across organizations; of older
 * duplicates the newest task wins. Short ids that lead nowhere are absent from the answer.
 */
export async function findTrackedTasks(db: Db, shortIds: readonly string[]): Promise<Map<string, TrackedTask>> {
  const found = new Map<string, TrackedTask>();
  for (let i = 0; i < shortIds.length; i += READ_CHUNK) {
    const tasks = (await db.selectFrom('tasks').selectAll().where(oneOf(db, 'short_id', shortIds.slice(i, i + READ_CHUNK))).execute()) as TaskRow[];
    const byTask = new Map<string, TrackedTask>();
    for (const task of tasks) {
      const other = found.get(task.short_id);
      if (other && !newer(task, other.task)) continue;
      if (other) byTask.delete(other.task.id);
      const t = { task, dependencies: [] };
      found.set(task.short_id, t);
      byTask.set(task.id, t);
    }
    if (byTask.size === 0) continue;
    const links = await db.selectFrom('task_dependencies').select(['task_id', 'depends_on_id']).where(oneOf(db, 'task_id', [...byTask.keys()])).execute();
    if (links.length === 0) continue;
    const deps = await db
      .selectFrom('tasks')
      .select(['id', 'state', 'completion_success', 'time_completed'])
      .where(oneOf(db, 'id', [...new Set(links.map((l) => l.depends_on_id))]))
      .execute();
    const byId = new Map(deps.map((d) => [d.id, d]));
    for (const l of links) {
      const d = byId.get(l.depends_on_id);
      if (!d) continue;
      byTask.get(l.task_id)!.dependencies.push({ id: d.id, state: Number(d.state), completion_success: d.completion_success, time_completed: d.time_completed === null ? null : Number(d.time_completed) });
    }
  }
  return found;
}

function newer(a: TaskRow, b: TaskRow): boolean {
  const ta = Number(a.time_created);
  const tb = Number(b.time_created);
  return ta !== tb ? ta > tb : a.id > b.id;
}

/** One task by the short id in its tracking link, with the tasks it depends on. */
export async function findTrackedTask(db: Db, shortId: string): Promise<TrackedTask | null> {
  return (await findTrackedTasks(db, [shortId])).get(shortId) ?? null;
}

/** Marks tasks as seen by their recipients (those already marked are left alone). */
export async function markTrackingViewed(db: Db, taskIds: string[]) {
  await db.updateTable('tasks').set({ tracking_viewed: 1 }).where(oneOf(db, 'id', taskIds)).where('tracking_viewed', '=', 0).execute();
}
