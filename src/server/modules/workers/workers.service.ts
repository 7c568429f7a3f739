import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { forbidden, invalid, notFound, notUnique, stateConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { teamIdsManagedBy } from '../admins/admins.repository.ts';
import { actorOf } from '../admins/admins.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorize, isAdmin, type Principal, type UserPrincipal } from '../auth/principal.ts';
import { recordEvent } from '../events/events.service.ts';
import { unassignWorkerTasks } from '../tasks/tasks.service.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import { normalizePhone } from '../organization/organization.ts';
import { existingIds } from '../teams/teams.repository.ts';
import * as repo from './workers.repository.ts';
import type { CreateWorkerBody, ListWorkersQuery, UpdateWorkerBody } from './workers.schemas.ts';

export interface WorkerView {
  id: string;
  organization: string;
  name: string;
  displayName: string | null;
  phone: string;
  email: string | null;
  teams: string[];
  onDuty: boolean;
  location: [number, number] | null;
  timeLastSeen: number | null;
  activeTask: string | null;
  tasks: string[];
  vehicle: { id: string; type: 'CAR' | 'BICYCLE' | 'MOTORCYCLE' | 'TRUCK'; description: string | null; licensePlate: string | null; color: string | null } | null;
  capacity: number;
  routingAddress: { location: [number, number]; address: string } | null;
  accountStatus: string;
  metadata: unknown[];
  imageUrl: string | null;
  timeCreated: number;
  timeLastModified: number;
}

export function toWorker(r: repo.WorkerRow, teams: string[], open: { tasks: string[]; activeTask: string | null } = { tasks: [], activeTask: null }): WorkerView {
  return {
    id: r.id,
    organization: r.organization_id,
    name: r.name,
    displayName: null,
    phone: r.phone,
    email: r.email,
    teams,
    onDuty: r.on_duty === 1,
    location: r.location_lng !== null && r.location_lat !== null ? [r.location_lng, r.location_lat] : null,
    timeLastSeen: r.time_last_seen,
    activeTask: open.activeTask,
    tasks: open.tasks,
    vehicle: r.vehicle_type
      ? {
          id: r.id,
          type: r.vehicle_type as 'CAR',
          description: r.vehicle_description,
          licensePlate: r.vehicle_license_plate,
          color: r.vehicle_color,
        }
      : null,
    capacity: r.capacity,
    routingAddress: r.routing_lng !== null && r.routing_lat !== null ? { location: [r.routing_lng, r.routing_lat], address: r.routing_address ?? '' } : null,
    accountStatus: r.account_status,
    metadata: JSON.parse(r.metadata),
    imageUrl: null,
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
  };
}

async function views(db: Db, rows: repo.WorkerRow[]) {
  const ids = rows.map((r) => r.id);
  const [teams, open] = await Promise.all([repo.teamsOf(db, ids), repo.openTasksOf(db, ids)]);
  return rows.map((r) => toWorker(r, teams.get(r.id) ?? [], open.get(r.id)));
}

async function load(db: Db, organizationId: string, id: string) {
  const row = await repo.findWorker(db, organizationId, id);
  if (!row) throw notFound('Worker', id);
  return row;
}

async function checkTeams(db: Db, organizationId: string, teams: string[]) {
  const found = await existingIds(db, 'teams', organizationId, teams);
  const missing = teams.filter((t) => !found.has(t));
  if (missing.length) throw invalid(`Unknown team(s): ${missing.join(', ')}.`, { field: 'teams', ids: missing });
}

/** Dispatchers (standard admins) manage only drivers of the teams they manage. */
async function checkDispatcherScope(db: Db, u: UserPrincipal, teams: string[]) {
  if (isAdmin(u) || !u.userId) return;
  const managed = (await teamIdsManagedBy(db, [u.userId])).get(u.userId) ?? [];
  const outside = teams.filter((t) => !managed.includes(t));
  if (outside.length) throw forbidden('Dispatchers can manage drivers only in the teams they manage.');
}

async function uniquePhone(db: Db, organizationId: string, phone: string, exceptId?: string) {
  const other = await repo.findWorkerByPhone(db, organizationId, phone);
  if (other && other.id !== exceptId) throw notUnique(`Another driver already has the phone number ${phone}.`, { field: 'phone' });
}

function routingColumns(a: Static<typeof CreateWorkerBody>['routingAddress']) {
  return { routing_lng: a?.location[0] ?? null, routing_lat: a?.location[1] ?? null, routing_address: a ? (a.address ?? '') : null };
}

function vehicleColumns(v: Static<typeof CreateWorkerBody>['vehicle']) {
  return {
    vehicle_type: v?.type ?? null,
    vehicle_description: v?.description ?? null,
    vehicle_license_plate: v?.licensePlate ?? null,
    vehicle_color: v?.color ?? null,
  };
}

export async function listWorkers(ctx: AppContext, p: Principal | null, q: Static<typeof ListWorkersQuery>) {
  const u = authorize(p, { org: 'courier' });
  const teams = q.teams ? q.teams.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const states = q.states ? q.states.split(',').map((s) => Number(s.trim())) : undefined;
  if (states?.some((s) => ![0, 1, 2].includes(s))) throw invalid('states must be a comma-separated list of 0, 1 and 2.', { field: 'states' });
  let onDuty: boolean | undefined;
  if (states && !states.includes(0)) onDuty = true;
  else if (states && states.length === 1 && states[0] === 0) onDuty = false;
  return views(ctx.db, await repo.listWorkers(ctx.db, u.organizationId, { teams, onDuty }));
}

export async function getWorker(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier' });
  const [v] = await views(ctx.db, [await load(ctx.db, u.organizationId, id)]);
  return v;
}

export async function createWorker(ctx: AppContext, p: Principal | null, body: Static<typeof CreateWorkerBody>) {
  const u = authorize(p, { org: 'courier', write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const org = await findOrganization(trx, u.organizationId);
    const phone = normalizePhone(body.phone, org!.country);
    await checkTeams(trx, u.organizationId, body.teams);
    await checkDispatcherScope(trx, u, body.teams);
    await uniquePhone(trx, u.organizationId, phone);
    const now = ctx.now();
    const row: repo.WorkerRow = {
      id: newId(),
      organization_id: u.organizationId,
      name: body.name.trim(),
      phone,
      email: body.email ?? null,
      on_duty: 0,
      location_lng: null,
      location_lat: null,
      time_last_seen: null,
      ...vehicleColumns(body.vehicle),
      capacity: body.capacity ?? 0,
      ...routingColumns(body.routingAddress),
      account_status: 'INVITED',
      metadata: '[]',
      time_created: now,
      time_last_modified: now,
    };
    await repo.insertWorker(trx, row);
    await repo.setWorkerTeams(trx, u.organizationId, row.id, body.teams);
    const view = toWorker(row, body.teams);
    await recordEvent(trx, now, { organizationId: u.organizationId, type: 'worker.created', subjectId: row.id, payload: view });
    await recordAudit(trx, now, actorOf(u), 'worker.created', { type: 'worker', id: row.id }, { name: row.name });
    return view;
  });
}

export async function updateWorker(ctx: AppContext, p: Principal | null, id: string, body: Static<typeof UpdateWorkerBody>) {
  const u = authorize(p, { org: 'courier', write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    const current = (await repo.teamsOf(trx, [id])).get(id) ?? [];
    await checkDispatcherScope(trx, u, current);
    let phone: string | undefined;
    if (body.phone !== undefined) {
      const org = await findOrganization(trx, u.organizationId);
      phone = normalizePhone(body.phone, org!.country);
      await uniquePhone(trx, u.organizationId, phone, id);
    }
    if (body.teams) {
      await checkTeams(trx, u.organizationId, body.teams);
      await checkDispatcherScope(trx, u, body.teams);
      await repo.setWorkerTeams(trx, u.organizationId, id, body.teams);
    }
    const now = ctx.now();
    await repo.updateWorker(trx, u.organizationId, id, {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(body.email !== undefined ? { email: body.email } : {}),
      ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      ...(body.vehicle !== undefined ? vehicleColumns(body.vehicle) : {}),
      ...(body.routingAddress !== undefined ? routingColumns(body.routingAddress) : {}),
      time_last_modified: now,
    });
    void row;
    const [view] = await views(trx, [await load(trx, u.organizationId, id)]);
    await recordEvent(trx, now, { organizationId: u.organizationId, type: 'worker.updated', subjectId: id, payload: view });
    await recordAudit(trx, now, actorOf(u), 'worker.updated', { type: 'worker', id }, body);
    return view;
  });
}

export async function deleteWorker(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', write: true });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    await checkDispatcherScope(trx, u, (await repo.teamsOf(trx, [id])).get(id) ?? []);
    const open = (await repo.openTasksOf(trx, [id])).get(id);
    if (open?.activeTask) {
      throw stateConflict(`${row.name} is working on a task; complete it (or force-complete it) before deleting the driver.`, { activeTask: open.activeTask });
    }
    // Assigned tasks go back to the organization's unassigned tasks rather than vanish with the driver.
    await unassignWorkerTasks(trx, ctx, id, actorOf(u));
    await trx.deleteFrom('sessions').where('worker_id', '=', id).execute();
    await repo.deleteWorker(trx, u.organizationId, id);
    const now = ctx.now();
    await recordEvent(trx, now, { organizationId: u.organizationId, type: 'worker.deleted', subjectId: id, payload: { id } });
    await recordAudit(trx, now, actorOf(u), 'worker.deleted', { type: 'worker', id }, { name: row.name });
  });
}
