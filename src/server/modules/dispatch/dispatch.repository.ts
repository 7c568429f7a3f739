import type { Db } from '../../db/database.ts';

/** A team's unassigned tasks (in its container), oldest first. */
export async function teamUnassignedTasks(db: Db, organizationId: string, teamId: string) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('container_type', '=', 'TEAM')
    .where('container_id', '=', teamId)
    .where('state', '=', 0)
    .orderBy('time_created')
    .orderBy('id')
    .execute();
}

/** Every dependency edge touching `taskIds` (either end), with the state and driver of both tasks. */
export async function linksOf(db: Db, organizationId: string, taskIds: string[]) {
  if (taskIds.length === 0) return [];
  const out: Array<{ task_id: string; depends_on_id: string }> = [];
  for (let i = 0; i < taskIds.length; i += 500) {
    const chunk = taskIds.slice(i, i + 500);
    const rows = await db
      .selectFrom('task_dependencies')
      .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
      .select(['task_dependencies.task_id', 'task_dependencies.depends_on_id'])
      .where('tasks.organization_id', '=', organizationId)
      .where((eb) => eb.or([eb('task_dependencies.task_id', 'in', chunk), eb('task_dependencies.depends_on_id', 'in', chunk)]))
      .execute();
    out.push(...rows);
  }
  const seen = new Set<string>();
  return out.filter((r) => {
    const k = `${r.task_id}>${r.depends_on_id}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Tasks by id within the organization (any state). */
export async function tasksByIds(db: Db, organizationId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('tasks').selectAll().where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
}

/** On-duty drivers of the organization, optionally only those in `teamIds`. */
export async function onDutyWorkers(db: Db, organizationId: string, teamIds?: string[]) {
  let q = db.selectFrom('workers').selectAll('workers').where('workers.organization_id', '=', organizationId).where('workers.on_duty', '=', 1);
  if (teamIds) {
    if (teamIds.length === 0) return [];
    q = q.where('workers.id', 'in', (eb) => eb.selectFrom('worker_teams').select('worker_id').where('team_id', 'in', teamIds));
  }
  return q.orderBy('workers.name').orderBy('workers.id').execute();
}

/** worker id → its team ids. */
export async function teamsOfWorkers(db: Db, workerIds: string[]) {
  const map = new Map<string, string[]>();
  if (workerIds.length === 0) return map;
  const rows = await db.selectFrom('worker_teams').select(['worker_id', 'team_id']).where('worker_id', 'in', workerIds).execute();
  for (const r of rows) map.set(r.worker_id, [...(map.get(r.worker_id) ?? []), r.team_id]);
  return map;
}

/** Marks a dispatch job `to` if it is `from` now; false when it was not (someone else got there first). */
export async function moveDispatchStatus(db: Db, organizationId: string, id: string, from: string, to: string, results?: string) {
  const r = await db
    .updateTable('jobs')
    .set({ status: to, ...(results !== undefined ? { results } : {}) })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('kind', '=', 'teams.dispatch')
    .where('status', '=', from)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
