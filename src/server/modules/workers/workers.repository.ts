import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { WorkerTable } from '../../db/schema.ts';

export type WorkerRow = Selectable<WorkerTable>;

export async function insertWorker(db: Db, row: Insertable<WorkerTable>) {
  await db.insertInto('workers').values(row).execute();
}

export async function findWorker(db: Db, organizationId: string, id: string) {
  return db.selectFrom('workers').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function findWorkerByPhone(db: Db, organizationId: string, phone: string) {
  return db.selectFrom('workers').select('id').where('organization_id', '=', organizationId).where('phone', '=', phone).executeTakeFirst();
}

export async function listWorkers(db: Db, organizationId: string, filter: { teams?: string[]; onDuty?: boolean }) {
  let q = db.selectFrom('workers').selectAll('workers').where('workers.organization_id', '=', organizationId);
  if (filter.teams?.length) {
    q = q.where('workers.id', 'in', (eb) => eb.selectFrom('worker_teams').select('worker_id').where('team_id', 'in', filter.teams!));
  }
  if (filter.onDuty !== undefined) q = q.where('workers.on_duty', '=', filter.onDuty ? 1 : 0);
  return q.orderBy('workers.name').orderBy('workers.id').execute();
}

export async function updateWorker(db: Db, organizationId: string, id: string, patch: Updateable<WorkerTable>) {
  await db.updateTable('workers').set(patch).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function deleteWorker(db: Db, organizationId: string, id: string) {
  await db.deleteFrom('worker_teams').where('worker_id', '=', id).execute();
  await db.deleteFrom('workers').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function teamsOf(db: Db, workerIds: string[]) {
  const map = new Map<string, string[]>();
  if (workerIds.length === 0) return map;
  const rows = await db.selectFrom('worker_teams').select(['worker_id', 'team_id']).where('worker_id', 'in', workerIds).orderBy('team_id').execute();
  for (const r of rows) map.set(r.worker_id, [...(map.get(r.worker_id) ?? []), r.team_id]);
  return map;
}

export async function setWorkerTeams(db: Db, organizationId: string, workerId: string, teamIds: string[]) {
  await db.deleteFrom('worker_teams').where('worker_id', '=', workerId).execute();
  await db
    .insertInto('worker_teams')
    .values(teamIds.map((team_id) => ({ worker_id: workerId, team_id, organization_id: organizationId })))
    .execute();
}

/** Each worker's open tasks in their order, and the active one. */
export async function openTasksOf(db: Db, workerIds: string[]) {
  const map = new Map<string, { tasks: string[]; activeTask: string | null }>();
  if (workerIds.length === 0) return map;
  const rows = await db
    .selectFrom('tasks')
    .select(['id', 'worker_id', 'state'])
    .where('worker_id', 'in', workerIds)
    .where('state', 'in', [1, 2])
    .orderBy('state', 'desc')
    .orderBy('worker_position')
    .orderBy('time_created')
    .execute();
  for (const r of rows) {
    const entry = map.get(r.worker_id!) ?? { tasks: [], activeTask: null };
    entry.tasks.push(r.id);
    if (r.state === 2 && !entry.activeTask) entry.activeTask = r.id;
    map.set(r.worker_id!, entry);
  }
  return map;
}
