import crypto from 'node:crypto';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { AppError, invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { onEventRecorded, type DomainEvent } from '../events/events.service.ts';
import type { TaskRow } from '../tasks/tasks.repository.ts';
import { viewTask } from '../tasks/tasks.service.ts';
import { PrivateTargetError, refuseTarget, requestTarget } from './webhook-targets.ts';
import { THRESHOLD_TRIGGERS, TRIGGERS, triggerOfEvent } from './webhook-triggers.ts';

/** Driver events, which only the courier receives. */
const WORKER_TRIGGERS = [5, 15, 16];
import * as repo from './webhooks.repository.ts';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhooks.schemas.ts';

// ---------------------------------------------------------------- webhooks

function toWebhook(r: repo.WebhookRow, count: number) {
  return {
    id: r.id,
    organization: r.organization_id,
    name: r.name,
    url: r.url,
    trigger: r.trigger_id,
    ...(r.threshold !== null ? { threshold: r.threshold } : {}),
    isEnabled: r.enabled === 1,
    disabledReason: r.disabled_reason,
    count,
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
  };
}

export async function listWebhooks(ctx: AppContext, p: Principal | null) {
  const u = authorize(p);
  const rows = await repo.listWebhooks(ctx.db, u.organizationId);
  const counts = await repo.deliveredCounts(ctx.db, rows.map((r) => r.id));
  return rows.map((r) => toWebhook(r, counts.get(r.id) ?? 0));
}

async function loadWebhook(ctx: AppContext, organizationId: string, id: string) {
  const row = await repo.findWebhook(ctx.db, organizationId, id);
  if (!row) throw notFound('Webhook', id);
  return row;
}

export async function getWebhook(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p);
  const row = await loadWebhook(ctx, u.organizationId, id);
  return toWebhook(row, (await repo.deliveredCounts(ctx.db, [id])).get(id) ?? 0);
}

const excerpt = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Onfleet's handshake: GET url?check=<random> must answer 200 with exactly that value. */
async function checkUrl(ctx: AppContext, url: string) {
  const policy = { allowPrivate: ctx.config.allowPrivateWebhookTargets, publicUrl: ctx.config.publicUrl };
  const refused = await refuseTarget(url, policy);
  if (refused) throw new AppError('webhookValidation', refused, { field: 'url' });
  const check = crypto.randomBytes(16).toString('hex');
  const target = new URL(url);
  target.searchParams.set('check', check);
  let status: number;
  let body: string;
  try {
    const res = await requestTarget(target.toString(), { method: 'GET', timeoutMs: ctx.config.webhooks.timeoutMs, policy });
    status = res.status;
    body = res.text;
  } catch (err) {
    if (err instanceof PrivateTargetError) throw new AppError('webhookValidation', err.message, { field: 'url' });
    const why = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${ctx.config.webhooks.timeoutMs / 1000} s` : 'the connection failed';
    throw new AppError('webhookValidation', `The URL failed the check: ${why}.`, { field: 'url' });
  }
  if (status !== 200 || body.trim() !== check) {
    throw new AppError(
      'webhookValidation',
      `The URL failed the check: Baton sent GET ?check=${check} and expected 200 with exactly that value, but got ${status}${body ? ` with “${excerpt(body.trim(), 120)}”` : ' with an empty body'}.`,
      { field: 'url', status, body: excerpt(body, 300) },
    );
  }
}

async function ensureSecret(db: Db, organizationId: string) {
  const org = await db.selectFrom('organizations').select('webhook_secret').where('id', '=', organizationId).executeTakeFirst();
  if (!org?.webhook_secret) await db.updateTable('organizations').set({ webhook_secret: crypto.randomBytes(32).toString('hex') }).where('id', '=', organizationId).execute();
}

export async function createWebhook(ctx: AppContext, p: Principal | null, input: CreateWebhookInput) {
  const u = authorize(p, { write: true, admin: true });
  if (u.orgKind === 'client' && WORKER_TRIGGERS.includes(input.trigger)) {
    throw invalid('A client organization hears about its own orders’ tasks, not about drivers: choose a task trigger.', { field: 'trigger' });
  }
  const threshold = THRESHOLD_TRIGGERS[input.trigger] ? (input.threshold ?? THRESHOLD_TRIGGERS[input.trigger].default) : null;
  await checkUrl(ctx, input.url);
  const now = ctx.now();
  const row: repo.WebhookRow = {
    id: newId(),
    organization_id: u.organizationId,
    name: input.name.trim(),
    url: input.url,
    trigger_id: input.trigger,
    threshold,
    enabled: 1,
    disabled_reason: null,
    time_created: now,
    time_last_modified: now,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await repo.insertWebhook(trx, row);
    await ensureSecret(trx, u.organizationId);
  });
  return toWebhook(row, 0);
}

export async function updateWebhook(ctx: AppContext, p: Principal | null, id: string, input: UpdateWebhookInput) {
  const u = authorize(p, { write: true, admin: true });
  const row = await loadWebhook(ctx, u.organizationId, id);
  const patch: Partial<repo.WebhookRow> = { time_last_modified: ctx.now() };
  if (input.name !== undefined) patch.name = input.name.trim();
  if (input.threshold !== undefined && THRESHOLD_TRIGGERS[row.trigger_id]) patch.threshold = input.threshold;
  if (input.isEnabled !== undefined) {
    patch.enabled = input.isEnabled ? 1 : 0;
    if (input.isEnabled) {
      // Turning it back on: the URL must pass the check again, and deliveries it missed resume.
      await checkUrl(ctx, row.url);
      patch.disabled_reason = null;
    }
  }
  await repo.updateWebhook(ctx.db, id, patch);
  return getWebhook(ctx, p, id);
}

export async function deleteWebhook(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { write: true, admin: true });
  await loadWebhook(ctx, u.organizationId, id);
  await repo.deleteWebhook(ctx.db, id);
}

/** A new signing secret for all of the organization's webhooks, shown once. */
export async function rotateSecret(ctx: AppContext, p: Principal | null) {
  const u = authorize(p, { write: true, admin: true });
  const secret = crypto.randomBytes(32).toString('hex');
  await ctx.db.updateTable('organizations').set({ webhook_secret: secret, time_last_modified: ctx.now() }).where('id', '=', u.organizationId).execute();
  return { secret };
}

// ---------------------------------------------------------------- the delivery log

function toDelivery(r: repo.DeliveryRow, attempts: Awaited<ReturnType<typeof repo.attemptsOf>>) {
  return {
    id: r.id,
    triggerId: r.trigger_id,
    triggerName: TRIGGERS[r.trigger_id] ?? String(r.trigger_id),
    subjectId: r.subject_id,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    timeCreated: r.time_created,
    timeDelivered: r.time_delivered,
    attemptLog: attempts
      .filter((a) => a.delivery_id === r.id)
      .map((a) => ({ attempt: a.attempt, time: a.time, statusCode: a.status_code, latencyMs: a.latency_ms, responseExcerpt: a.response_excerpt, error: a.error })),
  };
}

export async function listDeliveries(ctx: AppContext, p: Principal | null, id: string, q: { lastId?: string; limit?: number }) {
  const u = authorize(p);
  await loadWebhook(ctx, u.organizationId, id);
  const limit = q.limit ?? 25;
  let before: { time: number; id: string } | undefined;
  if (q.lastId) {
    const last = await repo.findDelivery(ctx.db, id, q.lastId);
    if (!last) throw invalid('lastId does not name a delivery of this webhook.', { field: 'lastId' });
    before = { time: last.time_created, id: last.id };
  }
  const rows = await repo.listDeliveries(ctx.db, id, limit + 1, before);
  const page = rows.slice(0, limit);
  const attempts = await repo.attemptsOf(ctx.db, page.map((r) => r.id));
  return {
    deliveries: page.map((r) => toDelivery(r, attempts)),
    lastId: rows.length > limit ? page[page.length - 1].id : undefined,
  };
}

/** Sends a delivery again now (a fresh retry window), whatever became of it. */
export async function redeliver(ctx: AppContext, p: Principal | null, id: string, deliveryId: string) {
  const u = authorize(p, { write: true, admin: true });
  await loadWebhook(ctx, u.organizationId, id);
  const d = await repo.findDelivery(ctx.db, id, deliveryId);
  if (!d) throw notFound('Delivery', deliveryId);
  const now = ctx.now();
  const patch = { status: 'pending', next_attempt_at: now, window_started_at: now };
  await repo.updateDelivery(ctx.db, deliveryId, patch);
  ctx.webhooks.kick();
  return toDelivery({ ...d, ...patch }, await repo.attemptsOf(ctx.db, [deliveryId]));
}

// ---------------------------------------------------------------- queueing

function bodyFor(triggerId: number, e: Pick<DomainEvent, 'type' | 'payload' | 'subjectId' | 'actor'> & { organizationId: string }, now: number) {
  const payload = e.payload as Record<string, unknown>;
  const isTask = e.type.startsWith('task.');
  const task = isTask ? (payload.task as { id: string; worker?: string | null } | undefined) : undefined;
  const worker = !isTask ? ((payload.worker as { id?: string } | undefined) ?? (payload.id ? payload : undefined)) : undefined;
  const actor = e.actor ?? { id: null, type: 'SYSTEM' as const };
  return JSON.stringify({
    time: now,
    triggerId,
    triggerName: TRIGGERS[triggerId],
    taskId: task?.id ?? null,
    workerId: isTask ? (task?.worker ?? null) : (worker?.id ?? e.subjectId),
    adminId: actor.type === 'ADMIN' ? actor.id : null,
    actionContext: { id: actor.id ?? e.organizationId, type: actor.type },
    data: isTask ? { task } : { worker: worker ?? { id: e.subjectId } },
  });
}

function deliveryRow(w: repo.WebhookRow, now: number, triggerId: number, eventKey: string, subjectId: string | null, body: string) {
  return {
    id: newId(),
    webhook_id: w.id,
    organization_id: w.organization_id,
    event_key: eventKey,
    trigger_id: triggerId,
    subject_id: subjectId,
    body,
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    window_started_at: now,
    last_status_code: null,
    last_error: null,
    time_created: now,
    time_delivered: null,
  };
}

/** Every recorded event owes a delivery to each matching webhook: the courier's, and the client's for its own tasks. */
onEventRecorded(async (db, now, events) => {
  const due = events.flatMap((e) => {
    const triggerId = triggerOfEvent(e.type, e.payload);
    return triggerId === null ? [] : [{ e, triggerId, owners: [e.organizationId, ...(e.merchantId ? [e.merchantId] : [])] }];
  });
  if (due.length === 0) return;
  // One read of the matching webhooks for all the events of this change.
  const hooks = await repo.enabledWebhooksForAny(
    db,
    [...new Set(due.flatMap((d) => d.owners))],
    [...new Set(due.map((d) => d.triggerId))],
  );
  if (hooks.length === 0) return;
  const rows = due.flatMap(({ e, triggerId, owners }) => {
    const matching = hooks.filter((w) => w.trigger_id === triggerId && owners.includes(w.organization_id));
    if (matching.length === 0) return [];
    const body = bodyFor(triggerId, e, now);
    return matching.map((w) => deliveryRow(w, now, triggerId, e.id, e.subjectId, body));
  });
  await repo.insertDeliveries(db, rows);
});

/**
 * Threshold triggers from a driver's position or the lateness sweep: taskEta (1) when the ETA is
 * within the webhook's threshold, taskArrival (2) when the driver is within its distance, taskDelayed
 * (12) when late by more than it. Each fires once per webhook and task.
 */
export async function queueThresholdWebhooks(
  db: Db,
  ctx: AppContext,
  task: TaskRow,
  facts: { etaSeconds?: number; distanceMeters?: number; lateSeconds?: number },
) {
  const owners = [task.organization_id, ...(task.merchant_id !== task.organization_id ? [task.merchant_id] : [])];
  const now = ctx.now();
  const checks: Array<[number, number | undefined]> = [
    [1, facts.etaSeconds],
    [2, facts.distanceMeters],
    [12, facts.lateSeconds],
  ];
  for (const [triggerId, value] of checks) {
    if (value === undefined) continue;
    const hooks = (await repo.enabledWebhooksFor(db, owners, triggerId)).filter((w) =>
      triggerId === 12 ? value > (w.threshold ?? 0) : value <= (w.threshold ?? THRESHOLD_TRIGGERS[triggerId].default),
    );
    if (hooks.length === 0) continue;
    const view = await viewTask(db, ctx, task);
    const body = bodyFor(triggerId, { type: 'task.threshold', payload: { task: view }, subjectId: task.id, organizationId: task.organization_id, actor: null }, now);
    await repo.insertDeliveries(db, hooks.map((w) => deliveryRow(w, now, triggerId, `${triggerId}:${task.id}`, task.id, body)));
  }
}
