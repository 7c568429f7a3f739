import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { AppError, forbidden, invalid, notFound, stateConflict } from '../../lib/errors.ts';
import { newId, newShortId } from '../../lib/ids.ts';
import { recordAudit, type Actor } from '../audit/audit.service.ts';
import { authorize, type Principal, type UserPrincipal } from '../auth/principal.ts';
import { findClientWithCourier, type ClientOf, type ClientRow } from '../clients/clients.repository.ts';
import { recordEvent, type DomainEvent } from '../events/events.service.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import { TaskState } from '../tasks/task-state.ts';
import * as tasksRepo from '../tasks/tasks.repository.ts';
import type { CreateTaskInput } from '../tasks/tasks.schemas.ts';
import { checkTimeWindow, insertNewTasks, must, onTaskChange, taskChanged, tasksCreated, viewTasks } from '../tasks/tasks.service.ts';
import { addressLine, EMPTY_COMPLETION, type Completion, type StoredDestination, type StoredRecipient, type TaskView } from '../tasks/tasks.view.ts';
import { deriveOrderStatus, orderEditable, type OrderStatus } from './order-status.ts';
import * as repo from './orders.repository.ts';
import type { CreateOrderInput, UpdateOrderInput } from './orders.schemas.ts';
import { normalizePhone } from '../organization/organization.ts';

export interface OrderView {
  id: string;
  shortId: string;
  client: string;
  clientName: string;
  merchant: string;
  status: OrderStatus;
  pickupTask: TaskView;
  dropoffTask: TaskView;
  metadata: unknown[];
  rejection: { reasons: string[]; time: number } | null;
  trackingURL: string;
  timeCreated: number;
  timeLastModified: number;
}

const actorOf = (u: UserPrincipal): Actor => ({ organizationId: u.organizationId, id: u.userId ?? u.apiKeyId, label: u.label });

async function views(db: Db, ctx: AppContext, rows: repo.OrderRow[]): Promise<OrderView[]> {
  if (rows.length === 0) return [];
  const taskIds = rows.flatMap((r) => [r.pickup_task_id, r.dropoff_task_id]);
  const tasks = await db.selectFrom('tasks').selectAll().where('id', 'in', taskIds).execute();
  const tv = new Map((await viewTasks(db, ctx, tasks)).map((t) => [t.id, t]));
  const clientIds = [...new Set(rows.map((r) => r.client_id))];
  const clients = await db.selectFrom('clients').select(['id', 'name']).where('id', 'in', clientIds).execute();
  const names = new Map(clients.map((c) => [c.id, c.name]));
  return rows.map((r) => orderView(r, tv.get(r.pickup_task_id)!, tv.get(r.dropoff_task_id)!, names.get(r.client_id) ?? ''));
}

function orderView(r: repo.OrderRow, pickupTask: TaskView, dropoffTask: TaskView, clientName: string): OrderView {
  const rejection = r.rejection ? (JSON.parse(r.rejection) as { reasons: string[]; time: number }) : null;
  return {
    id: r.id,
    shortId: r.short_id,
    client: r.client_id,
    clientName,
    merchant: r.client_org_id,
    status: r.status as OrderStatus,
    pickupTask,
    dropoffTask,
    metadata: JSON.parse(r.metadata) as unknown[],
    rejection: rejection ? { reasons: rejection.reasons, time: rejection.time } : null,
    trackingURL: dropoffTask.trackingURL,
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
  };
}

/** Short ids a new order and its two tasks could have (the tasks' distinct). */
function candidateShortIds(): { order: string; tasks: [string, string] } {
  for (;;) {
    const tasks: [string, string] = [newShortId(), newShortId()];
    if (tasks[0] !== tasks[1]) return { order: newShortId(), tasks };
  }
}

/** Free short ids for a new order (unique among its courier's orders) and its two tasks (unique among all tasks), in one read. */
async function newOrderShortIds(db: Db, courierId: string): Promise<{ order: string; tasks: [string, string] }> {
  for (let i = 0; i < 20; i++) {
    const ids = candidateShortIds();
    if ((await repo.orderShortIdsTaken(db, courierId, ids.order, ids.tasks)).length === 0) return ids;
  }
  throw new AppError('internal', 'Could not allocate an order id.');
}

/**
 * Whose order: a client creates for itself; a courier must name one of its clients. (With the
 * courier's country, and — given `candidates` — whether any of those short ids is taken, in the same read.)
 */
export async function resolveClient(
  db: Db,
  u: UserPrincipal,
  clientId: string | undefined,
  candidates?: { order: string; tasks: string[] },
): Promise<ClientRow & { courier_country: string; short_ids_taken?: boolean }> {
  const read = (by: ClientOf) => (candidates ? repo.findClientForOrder(db, by, candidates) : findClientWithCourier(db, by));
  if (u.orgKind === 'client') {
    if (clientId) throw invalid('A client creates orders for itself; leave out `client`.', { field: 'client' });
    const c = await read({ organizationId: u.organizationId });
    if (!c || c.status !== 'active') throw forbidden('Your client account is not active.');
    return c;
  }
  if (!clientId) throw invalid('Name the client this order is for (`client`).', { field: 'client' });
  const c = await read({ courierId: u.organizationId, id: clientId });
  if (!c) throw invalid(`Unknown client ${clientId}.`, { field: 'client' });
  if (c.status !== 'active' || !c.organization_id) throw stateConflict('Orders can be created only for clients who have accepted their invitation.', { status: c.status });
  return c;
}

function searchText(shortId: string, tasks: Array<{ address_text: string; recipients: string }>) {
  const parts = [shortId];
  for (const t of tasks) {
    parts.push(t.address_text);
    for (const r of JSON.parse(t.recipients) as StoredRecipient[]) parts.push(r.name, r.phone ?? '', r.email ?? '');
  }
  return parts.filter(Boolean).join(' | ').toLowerCase();
}

export async function createOrder(ctx: AppContext, p: Principal | null, body: CreateOrderInput) {
  const u = authorize(p, { write: true });
  return ctx.db.transaction().execute((trx) => createOrderIn(trx, ctx, u, body));
}

/**
 * Creates an order and its two tasks in the caller's transaction (imports add their own rows to
 * it, and a dry run rolls it back). Either all of it exists afterwards or none of it.
 */
export async function createOrderIn(trx: Db, ctx: AppContext, u: UserPrincipal, body: CreateOrderInput) {
  const candidates = candidateShortIds();
  const client = await resolveClient(trx, u, body.client, candidates);
  const courier = { id: client.courier_id, country: client.courier_country };
  const now = ctx.now();
  const orderId = newId();
  const shortIds = client.short_ids_taken ? await newOrderShortIds(trx, courier.id) : candidates;
  const shortId = shortIds.order;
  const team = client.auto_assign_team_id;
  const placement = team
    ? { container_type: 'TEAM' as const, container_id: team, worker_id: null, state: TaskState.Unassigned }
    : { container_type: 'ORGANIZATION' as const, container_id: courier.id, worker_id: null, state: TaskState.Unassigned };
  const base = { organizationId: courier.id, merchantId: client.organization_id!, creatorId: u.userId ?? u.apiKeyId, country: courier.country, orderId, orderShortId: shortId, shortIds: shortIds.tasks, defaultPlacement: placement, now };
  const toTaskInput = (t: CreateOrderInput['pickupTask'], pickup: boolean, deps: string[]): CreateTaskInput => ({
    destination: t.destination,
    recipients: t.recipient ? [t.recipient] : [],
    notes: t.notes,
    completeAfter: t.completeAfter,
    completeBefore: t.completeBefore,
    quantity: t.quantity,
    serviceTime: t.serviceTime,
    pickupTask: pickup,
    dependencies: deps,
  });
  // Both tasks in one insert; the dropoff depends on the pickup.
  const [pickup, dropoff] = await insertNewTasks(
    trx,
    [
      { input: toTaskInput(body.pickupTask, true, []), field: 'pickupTask' },
      { input: toTaskInput(body.dropoffTask, false, []), field: 'dropoffTask', dependsOnIndex: [0] },
    ],
    base,
  );
  const order: repo.OrderRow = {
    id: orderId,
    short_id: shortId,
    courier_id: courier.id,
    client_id: client.id,
    client_org_id: client.organization_id!,
    pickup_task_id: pickup.id,
    dropoff_task_id: dropoff.id,
    status: 'unassigned',
    metadata: JSON.stringify(body.metadata ?? []),
    search_text: searchText(shortId, [pickup, dropoff]),
    rejection: null,
    created_by: u.userId ?? u.apiKeyId,
    time_created: now,
    time_last_modified: now,
  };
  await repo.insertOrder(trx, order);
  const [pickupView, dropoffView] = await tasksCreated(
    trx,
    ctx,
    [
      { row: pickup, dependencies: [] },
      { row: dropoff, dependencies: [pickup.id] },
    ],
    { ...actorOf(u), organizationId: courier.id },
    [orderEventOf(order, 'order.created')],
  );
  return orderView(order, pickupView, dropoffView, client.name);
}

function orderEventOf(order: repo.OrderRow, type: string): DomainEvent {
  return {
    organizationId: order.courier_id,
    type,
    subjectId: order.id,
    payload: { order: { id: order.id, shortId: order.short_id, status: order.status, client: order.client_id } },
    merchantId: order.client_org_id,
  };
}

async function orderEvent(db: Db, ctx: AppContext, order: repo.OrderRow, type: string) {
  await recordEvent(db, ctx.now(), orderEventOf(order, type));
}

/**
 * Keeps an order's stored status equal to what its tasks say (runs in the task change's transaction).
 * A task is created with its order, whose status the order service sets itself; an edit
 * (`task.updated`) changes none of what the status is made of (state, driver, completion).
 */
onTaskChange(async (db, ctx, task, type) => {
  if (!task.order_id || type === 'task.created' || type === 'task.updated') return;
  const order = await repo.findOrder(db, task.order_id);
  if (!order) return;
  const status = await computeStatus(db, order);
  if (status !== order.status) {
    await repo.updateOrder(db, order.id, { status, time_last_modified: ctx.now() });
    await orderEvent(db, ctx, { ...order, status }, 'order.updated');
  }
});

async function computeStatus(db: Db, order: repo.OrderRow): Promise<OrderStatus> {
  const rows = await db.selectFrom('tasks').select(['id', 'state', 'completion_success', 'worker_id', 'completion']).where('id', 'in', [order.pickup_task_id, order.dropoff_task_id]).execute();
  const t = (id: string) => {
    const r = rows.find((x) => x.id === id)!;
    return { state: r.state, success: r.completion_success === null ? null : r.completion_success === 1, hasWorker: !!r.worker_id };
  };
  const decision = order.status === 'cancelled' || order.status === 'rejected' ? order.status : null;
  return deriveOrderStatus(t(order.pickup_task_id), t(order.dropoff_task_id), decision);
}

/** Loads an order the caller may see: a client its own, a courier any of its clients'. */
async function loadVisible(db: Db, u: UserPrincipal, shortId: string) {
  let order: repo.OrderRow | undefined;
  if (u.orgKind === 'courier') order = await repo.findOrderByShortId(db, u.organizationId, shortId);
  else {
    const org = await findOrganization(db, u.organizationId);
    order = org?.courier_id ? await repo.findOrderByShortId(db, org.courier_id, shortId) : undefined;
    if (order && order.client_org_id !== u.organizationId) order = undefined;
  }
  if (!order) throw notFound('Order', shortId);
  return order;
}

export async function getOrder(ctx: AppContext, p: Principal | null, shortId: string) {
  const u = authorize(p);
  return (await views(ctx.db, ctx, [await loadVisible(ctx.db, u, shortId)]))[0];
}

export async function listOrders(
  ctx: AppContext,
  p: Principal | null,
  q: { status?: string; q?: string; from?: number; to?: number; client?: string; sort?: 'asc' | 'desc'; lastId?: string; limit?: number },
) {
  const u = authorize(p);
  const limit = q.limit ?? 50;
  const statuses = q.status ? q.status.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const known = ['unassigned', 'assigned', 'in_progress', 'completed', 'failed', 'cancelled', 'rejected'];
  const unknown = statuses?.filter((s) => !known.includes(s));
  if (unknown?.length) throw invalid(`Unknown status ${unknown.join(', ')}; use ${known.join(', ')}.`, { field: 'status' });
  const scope = u.orgKind === 'courier' ? { courierId: u.organizationId, clientId: q.client } : { clientOrgId: u.organizationId };
  let after: { time: number; id: string } | undefined;
  if (q.lastId) {
    const last = await repo.findOrder(ctx.db, q.lastId);
    const visible = last && (u.orgKind === 'courier' ? last.courier_id === u.organizationId : last.client_org_id === u.organizationId);
    if (!visible) throw invalid('lastId does not name one of your orders.', { field: 'lastId' });
    after = { time: last!.time_created, id: last!.id };
  }
  const rows = await repo.listOrders(ctx.db, { ...scope, statuses, q: q.q?.trim() || undefined, from: q.from, to: q.to, after, direction: q.sort ?? 'desc', limit: limit + 1 });
  const page = rows.slice(0, limit);
  const orders = await views(ctx.db, ctx, page);
  return { orders, ...(rows.length > limit ? { lastId: page[page.length - 1].id } : {}) };
}

function patchDestination(current: StoredDestination, d: NonNullable<UpdateOrderInput['pickupTask']>['destination']) {
  if (!d) return null;
  const address = { ...{ number: '', street: '', apartment: '', city: '', state: '', postalCode: '', country: '', name: '', unparsed: '' }, ...d.address };
  const line = addressLine(address);
  if (!line.trim()) throw invalid('The destination needs an address.', { field: 'destination.address' });
  const location = d.location ?? null;
  return {
    destination: JSON.stringify({ ...current, address, notes: d.notes ?? current.notes, warnings: location ? [] : current.warnings.length ? current.warnings : ['The address has no coordinates yet; it is shown without a map position until it is geocoded.'] }),
    location_lng: location?.[0] ?? null,
    location_lat: location?.[1] ?? null,
    address_text: line.slice(0, 600),
    geocode_attempts: 0,
    geocode_next_at: location ? null : Date.now(),
  };
}

export async function updateOrder(ctx: AppContext, p: Principal | null, shortId: string, body: UpdateOrderInput) {
  const u = authorize(p, { write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const order = await loadVisible(trx, u, shortId);
    if (!orderEditable(order.status as OrderStatus)) {
      throw stateConflict(`This order is ${order.status.replace('_', ' ')}; it can be changed only until its pickup starts.`, { status: order.status });
    }
    const courier = await findOrganization(trx, order.courier_id);
    const now = ctx.now();
    const changed: repo.OrderRow[] = [];
    const tasks: Array<tasksRepo.TaskRow> = [];
    for (const [key, id] of [['pickupTask', order.pickup_task_id], ['dropoffTask', order.dropoff_task_id]] as const) {
      const row = (await tasksRepo.findTaskById(trx, id))!;
      const patch = body[key];
      if (!patch) {
        tasks.push(row);
        continue;
      }
      must(row.state, { type: 'update' });
      const after = patch.completeAfter !== undefined ? patch.completeAfter : row.complete_after;
      const before = patch.completeBefore !== undefined ? patch.completeBefore : row.complete_before;
      checkTimeWindow(after, before);
      const update: Partial<tasksRepo.TaskRow> = { complete_after: after, complete_before: before, time_last_modified: now };
      Object.assign(update, patchDestination(JSON.parse(row.destination), patch.destination) ?? {});
      if (patch.recipient) {
        const r = patch.recipient;
        const rec: StoredRecipient = {
          id: newId(),
          name: r.name.trim(),
          phone: r.phone ? normalizePhone(r.phone, courier!.country, `${key}.recipient.phone`) : null,
          email: r.email ?? null,
          notes: r.notes ?? '',
          skipSMSNotifications: !!r.skipSMSNotifications,
        };
        Object.assign(update, { recipients: JSON.stringify([rec]), recipient_name: rec.name });
      }
      if (patch.notes !== undefined) update.notes = patch.notes;
      if (patch.quantity !== undefined) update.quantity = patch.quantity;
      if (patch.serviceTime !== undefined) update.service_time = patch.serviceTime;
      await tasksRepo.updateTask(trx, id, update);
      const next = { ...row, ...update };
      tasks.push(next);
      await taskChanged(trx, ctx, next, 'task.updated', actorOf(u), { order: shortId });
    }
    const orderPatch = {
      time_last_modified: now,
      search_text: searchText(order.short_id, tasks),
      ...(body.metadata !== undefined ? { metadata: JSON.stringify(body.metadata) } : {}),
    };
    await repo.updateOrder(trx, order.id, orderPatch);
    const updated = { ...order, ...orderPatch };
    changed.push(updated);
    await orderEvent(trx, ctx, updated, 'order.updated');
    return (await views(trx, ctx, [updated]))[0];
  });
}

/** Ends an order's open tasks as failed with the given reason, recording the decision on the order. */
async function endOrder(db: Db, ctx: AppContext, order: repo.OrderRow, decision: 'cancelled' | 'rejected', reason: string, actor: Actor, rejection: unknown = null) {
  const now = ctx.now();
  const status = order.status as OrderStatus;
  if (!orderEditable(status)) {
    throw stateConflict(
      status === 'cancelled' || status === 'rejected' ? `This order is already ${status}.` : `This order is ${status.replace('_', ' ')}: its pickup has started.`,
      { status },
    );
  }
  await repo.updateOrder(db, order.id, { status: decision, rejection: rejection ? JSON.stringify(rejection) : null, time_last_modified: now });
  const updated = { ...order, status: decision, rejection: rejection ? JSON.stringify(rejection) : null };
  for (const id of [order.pickup_task_id, order.dropoff_task_id]) {
    const row = (await tasksRepo.findTaskById(db, id))!;
    must(row.state, { type: 'cancel' });
    const completion: Completion = { ...EMPTY_COMPLETION, success: false, time: now, failureReason: reason, notes: decision === 'rejected' ? 'Rejected by the courier' : 'Cancelled by the client' };
    const patch = { state: TaskState.Completed, completion: JSON.stringify(completion), completion_success: 0 as const, time_completed: now, time_last_modified: now };
    await tasksRepo.updateTask(db, id, patch);
    await taskChanged(db, ctx, { ...row, ...patch }, 'task.completed', actor, { [decision]: true });
  }
  await orderEvent(db, ctx, updated, 'order.updated');
  return updated;
}

export async function cancelOrders(ctx: AppContext, p: Principal | null, shortIds: string[]) {
  const u = authorize(p, { write: true });
  const cancelled: string[] = [];
  const errors: Array<{ shortId: string; code: string; error: number; message: string }> = [];
  for (const shortId of shortIds) {
    try {
      await ctx.db.transaction().execute(async (trx) => {
        const order = await loadVisible(trx, u, shortId);
        await endOrder(trx, ctx, order, 'cancelled', 'CANCELLED', actorOf(u));
        await recordAudit(trx, ctx.now(), { ...actorOf(u), organizationId: order.courier_id }, 'order.cancelled', { type: 'order', id: order.id });
      });
      cancelled.push(shortId);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const { ERRORS } = await import('../../lib/errors.ts');
      errors.push({ shortId, code: ERRORS[err.kind].code, error: ERRORS[err.kind].error, message: err.message });
    }
  }
  return { cancelled, errors };
}

export async function rejectOrder(ctx: AppContext, p: Principal | null, shortId: string, reasons: string[] | string) {
  const u = authorize(p, { org: 'courier', write: true });
  const list = (Array.isArray(reasons) ? reasons : [reasons]).map((r) => r.trim()).filter(Boolean);
  if (list.length === 0) throw invalid('Give at least one reason; the client sees it.', { field: 'reasons' });
  return ctx.db.transaction().execute(async (trx) => {
    const order = await loadVisible(trx, u, shortId);
    const updated = await endOrder(trx, ctx, order, 'rejected', 'REJECTED', actorOf(u), { reasons: list, time: ctx.now(), by: u.label });
    await recordAudit(trx, ctx.now(), actorOf(u), 'order.rejected', { type: 'order', id: order.id }, { reasons: list });
    return (await views(trx, ctx, [updated]))[0];
  });
}
