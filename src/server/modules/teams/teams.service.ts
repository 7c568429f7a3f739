import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { invalid, notFound, notUnique, stateConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { actorOf } from '../admins/admins.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { refuseTeamDeletionIfAutoAssigned } from '../clients/clients.service.ts';
import * as repo from './teams.repository.ts';
import type { CreateTeamBody, UpdateTeamBody } from './teams.schemas.ts';

export interface TeamView {
  id: string;
  name: string;
  workers: string[];
  managers: string[];
  hub: string | null;
  hubLocation: { location: [number, number]; address: string } | null;
  enableSelfAssignment: boolean;
  tasks: string[];
  timeCreated: number;
  timeLastModified: number;
}

/** The team's hub as stored (JSON `{location, address}`), or null. */
export function hubOf(r: Pick<repo.TeamRow, 'hub'>): { location: [number, number]; address: string } | null {
  if (!r.hub) return null;
  const h = JSON.parse(r.hub) as { location?: [number, number]; address?: string };
  return h.location ? { location: h.location, address: h.address ?? '' } : null;
}

const hubColumn = (h: { location: [number, number]; address?: string } | null | undefined) =>
  h ? JSON.stringify({ location: h.location, address: h.address ?? '' }) : null;

async function views(db: Db, rows: repo.TeamRow[]): Promise<TeamView[]> {
  const { workers, managers } = await repo.membersOf(db, rows.map((r) => r.id));
  const tasks = await repo.openTasksIn(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    workers: workers.get(r.id) ?? [],
    managers: managers.get(r.id) ?? [],
    hub: null,
    hubLocation: hubOf(r),
    enableSelfAssignment: r.enable_self_assignment === 1,
    tasks: tasks.get(r.id) ?? [],
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
  }));
}

async function load(db: Db, organizationId: string, id: string) {
  const row = await repo.findTeam(db, organizationId, id);
  if (!row) throw notFound('Team', id);
  return row;
}

async function checkMembers(db: Db, organizationId: string, body: { workers?: string[]; managers?: string[] }) {
  for (const [field, table, label] of [
    ['workers', 'workers', 'worker'],
    ['managers', 'users', 'admin'],
  ] as const) {
    const ids = body[field];
    if (!ids?.length) continue;
    const found = await repo.existingIds(db, table, organizationId, ids);
    const missing = ids.filter((i) => !found.has(i));
    if (missing.length) throw invalid(`Unknown ${label}(s): ${missing.join(', ')}.`, { field, ids: missing });
  }
}

async function checkName(db: Db, organizationId: string, name: string, exceptId?: string) {
  const other = await repo.findTeamByName(db, organizationId, name.trim());
  if (other && other.id !== exceptId) throw notUnique(`A team named "${name.trim()}" already exists.`, { field: 'name' });
}

export async function listTeams(ctx: AppContext, p: Principal | null) {
  const u = authorize(p, { org: 'courier' });
  return views(ctx.db, await repo.listTeams(ctx.db, u.organizationId));
}

export async function getTeam(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier' });
  const [v] = await views(ctx.db, [await load(ctx.db, u.organizationId, id)]);
  return v;
}

export async function createTeam(ctx: AppContext, p: Principal | null, body: Static<typeof CreateTeamBody>) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  return ctx.db.transaction().execute(async (trx) => {
    await checkName(trx, u.organizationId, body.name);
    await checkMembers(trx, u.organizationId, body);
    const now = ctx.now();
    const row = {
      id: newId(),
      organization_id: u.organizationId,
      name: body.name.trim(),
      hub: hubColumn(body.hubLocation),
      enable_self_assignment: (body.enableSelfAssignment ? 1 : 0) as 0 | 1,
      time_created: now,
      time_last_modified: now,
    };
    await repo.insertTeam(trx, row);
    if (body.workers?.length) {
      for (const w of body.workers) {
        await trx.insertInto('worker_teams').values({ worker_id: w, team_id: row.id, organization_id: u.organizationId }).execute();
      }
    }
    if (body.managers?.length) await repo.setTeamManagers(trx, u.organizationId, row.id, body.managers);
    await recordAudit(trx, now, actorOf(u), 'team.created', { type: 'team', id: row.id }, { name: row.name });
    const [v] = await views(trx, [row]);
    return v;
  });
}

export async function updateTeam(ctx: AppContext, p: Principal | null, id: string, body: Static<typeof UpdateTeamBody>) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  return ctx.db.transaction().execute(async (trx) => {
    await load(trx, u.organizationId, id);
    if (body.name !== undefined) await checkName(trx, u.organizationId, body.name, id);
    await checkMembers(trx, u.organizationId, body);
    const now = ctx.now();
    if (body.workers) {
      const { workers } = await repo.membersOf(trx, [id]);
      const removed = (workers.get(id) ?? []).filter((w) => !body.workers!.includes(w));
      const stranded = await repo.workersOnlyIn(trx, id, removed);
      if (stranded.length) {
        throw stateConflict('A driver must belong to at least one team; add these drivers to another team first.', { workers: stranded });
      }
      await repo.setTeamWorkers(trx, u.organizationId, id, body.workers);
    }
    if (body.managers) await repo.setTeamManagers(trx, u.organizationId, id, body.managers);
    await repo.updateTeam(trx, u.organizationId, id, {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(body.enableSelfAssignment !== undefined ? { enable_self_assignment: (body.enableSelfAssignment ? 1 : 0) as 0 | 1 } : {}),
      ...(body.hubLocation !== undefined ? { hub: hubColumn(body.hubLocation) } : {}),
      time_last_modified: now,
    });
    await recordAudit(trx, now, actorOf(u), 'team.updated', { type: 'team', id }, body);
    const [v] = await views(trx, [await load(trx, u.organizationId, id)]);
    return v;
  });
}

export async function deleteTeam(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  await ctx.db.transaction().execute(async (trx) => {
    const team = await load(trx, u.organizationId, id);
    const { workers } = await repo.membersOf(trx, [id]);
    const n = workers.get(id)?.length ?? 0;
    if (n > 0) {
      throw stateConflict(`The team "${team.name}" still has ${n} driver${n === 1 ? '' : 's'}. Move or remove them first.`, { workers: workers.get(id) });
    }
    await refuseTeamDeletionIfAutoAssigned(trx, u.organizationId, id);
    await repo.deleteTeam(trx, u.organizationId, id);
    await recordAudit(trx, ctx.now(), actorOf(u), 'team.deleted', { type: 'team', id }, { name: team.name });
  });
}
