import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { TeamTable } from '../../db/schema.ts';

export type TeamRow = Selectable<TeamTable>;

export async function insertTeam(db: Db, row: Insertable<TeamTable>) {
  await db.insertInto('teams').values(row).execute();
}

export async function listTeams(db: Db, organizationId: string) {
  return db.selectFrom('teams').selectAll().where('organization_id', '=', organizationId).orderBy('name').orderBy('id').execute();
}

export async function findTeam(db: Db, organizationId: string, id: string) {
  return db.selectFrom('teams').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function findTeamByName(db: Db, organizationId: string, name: string) {
  return db
    .selectFrom('teams')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where((eb) => eb(eb.fn('lower', ['name']), '=', name.toLowerCase()))
    .executeTakeFirst();
}

export async function updateTeam(db: Db, organizationId: string, id: string, patch: Updateable<TeamTable>) {
  await db.updateTable('teams').set(patch).where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function deleteTeam(db: Db, organizationId: string, id: string) {
  await db.deleteFrom('team_managers').where('team_id', '=', id).execute();
  await db.deleteFrom('teams').where('organization_id', '=', organizationId).where('id', '=', id).execute();
}

export async function membersOf(db: Db, teamIds: string[]) {
  const workers = new Map<string, string[]>();
  const managers = new Map<string, string[]>();
  if (teamIds.length === 0) return { workers, managers };
  const [w, m] = await Promise.all([
    db.selectFrom('worker_teams').select(['team_id', 'worker_id']).where('team_id', 'in', teamIds).orderBy('worker_id').execute(),
    db.selectFrom('team_managers').select(['team_id', 'user_id']).where('team_id', 'in', teamIds).orderBy('user_id').execute(),
  ]);
  for (const r of w) workers.set(r.team_id, [...(workers.get(r.team_id) ?? []), r.worker_id]);
  for (const r of m) managers.set(r.team_id, [...(managers.get(r.team_id) ?? []), r.user_id]);
  return { workers, managers };
}

export async function setTeamWorkers(db: Db, organizationId: string, teamId: string, workerIds: string[]) {
  await db.deleteFrom('worker_teams').where('team_id', '=', teamId).execute();
  if (workerIds.length) {
    await db
      .insertInto('worker_teams')
      .values(workerIds.map((worker_id) => ({ worker_id, team_id: teamId, organization_id: organizationId })))
      .execute();
  }
}

export async function setTeamManagers(db: Db, organizationId: string, teamId: string, userIds: string[]) {
  await db.deleteFrom('team_managers').where('team_id', '=', teamId).execute();
  if (userIds.length) {
    await db
      .insertInto('team_managers')
      .values(userIds.map((user_id) => ({ team_id: teamId, user_id, organization_id: organizationId })))
      .execute();
  }
}

export async function existingIds(db: Db, table: 'workers' | 'users' | 'teams', organizationId: string, ids: string[]) {
  if (ids.length === 0) return new Set<string>();
  const rows = await db.selectFrom(table).select('id').where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Workers whose only team is this one (they would be left without a team). */
export async function workersOnlyIn(db: Db, teamId: string, workerIds: string[]) {
  if (workerIds.length === 0) return [];
  const rows = await db
    .selectFrom('worker_teams')
    .select(['worker_id'])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('worker_id', 'in', workerIds)
    .groupBy('worker_id')
    .execute();
  const counts = new Map(rows.map((r) => [r.worker_id, Number(r.n)]));
  void teamId;
  return workerIds.filter((w) => (counts.get(w) ?? 0) <= 1);
}

/** The unassigned tasks waiting in each team's container. */
export async function openTasksIn(db: Db, teamIds: string[]) {
  const map = new Map<string, string[]>();
  if (teamIds.length === 0) return map;
  const rows = await db
    .selectFrom('tasks')
    .select(['id', 'container_id'])
    .where('container_type', '=', 'TEAM')
    .where('container_id', 'in', teamIds)
    .where('state', '=', 0)
    .orderBy('time_created')
    .execute();
  for (const r of rows) map.set(r.container_id, [...(map.get(r.container_id) ?? []), r.id]);
  return map;
}
