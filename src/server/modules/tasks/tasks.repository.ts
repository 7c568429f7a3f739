import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import { isPostgresDb, type Db } from '../../db/database.ts';
import type { TaskTable } from '../../db/schema.ts';
import { insertRows } from '../../db/insert-rows.ts';

export type TaskRow = Selectable<TaskTable>;

export async function insertTasks(db: Db, rows: Array<Insertable<TaskTable>>) {
  await insertRows(db, 'tasks', rows);
}

export async function findTask(db: Db, organizationId: string, id: string) {
  return db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function findTaskById(db: Db, id: string) {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findTasksByIds(db: Db, organizationId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
}

export async function findTaskByShortId(db: Db, organizationId: string, shortId: string) {
  return db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId).where('short_id', '=', shortId).executeTakeFirst();
}

/** Task short ids are kept unique across organizations: a public tracking link carries only the short id. */
/** Which of these short ids a task already has. */
export async function shortIdsTaken(db: Db, shortIds: string[]) {
  return (await db.selectFrom('tasks').select('short_id').where('short_id', 'in', shortIds).execute()).map((r) => r.short_id);
}

export async function updateTask(db: Db, id: string, patch: Updateable<TaskTable>) {
  await db.updateTable('tasks').set(patch).where('id', '=', id).execute();
}

export async function deleteTask(db: Db, id: string) {
  await db.deleteFrom('task_dependencies').where((eb) => eb.or([eb('task_id', '=', id), eb('depends_on_id', '=', id)])).execute();
  await db.deleteFrom('tasks').where('id', '=', id).execute();
}

export async function dependenciesOf(db: Db, taskIds: string[]) {
  const map = new Map<string, string[]>();
  if (taskIds.length === 0) return map;
  const rows = await db.selectFrom('task_dependencies').select(['task_id', 'depends_on_id']).where('task_id', 'in', taskIds).execute();
  for (const r of rows) map.set(r.task_id, [...(map.get(r.task_id) ?? []), r.depends_on_id]);
  return map;
}

export async function dependentsOf(db: Db, taskId: string) {
  const rows = await db.selectFrom('task_dependencies').select('task_id').where('depends_on_id', '=', taskId).execute();
  return rows.map((r) => r.task_id);
}

export async function insertDependencies(db: Db, rows: Array<{ task_id: string; depends_on_id: string }>) {
  await insertRows(db, 'task_dependencies', rows);
}

/**
 * New tasks and their dependencies (on PostgreSQL, in a transaction, both inserts reach the database
 * as one statement with the change's other inserts: db/pg-batched-writes.ts).
 */
export async function insertTasksWithDependencies(db: Db, rows: Array<Insertable<TaskTable>>, dependencies: Array<{ task_id: string; depends_on_id: string }>) {
  await insertTasks(db, rows);
  await insertDependencies(db, dependencies);
}

export async function setDependencies(db: Db, taskId: string, dependsOn: string[]) {
  await db.deleteFrom('task_dependencies').where('task_id', '=', taskId).execute();
  if (dependsOn.length) {
    await db
      .insertInto('task_dependencies')
      .values(dependsOn.map((d) => ({ task_id: taskId, depends_on_id: d })))
      .execute();
  }
}

/**
 * The dependency edges reachable from `start` (what they depend on, transitively, among open tasks),
 * read level by level: a cycle check touches only the tasks it can reach, not the organization's graph.
 */
export async function dependencyEdgesFrom(db: Db, organizationId: string, start: string[]) {
  const map = new Map<string, string[]>();
  let frontier = [...new Set(start)];
  const seen = new Set(frontier);
  while (frontier.length > 0) {
    const rows = await db
      .selectFrom('task_dependencies')
      .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
      .select(['task_dependencies.task_id', 'task_dependencies.depends_on_id'])
      .where('task_dependencies.task_id', 'in', frontier)
      .where('tasks.organization_id', '=', organizationId)
      .where('tasks.state', '<>', 3)
      .execute();
    const next: string[] = [];
    for (const r of rows) {
      map.set(r.task_id, [...(map.get(r.task_id) ?? []), r.depends_on_id]);
      if (!seen.has(r.depends_on_id)) {
        seen.add(r.depends_on_id);
        next.push(r.depends_on_id);
      }
    }
    frontier = next;
  }
  return map;
}

export interface TaskListFilter {
  organizationId?: string;
  merchantId?: string;
  from: number;
  to?: number;
  states?: number[];
  workerId?: string;
  teamId?: string;
  merchantFilter?: string;
  after?: { time: number; id: string };
  limit: number;
}

/**
 * A page of tasks, each with the ids of the tasks it depends on (`dependency_ids`, comma-separated,
 * or null): read in the same statement, a round trip fewer per page than asking for them after.
 */
export async function listTasks(db: Db, f: TaskListFilter): Promise<Array<TaskRow & { dependency_ids: string | null }>> {
  const dependencyIds = isPostgresDb(db)
    ? sql<string | null>`(select string_agg(d.depends_on_id, ',' order by d.depends_on_id) from task_dependencies d where d.task_id = tasks.id)`
    : sql<string | null>`(select group_concat(d.depends_on_id, ',') from task_dependencies d where d.task_id = tasks.id)`;
  let q = db.selectFrom('tasks').selectAll('tasks').select(dependencyIds.as('dependency_ids'));
  if (f.organizationId) q = q.where('organization_id', '=', f.organizationId);
  if (f.merchantId) q = q.where('merchant_id', '=', f.merchantId);
  if (f.merchantFilter) q = q.where('merchant_id', '=', f.merchantFilter);
  q = q.where('time_created', '>=', f.from);
  if (f.to !== undefined) q = q.where('time_created', '<=', f.to);
  if (f.states?.length) q = q.where('state', 'in', f.states);
  if (f.workerId) q = q.where('worker_id', '=', f.workerId);
  if (f.teamId) q = q.where('container_type', '=', 'TEAM').where('container_id', '=', f.teamId);
  if (f.after) {
    const { time, id } = f.after;
    q = q.where((eb) => eb.or([eb('time_created', '>', time), eb.and([eb('time_created', '=', time), eb('id', '>', id)])]));
  }
  return q.orderBy('time_created').orderBy('id').limit(f.limit).execute();
}

/** A worker's open tasks in their order (active first). */
export async function workerTasks(db: Db, workerId: string) {
  return (await openTasksOfWorkers(db, [workerId])).get(workerId) ?? [];
}

/** Open (assigned or active) tasks of these drivers, each driver's in its order (active first). */
export async function openTasksOfWorkers(db: Db, workerIds: string[]): Promise<Map<string, TaskRow[]>> {
  const map = new Map<string, TaskRow[]>();
  if (workerIds.length === 0) return map;
  const rows = await db
    .selectFrom('tasks')
    .selectAll()
    .where('worker_id', 'in', workerIds)
    .where('state', 'in', [1, 2])
    .orderBy('state', 'desc')
    .orderBy('worker_position')
    .orderBy('time_created')
    .execute();
  for (const r of rows) {
    let list = map.get(r.worker_id!);
    if (!list) map.set(r.worker_id!, (list = []));
    list.push(r);
  }
  return map;
}

export async function containerTasks(db: Db, containerId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'state'])
    .where('container_id', '=', containerId)
    .where('state', '<>', 3)
    .orderBy('worker_position')
    .orderBy('time_created')
    .execute();
}

export async function nextWorkerPosition(db: Db, workerId: string) {
  const r = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.max('worker_position').as('p'))
    .where('worker_id', '=', workerId)
    .where('state', 'in', [1, 2])
    .executeTakeFirst();
  return Number(r?.p ?? 0) + 1;
}
