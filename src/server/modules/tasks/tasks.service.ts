import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { AppError, invalid, notFound, stateConflict } from '../../lib/errors.ts';
import { newId, newShortId } from '../../lib/ids.ts';
import { recordAudit, recordAudits, subjectHistory, type Actor } from '../audit/audit.service.ts';
import { authorize, type Principal, type UserPrincipal } from '../auth/principal.ts';
import { recordEvent, recordEvents, type DomainEvent } from '../events/events.service.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import { normalizePhone } from '../organization/organization.ts';
import { findTeam } from '../teams/teams.repository.ts';
import { findWorker } from '../workers/workers.repository.ts';
import { TaskState, transition, wouldCycle, type TaskAction, type TaskStateValue } from './task-state.ts';
import * as repo from './tasks.repository.ts';
import type { CompleteTaskInput, CreateTaskInput, UpdateTaskInput } from './tasks.schemas.ts';
import { addressLine, EMPTY_COMPLETION, toTask, type Completion, type StoredDestination, type StoredRecipient, type TaskView } from './tasks.view.ts';

export const TASKS_PAGE = 64;

export type TaskEventType =
  | 'task.created'
  | 'task.updated'
  | 'task.assigned'
  | 'task.unassigned'
  | 'task.started'
  | 'task.completed'
  | 'task.deleted'
  | 'task.cloned';

/** Hooks other modules register to keep derived state (e.g. an order's status) in step, in the same transaction. */
type TaskChangeHook = (db: Db, ctx: AppContext, task: repo.TaskRow, type: TaskEventType) => Promise<void>;
const changeHooks: TaskChangeHook[] = [];
export function onTaskChange(hook: TaskChangeHook) {
  changeHooks.push(hook);
}

export function actorFor(u: UserPrincipal): Actor {
  return { organizationId: u.organizationId, id: u.userId ?? u.apiKeyId, label: u.label };
}

export async function viewTasks(db: Db, ctx: AppContext, rows: repo.TaskRow[]): Promise<TaskView[]> {
  const deps = await repo.dependenciesOf(db, rows.map((r) => r.id));
  return rows.map((r) => toTask(r, deps.get(r.id) ?? [], ctx.config.publicUrl));
}

export async function viewTask(db: Db, ctx: AppContext, row: repo.TaskRow): Promise<TaskView> {
  return (await viewTasks(db, ctx, [row]))[0];
}

/** What a live update says about a task: enough to place it and refresh it, not the whole task. */
export function taskSummary(v: TaskView) {
  return {
    id: v.id,
    shortId: v.shortId,
    state: v.state,
    worker: v.worker,
    container: v.container,
    merchant: v.merchant,
    orderShortId: v.orderShortId,
    pickupTask: v.pickupTask,
    completeBefore: v.completeBefore,
    timeLastModified: v.timeLastModified,
  };
}

function taskEvent(row: repo.TaskRow, type: TaskEventType, view: TaskView, actor: Actor | null, previousWorkerId: string | null = null): DomainEvent {
  return {
    organizationId: row.organization_id,
    type,
    subjectId: row.id,
    payload: { task: view },
    summary: { task: taskSummary(view) },
    merchantId: row.merchant_id !== row.organization_id ? row.merchant_id : null,
    workerId: row.worker_id ?? previousWorkerId,
    actor: actor ? { id: actor.id, type: actor.id && actor.id === row.worker_id ? 'WORKER' : 'ADMIN' } : { id: null, type: 'SYSTEM' },
  };
}

/** Records the event (and the task's history entry) and runs the change hooks, in the caller's transaction. */
export async function taskChanged(
  db: Db,
  ctx: AppContext,
  row: repo.TaskRow,
  type: TaskEventType,
  actor: Actor | null,
  data: unknown = null,
  /** the driver the task was taken from, who must hear about it too */
  previousWorkerId: string | null = null,
) {
  const now = ctx.now();
  const view = await viewTask(db, ctx, row);
  // This instance's cached tracking page goes now; the event ends it (again, and on every
  // instance) once the change is committed.
  ctx.trackingCache.taskChanged(row.id);
  await recordEvent(db, now, taskEvent(row, type, view, actor, previousWorkerId));
  await recordAudit(db, now, actor ?? { organizationId: row.organization_id, id: null, label: 'Baton' }, type, { type: 'task', id: row.id }, data);
  for (const hook of changeHooks) await hook(db, ctx, row, type);
  return view;
}

/**
 * Announces tasks just inserted with `insertNewTasks` (their dependencies are the ones they were
 * inserted with): one insert of their events and one of their history entries, then the hooks.
 */
export async function tasksCreated(
  db: Db,
  ctx: AppContext,
  created: Array<{ row: repo.TaskRow; dependencies: string[] }>,
  actor: Actor,
  /** events of the same change recorded after the tasks' (e.g. their order's) */
  alsoRecord: DomainEvent[] = [],
): Promise<TaskView[]> {
  const now = ctx.now();
  const views = created.map((c) => toTask(c.row, c.dependencies, ctx.config.publicUrl));
  await recordEvents(db, now, [...created.map((c, i) => taskEvent(c.row, 'task.created', views[i], actor)), ...alsoRecord]);
  await recordAudits(db, now, actor, created.map((c) => ({ action: 'task.created', subject: { type: 'task', id: c.row.id } })));
  for (const c of created) for (const hook of changeHooks) await hook(db, ctx, c.row, 'task.created');
  return views;
}

/** `n` distinct short ids no task has (one read for all of them). */
async function uniqueShortIds(db: Db, n: number): Promise<string[]> {
  for (let i = 0; i < 20; i++) {
    const candidates = [...new Set(Array.from({ length: n }, () => newShortId()))];
    if (candidates.length < n) continue;
    if ((await repo.shortIdsTaken(db, candidates)).length === 0) return candidates;
  }
  throw new AppError('internal', 'Could not allocate a short id.');
}

export function checkTimeWindow(after: number | null | undefined, before: number | null | undefined, prefix = '') {
  if (after != null && before != null && after >= before) {
    throw new AppError('timeWindow', 'completeAfter must be earlier than completeBefore.', { field: `${prefix}completeBefore`, completeAfter: after, completeBefore: before });
  }
}

function destinationOf(d: CreateTaskInput['destination'], prefix = ''): { stored: StoredDestination; lng: number | null; lat: number | null; line: string } {
  const a = d.address;
  const address = {
    number: a.number ?? '',
    street: a.street ?? '',
    apartment: a.apartment ?? '',
    city: a.city ?? '',
    state: a.state ?? '',
    postalCode: a.postalCode ?? '',
    country: a.country ?? '',
    name: a.name ?? '',
    unparsed: a.unparsed ?? '',
  };
  const line = addressLine(address);
  if (!line.trim()) throw invalid('The destination needs an address: `unparsed` text or its components (street, city, …).', { field: `${prefix}destination.address` });
  const location = d.location ?? null;
  const warnings = location ? [] : ['The address has no coordinates yet; it is shown without a map position until it is geocoded.'];
  return { stored: { id: newId(), address, notes: d.notes ?? '', warnings }, lng: location?.[0] ?? null, lat: location?.[1] ?? null, line };
}

function recipientsOf(list: CreateTaskInput['recipients'], country: string, field: string): StoredRecipient[] {
  return (list ?? []).map((r, i) => ({
    id: newId(),
    name: r.name.trim(),
    phone: r.phone ? normalizePhone(r.phone, country, `${field}.${i}.phone`) : null,
    email: r.email ?? null,
    notes: r.notes ?? '',
    skipSMSNotifications: !!r.skipSMSNotifications,
  }));
}

export interface Placement {
  container_type: 'ORGANIZATION' | 'TEAM' | 'WORKER';
  container_id: string;
  worker_id: string | null;
  state: TaskStateValue;
}

/** Where a task goes for a container request; refuses ids outside the organization. */
export async function resolveContainer(db: Db, organizationId: string, c: CreateTaskInput['container']): Promise<Placement> {
  if (!c || c.type === 'ORGANIZATION') {
    if (c?.organization && c.organization !== organizationId) throw invalid('container.organization must be your organization.', { field: 'container.organization' });
    return { container_type: 'ORGANIZATION', container_id: organizationId, worker_id: null, state: TaskState.Unassigned };
  }
  if (c.type === 'TEAM') {
    if (!c.team || !(await findTeam(db, organizationId, c.team))) throw invalid(`Unknown team ${c.team ?? '(missing)'}.`, { field: 'container.team' });
    return { container_type: 'TEAM', container_id: c.team, worker_id: null, state: TaskState.Unassigned };
  }
  if (!c.worker || !(await findWorker(db, organizationId, c.worker))) throw invalid(`Unknown worker ${c.worker ?? '(missing)'}.`, { field: 'container.worker' });
  return { container_type: 'WORKER', container_id: c.worker, worker_id: c.worker, state: TaskState.Assigned };
}

async function checkDependencies(db: Db, organizationId: string, taskId: string, deps: string[], isNew = false) {
  if (deps.length === 0) return;
  const found = await repo.findTasksByIds(db, organizationId, deps);
  const missing = deps.filter((d) => !found.some((f) => f.id === d));
  if (missing.length) throw invalid(`Unknown dependency task(s): ${missing.join(', ')}.`, { field: 'dependencies', ids: missing });
  // Nothing can depend on a task that does not exist yet, so a new task cannot close a cycle
  // (except by naming itself, which the unknown-id check above already refused).
  if (isNew) return;
  if (wouldCycle(await repo.dependencyEdgesFrom(db, organizationId, deps), taskId, deps)) {
    throw invalid('These dependencies would form a cycle.', { field: 'dependencies' });
  }
}

export interface NewTaskContext {
  organizationId: string;
  merchantId: string;
  creatorId: string | null;
  country: string;
  orderId?: string;
  orderShortId?: string;
  /** where the task goes when the input names no container */
  defaultPlacement?: Placement;
  /** short ids for the new tasks, one per entry, already found free (else they are allocated here) */
  shortIds?: string[];
  now: number;
}

/** Validates and inserts one task (without events); returns its row. */
export async function insertNewTask(db: Db, input: CreateTaskInput, t: NewTaskContext, field = 'task'): Promise<repo.TaskRow> {
  return (await insertNewTasks(db, [{ input, field }], t))[0];
}

/**
 * Validates and inserts new tasks in one insert (without events); returns their rows in the same
 * order. An entry may depend on an earlier one of the same call (`dependsOnIndex`).
 */
export async function insertNewTasks(db: Db, entries: Array<{ input: CreateTaskInput; field?: string; dependsOnIndex?: number[] }>, t: NewTaskContext): Promise<repo.TaskRow[]> {
  const shortIds = t.shortIds?.length === entries.length ? t.shortIds : await uniqueShortIds(db, entries.length);
  const rows: repo.TaskRow[] = [];
  const deps: Array<{ task_id: string; depends_on_id: string }> = [];
  for (const [i, { input, field = 'task', dependsOnIndex = [] }] of entries.entries()) {
    const prefix = field === 'task' ? '' : `${field}.`;
    checkTimeWindow(input.completeAfter, input.completeBefore, prefix);
    const dest = destinationOf(input.destination, prefix);
    const recipients = recipientsOf(input.recipients, t.country, `${field}.recipients`);
    const placement = input.container ? await resolveContainer(db, t.organizationId, input.container) : (t.defaultPlacement ?? (await resolveContainer(db, t.organizationId, undefined)));
    const id = newId();
    await checkDependencies(db, t.organizationId, id, input.dependencies ?? [], true);
    const dependsOn = [...(input.dependencies ?? []), ...dependsOnIndex.map((k) => rows[k].id)];
    for (const d of dependsOn) deps.push({ task_id: id, depends_on_id: d });
    rows.push({
      id,
      short_id: shortIds[i],
      organization_id: t.organizationId,
      merchant_id: t.merchantId,
      executor_id: t.organizationId,
      creator_id: t.creatorId,
      order_id: t.orderId ?? null,
      order_short_id: t.orderShortId ?? null,
      pickup_task: input.pickupTask ? 1 : 0,
      state: placement.state,
      container_type: placement.container_type,
      container_id: placement.container_id,
      worker_id: placement.worker_id,
      worker_position: placement.worker_id ? (await repo.nextWorkerPosition(db, placement.worker_id)) + rows.filter((r) => r.worker_id === placement.worker_id).length : null,
      complete_after: input.completeAfter ?? null,
      complete_before: input.completeBefore ?? null,
      destination: JSON.stringify(dest.stored),
      location_lng: dest.lng,
      location_lat: dest.lat,
      address_text: dest.line.slice(0, 600),
      recipients: JSON.stringify(recipients),
      recipient_name: recipients[0]?.name ?? null,
      notes: input.notes ?? '',
      quantity: input.quantity ?? 0,
      service_time: input.serviceTime ?? 0,
      metadata: JSON.stringify(input.metadata ?? []),
      requirements: JSON.stringify(input.requirements ?? {}),
      completion: null,
      completion_success: null,
      feedback: '[]',
      tracking_viewed: 0,
      eta: null,
      time_started: null,
      time_completed: null,
      time_created: t.now,
      time_last_modified: t.now,
      geocode_attempts: 0,
      geocode_next_at: dest.lng === null ? t.now : null,
    });
  }
  await repo.insertTasksWithDependencies(db, rows, deps);
  return rows;
}

/** Loads a task the caller may see: the courier's own tasks, or a client's own orders' tasks. */
export async function loadVisibleTask(db: Db, p: Principal | null, id: string): Promise<repo.TaskRow> {
  if (p?.kind === 'driver') {
    // A driver reads the tasks assigned to it, including ones it has completed.
    const row = await repo.findTask(db, p.organizationId, id);
    if (!row || row.worker_id !== p.workerId) throw notFound('Task', id);
    return row;
  }
  const u = authorize(p);
  const row = u.orgKind === 'courier' ? await repo.findTask(db, u.organizationId, id) : await repo.findTaskById(db, id);
  if (!row || (u.orgKind === 'client' && row.merchant_id !== u.organizationId)) throw notFound('Task', id);
  return row;
}

async function loadCourierTask(db: Db, u: UserPrincipal, id: string) {
  const row = await repo.findTask(db, u.organizationId, id);
  if (!row) throw notFound('Task', id);
  return row;
}

export function must(state: number, action: TaskAction): TaskStateValue {
  const r = transition(state as TaskStateValue, action);
  if (!r.ok) throw stateConflict(r.reason, { state });
  return r.state;
}

export async function createTask(ctx: AppContext, p: Principal | null, input: CreateTaskInput) {
  const u = authorize(p, { org: 'courier', write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const org = await findOrganization(trx, u.organizationId);
    const row = await insertNewTask(trx, input, {
      organizationId: u.organizationId,
      merchantId: u.organizationId,
      creatorId: u.userId ?? u.apiKeyId,
      country: org!.country,
      now: ctx.now(),
    });
    return taskChanged(trx, ctx, row, 'task.created', actorFor(u));
  });
}

export async function getTask(ctx: AppContext, p: Principal | null, id: string) {
  return viewTask(ctx.db, ctx, await loadVisibleTask(ctx.db, p, id));
}

/** The courier's view of everything that happened to a task: who created, assigned, started, completed it. */
export async function taskHistory(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier' });
  const row = await loadCourierTask(ctx.db, u, id);
  return { entries: await subjectHistory(ctx.db, row.id) };
}

export async function getTaskByShortId(ctx: AppContext, p: Principal | null, shortId: string) {
  const u = authorize(p);
  const orgId = u.orgKind === 'courier' ? u.organizationId : (await findOrganization(ctx.db, u.organizationId))?.courier_id;
  const row = orgId ? await repo.findTaskByShortId(ctx.db, orgId, shortId) : undefined;
  if (!row || (u.orgKind === 'client' && row.merchant_id !== u.organizationId)) throw notFound('Task', shortId);
  return viewTask(ctx.db, ctx, row);
}

export async function listTasks(
  ctx: AppContext,
  p: Principal | null,
  q: { from?: number; to?: number; state?: string; worker?: string; team?: string; merchant?: string; lastId?: string },
) {
  const u = authorize(p);
  const scope = u.orgKind === 'courier' ? { organizationId: u.organizationId } : { merchantId: u.organizationId };
  let after: { time: number; id: string } | undefined;
  if (q.lastId) {
    const last = await repo.findTaskById(ctx.db, q.lastId);
    const visible = last && (u.orgKind === 'courier' ? last.organization_id === u.organizationId : last.merchant_id === u.organizationId);
    if (!visible) throw invalid('lastId does not name one of your tasks.', { field: 'lastId' });
    after = { time: last!.time_created, id: last!.id };
  }
  const rows = await repo.listTasks(ctx.db, {
    ...scope,
    from: q.from ?? 0,
    to: q.to,
    states: q.state ? q.state.split(',').map(Number) : undefined,
    workerId: q.worker,
    teamId: q.team,
    merchantFilter: u.orgKind === 'courier' ? q.merchant : undefined,
    after,
    limit: TASKS_PAGE + 1,
  });
  const page = rows.slice(0, TASKS_PAGE);
  const tasks = page.map((r) => toTask(r, r.dependency_ids ? r.dependency_ids.split(',') : [], ctx.config.publicUrl));
  return { tasks, ...(rows.length > TASKS_PAGE ? { lastId: page[page.length - 1].id } : {}) };
}

/** Moves a task to a container (worker, team or organization), applying the state machine. */
export async function placeTask(db: Db, row: repo.TaskRow, target: Placement): Promise<repo.TaskRow> {
  const action: TaskAction = target.worker_id ? { type: 'assignWorker' } : { type: 'assignContainer' };
  const state = must(row.state, action);
  const samePlace = row.container_type === target.container_type && row.container_id === target.container_id;
  const patch = {
    state,
    container_type: target.container_type,
    container_id: target.container_id,
    worker_id: target.worker_id,
    worker_position: target.worker_id ? (samePlace ? row.worker_position : await repo.nextWorkerPosition(db, target.worker_id)) : null,
  };
  await repo.updateTask(db, row.id, patch);
  return { ...row, ...patch };
}

/**
 * Assigns a task to a driver, at the end of its list, as every assignment does: the state machine, the
 * event (live updates, webhooks), the task's history, the tracking cache and the change hooks, in the
 * caller's transaction. Auto-assignment and route optimisation assign through this.
 */
export async function assignTaskToWorker(db: Db, ctx: AppContext, row: repo.TaskRow, workerId: string, actor: Actor | null, data: unknown = null) {
  const before = row.worker_id;
  const moved = await placeTask(db, row, { container_type: 'WORKER', container_id: workerId, worker_id: workerId, state: TaskState.Assigned });
  const now = ctx.now();
  await repo.updateTask(db, row.id, { time_last_modified: now });
  return taskChanged(db, ctx, { ...moved, time_last_modified: now }, 'task.assigned', actor, data, before && before !== workerId ? before : null);
}

export async function updateTask(ctx: AppContext, p: Principal | null, id: string, input: UpdateTaskInput) {
  const u = authorize(p, { org: 'courier', write: true });
  return ctx.db.transaction().execute(async (trx) => {
    let row = await loadCourierTask(trx, u, id);
    must(row.state, { type: 'update' });
    const org = await findOrganization(trx, u.organizationId);
    const now = ctx.now();
    const patch: Partial<repo.TaskRow> = { time_last_modified: now };
    const after = input.completeAfter !== undefined ? input.completeAfter : row.complete_after;
    const before = input.completeBefore !== undefined ? input.completeBefore : row.complete_before;
    checkTimeWindow(after, before);
    patch.complete_after = after;
    patch.complete_before = before;
    if (input.destination) {
      const d = destinationOf(input.destination);
      Object.assign(patch, {
        destination: JSON.stringify(d.stored),
        location_lng: d.lng,
        location_lat: d.lat,
        address_text: d.line.slice(0, 600),
        geocode_attempts: 0,
        geocode_next_at: d.lng === null ? now : null,
      });
    }
    if (input.recipients) {
      const r = recipientsOf(input.recipients, org!.country, 'recipients');
      Object.assign(patch, { recipients: JSON.stringify(r), recipient_name: r[0]?.name ?? null });
    }
    if (input.notes !== undefined) patch.notes = input.notes;
    if (input.pickupTask !== undefined) patch.pickup_task = input.pickupTask ? 1 : 0;
    if (input.quantity !== undefined) patch.quantity = input.quantity;
    if (input.serviceTime !== undefined) patch.service_time = input.serviceTime;
    if (input.metadata !== undefined) patch.metadata = JSON.stringify(input.metadata);
    if (input.requirements !== undefined) patch.requirements = JSON.stringify(input.requirements);
    if (input.dependencies !== undefined) {
      await checkDependencies(trx, u.organizationId, id, input.dependencies);
      await repo.setDependencies(trx, id, input.dependencies);
    }
    await repo.updateTask(trx, id, patch);
    row = { ...row, ...patch };
    let type: TaskEventType = 'task.updated';
    const beforeWorker = row.worker_id;
    if (input.container) {
      const before = row.worker_id;
      row = await placeTask(trx, row, await resolveContainer(trx, u.organizationId, input.container));
      if (row.worker_id && row.worker_id !== before) type = 'task.assigned';
      else if (!row.worker_id && before) type = 'task.unassigned';
    }
    return taskChanged(trx, ctx, row, type, actorFor(u), input, type === 'task.unassigned' ? beforeWorker : null);
  });
}

export async function deleteTask(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', write: true });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await loadCourierTask(trx, u, id);
    must(row.state, { type: 'delete' });
    if (row.order_id) {
      throw stateConflict(`This task belongs to order ${row.order_short_id}; reject the order instead, so its client is told.`, { order: row.order_short_id });
    }
    const dependents = await repo.dependentsOf(trx, id);
    if (dependents.length) throw stateConflict('Other tasks depend on this one; remove those dependencies first.', { dependents });
    const view = await viewTask(trx, ctx, row);
    await repo.deleteTask(trx, id);
    const now = ctx.now();
    await recordEvent(trx, now, { organizationId: row.organization_id, type: 'task.deleted', subjectId: id, payload: { task: view }, summary: { task: taskSummary(view) }, workerId: row.worker_id });
    await recordAudit(trx, now, actorFor(u), 'task.deleted', { type: 'task', id });
  });
}

/** A new unassigned copy for another attempt. Cloning an order's task makes the copy the order's current task. */
export async function cloneTask(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const src = await loadCourierTask(trx, u, id);
    must(src.state, { type: 'clone' });
    const now = ctx.now();
    const copy: repo.TaskRow = {
      ...src,
      id: newId(),
      short_id: (await uniqueShortIds(trx, 1))[0],
      creator_id: u.userId ?? u.apiKeyId,
      state: TaskState.Unassigned,
      container_type: 'ORGANIZATION',
      container_id: u.organizationId,
      worker_id: null,
      worker_position: null,
      completion: null,
      completion_success: null,
      feedback: '[]',
      tracking_viewed: 0,
      eta: null,
      time_started: null,
      time_completed: null,
      time_created: now,
      time_last_modified: now,
    };
    await repo.insertTasks(trx, [copy]);
    const deps = (await repo.dependenciesOf(trx, [src.id])).get(src.id) ?? [];
    await repo.setDependencies(trx, copy.id, deps);
    if (src.order_id) {
      const col = src.pickup_task ? 'pickup_task_id' : 'dropoff_task_id';
      await trx.updateTable('orders').set({ [col]: copy.id, time_last_modified: now }).where('id', '=', src.order_id).where(col, '=', src.id).execute();
      if (src.pickup_task) {
        // the order's dropoff now waits for the new pickup
        await trx.updateTable('task_dependencies').set({ depends_on_id: copy.id }).where('depends_on_id', '=', src.id).execute();
      }
    }
    return taskChanged(trx, ctx, copy, 'task.cloned', actorFor(u), { from: src.id });
  });
}

async function dependenciesSucceeded(db: Db, taskId: string) {
  const deps = (await repo.dependenciesOf(db, [taskId])).get(taskId) ?? [];
  if (deps.length === 0) return true;
  const rows = await db.selectFrom('tasks').select(['state', 'completion_success']).where('id', 'in', deps).execute();
  return rows.length === deps.length && rows.every((r) => r.state === TaskState.Completed && r.completion_success === 1);
}

export interface CompletionBy {
  by: 'worker' | 'dispatcher';
  workerId: string | null;
  actor: Actor;
  location?: [number, number] | null;
}

async function checkUploads(db: Db, organizationId: string, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await db.selectFrom('uploads').select('id').where('organization_id', '=', organizationId).where('id', 'in', ids).execute();
  const missing = ids.filter((i) => !rows.some((r) => r.id === i));
  if (missing.length) throw invalid(`Unknown upload(s): ${missing.join(', ')}.`, { field: 'completionDetails', ids: missing });
}

export async function completeTaskAs(db: Db, ctx: AppContext, row: repo.TaskRow, input: CompleteTaskInput, by: CompletionBy) {
  must(row.state, {
    type: 'complete',
    by: by.by,
    byAssignedWorker: !!by.workerId && by.workerId === row.worker_id,
    dependenciesSucceeded: await dependenciesSucceeded(db, row.id),
  });
  const requirements = JSON.parse(row.requirements) as { signature?: boolean; photo?: boolean; notes?: boolean };
  const photos = [...(input.photoUploadIds ?? []), ...(input.photoUploadId ? [input.photoUploadId] : [])];
  if (input.success && by.by === 'worker') {
    const missing = [
      requirements.photo && photos.length === 0 ? 'a photo' : null,
      requirements.signature && !input.signatureUploadId ? 'a signature' : null,
      requirements.notes && !input.notes?.trim() ? 'notes' : null,
    ].filter(Boolean);
    if (missing.length) throw invalid(`This task needs ${missing.join(' and ')} to be completed.`, { field: 'completionDetails', missing });
  }
  await checkUploads(db, row.organization_id, [...photos, ...(input.signatureUploadId ? [input.signatureUploadId] : [])]);
  const now = ctx.now();
  const prior = row.completion ? (JSON.parse(row.completion) as Completion) : EMPTY_COMPLETION;
  const completion: Completion = {
    success: input.success,
    time: now,
    notes: input.notes ?? '',
    failureReason: input.success ? 'NONE' : (input.failureReason ?? 'OTHER'),
    events: [...prior.events, { name: input.success ? 'complete' : 'fail', time: now, location: by.location ?? null }],
    photoUploadIds: photos,
    photoUploadId: photos[0] ?? null,
    signatureUploadId: input.signatureUploadId ?? null,
  };
  const patch = {
    state: TaskState.Completed,
    completion: JSON.stringify(completion),
    completion_success: (input.success ? 1 : 0) as 0 | 1,
    time_completed: now,
    time_last_modified: now,
  };
  await repo.updateTask(db, row.id, patch);
  return taskChanged(db, ctx, { ...row, ...patch }, 'task.completed', by.actor, { success: input.success, by: by.by });
}

/** Force-complete by a dispatcher (Onfleet's POST /tasks/:id/complete with an API key or dashboard session). */
export async function forceComplete(ctx: AppContext, p: Principal | null, id: string, input: CompleteTaskInput) {
  if (p?.kind === 'driver') {
    const { completeAsDriver } = await import('../driver/driver.service.ts');
    return completeAsDriver(ctx, p, id, input);
  }
  const u = authorize(p, { org: 'courier', write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadCourierTask(trx, u, id);
    return completeTaskAs(trx, ctx, row, input, { by: 'dispatcher', workerId: null, actor: actorFor(u) });
  });
}

export async function startTaskAs(db: Db, ctx: AppContext, row: repo.TaskRow, worker: { id: string; onDuty: boolean; location: [number, number] | null }, actor: Actor) {
  const other = (await repo.workerTasks(db, worker.id)).find((t) => t.state === TaskState.Active && t.id !== row.id);
  if (other && row.state === TaskState.Assigned) {
    throw stateConflict(`Finish your active task (${other.short_id}) before starting another.`, { activeTask: other.id });
  }
  must(row.state, {
    type: 'start',
    byAssignedWorker: row.worker_id === worker.id,
    workerOnDuty: worker.onDuty,
    dependenciesSucceeded: await dependenciesSucceeded(db, row.id),
  });
  const now = ctx.now();
  const completion: Completion = { ...EMPTY_COMPLETION, events: [{ name: 'start', time: now, location: worker.location }] };
  const patch = { state: TaskState.Active, time_started: now, time_last_modified: now, completion: JSON.stringify(completion) };
  await repo.updateTask(db, row.id, patch);
  return taskChanged(db, ctx, { ...row, ...patch }, 'task.started', actor);
}

/** Sends a driver's assigned (not started) tasks back to the organization, unassigned. */
export async function unassignWorkerTasks(db: Db, ctx: AppContext, workerId: string, actor: Actor) {
  const rows = await db.selectFrom('tasks').selectAll().where('worker_id', '=', workerId).where('state', '=', TaskState.Assigned).execute();
  for (const row of rows) {
    const moved = await placeTask(db, row, { container_type: 'ORGANIZATION', container_id: row.organization_id, worker_id: null, state: TaskState.Unassigned });
    await repo.updateTask(db, row.id, { time_last_modified: ctx.now() });
    await taskChanged(db, ctx, moved, 'task.unassigned', actor, { reason: 'driver deleted' }, workerId);
  }
}
