import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { invalid, notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { queueEmail, queueSms } from '../messages/messages.service.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import type { TaskRow } from '../tasks/tasks.repository.ts';
import { onTaskChange } from '../tasks/tasks.service.ts';
import type { Completion, StoredRecipient } from '../tasks/tasks.view.ts';
import { findWorker } from '../workers/workers.repository.ts';
import { queueThresholdWebhooks } from '../webhooks/webhooks.service.ts';
import { distanceMeters, StraightLineEta } from './eta.ts';
import * as repo from './notifications.repository.ts';
import type { CreateRuleInput, NotificationRuleView, PreviewInput, UpdateRuleInput } from './notifications.schemas.ts';
import { DEFAULT_SUBJECT, firstName, formatEta, render, THRESHOLDS, unknownTags, type TemplateData, type Trigger } from './notifications.templates.ts';

// ---------------------------------------------------------------- rules (the editor)

function toRule(r: repo.RuleRow): NotificationRuleView {
  return {
    id: r.id,
    trigger: r.trigger as Trigger,
    appliesTo: r.applies_to,
    channels: r.channels.split(',').filter(Boolean) as ('sms' | 'email')[],
    template: r.template,
    subject: r.subject,
    threshold: r.threshold,
    enabled: r.enabled === 1,
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
  };
}

function checkTemplate(template: string, field: string) {
  const bad = unknownTags(template);
  if (bad.length) {
    throw invalid(`Unknown tag${bad.length > 1 ? 's' : ''} ${bad.map((t) => `{{${t}}}`).join(', ')} in the ${field}. Use only the listed tags.`, { field, unknownTags: bad });
  }
}

/** A threshold only where the trigger takes one, defaulted when missing. */
function thresholdFor(trigger: Trigger, given: number | null | undefined): number | null {
  const t = THRESHOLDS[trigger];
  if (!t) return null;
  return given ?? t.default;
}

export async function listRules(ctx: AppContext, p: Principal | null) {
  const u = authorize(p);
  const rules = (await repo.listRules(ctx.db, u.organizationId)).map(toRule);
  if (u.orgKind === 'courier' || rules.length > 0) return { rules, usesCourierDefaults: false, courierDefaults: [] };
  const courierId = await courierOf(ctx.db, u.organizationId);
  const courierDefaults = courierId ? (await repo.listRules(ctx.db, courierId)).map(toRule) : [];
  return { rules, usesCourierDefaults: true, courierDefaults };
}

export async function createRule(ctx: AppContext, p: Principal | null, input: CreateRuleInput) {
  const u = authorize(p, { write: true });
  checkTemplate(input.template, 'template');
  if (input.subject) checkTemplate(input.subject, 'subject');
  const now = ctx.now();
  const row = {
    id: newId(),
    organization_id: u.organizationId,
    trigger: input.trigger,
    applies_to: input.appliesTo ?? ('both' as const),
    channels: input.channels.join(','),
    template: input.template,
    subject: input.subject?.trim() ? input.subject : null,
    threshold: thresholdFor(input.trigger, input.threshold),
    enabled: input.enabled === false ? 0 : 1,
    time_created: now,
    time_last_modified: now,
  };
  await repo.insertRule(ctx.db, row);
  return toRule(row);
}

export async function updateRule(ctx: AppContext, p: Principal | null, id: string, input: UpdateRuleInput) {
  const u = authorize(p, { write: true });
  const row = await repo.findRule(ctx.db, u.organizationId, id);
  if (!row) throw notFound('Notification rule', id);
  if (input.template !== undefined) checkTemplate(input.template, 'template');
  if (input.subject) checkTemplate(input.subject, 'subject');
  const trigger = (input.trigger ?? row.trigger) as Trigger;
  const next: repo.RuleRow = {
    ...row,
    trigger,
    applies_to: input.appliesTo ?? row.applies_to,
    channels: input.channels ? input.channels.join(',') : row.channels,
    template: input.template ?? row.template,
    subject: input.subject !== undefined ? (input.subject?.trim() ? input.subject : null) : row.subject,
    threshold: thresholdFor(trigger, input.threshold !== undefined ? input.threshold : trigger === row.trigger ? row.threshold : null),
    enabled: input.enabled === undefined ? row.enabled : input.enabled ? 1 : 0,
    time_last_modified: ctx.now(),
  };
  const { id: _id, organization_id: _org, time_created: _tc, ...patch } = next;
  await repo.updateRule(ctx.db, id, patch);
  return toRule(next);
}

export async function deleteRule(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { write: true });
  const row = await repo.findRule(ctx.db, u.organizationId, id);
  if (!row) throw notFound('Notification rule', id);
  await repo.deleteRule(ctx.db, id);
}

// ---------------------------------------------------------------- rendering

async function courierOf(db: Db, organizationId: string): Promise<string | null> {
  return (await findOrganization(db, organizationId))?.courier_id ?? null;
}

/** The data a template is rendered with, for one task (each recipient's name is filled in per message). */
async function templateData(db: Db, ctx: AppContext, task: TaskRow, recipient: StoredRecipient | null): Promise<TemplateData> {
  const courier = await findOrganization(db, task.organization_id);
  const merchant = task.merchant_id === task.organization_id ? courier : await findOrganization(db, task.merchant_id);
  const worker = task.worker_id ? await findWorker(db, task.organization_id, task.worker_id) : undefined;
  return {
    recipientName: recipient?.name ?? '',
    merchantName: merchant?.name ?? courier?.name ?? '',
    courierName: courier?.name ?? '',
    driverName: firstName(worker?.name) || 'your driver',
    eta: formatEta(task.eta, ctx.now(), courier?.timezone ?? 'UTC'),
    trackingLink: absoluteUrl(ctx.config.publicUrl, paths.track(task.short_id)),
    destinationAddress: task.address_text,
    taskShortId: task.short_id,
    orderShortId: task.order_short_id ?? '',
  };
}

const SAMPLE: TemplateData = {
  recipientName: 'Sam Rivera',
  merchantName: 'Your business',
  courierName: 'Your courier',
  driverName: 'Alex',
  eta: '14:35 (in about 12 min)',
  trackingLink: 'https://example.com/track/1a2b3c4d',
  destinationAddress: '1 Market St, San Francisco',
  taskShortId: '1a2b3c4d',
  orderShortId: '5e6f7a8b',
};

export async function preview(ctx: AppContext, p: Principal | null, input: PreviewInput) {
  const u = authorize(p);
  checkTemplate(input.template, 'template');
  if (input.subject) checkTemplate(input.subject, 'subject');
  const scope = u.orgKind === 'courier' ? { organizationId: u.organizationId } : { merchantId: u.organizationId };
  let task: TaskRow | undefined;
  if (input.taskId) {
    task = await ctx.db.selectFrom('tasks').selectAll().where('id', '=', input.taskId).executeTakeFirst();
    const visible = task && ('organizationId' in scope ? task.organization_id === scope.organizationId : task.merchant_id === scope.merchantId);
    if (!visible) throw notFound('Task', input.taskId);
  } else {
    task = await repo.latestTask(ctx.db, scope);
  }
  const data = task ? await templateData(ctx.db, ctx, task, (JSON.parse(task.recipients) as StoredRecipient[])[0] ?? null) : SAMPLE;
  return {
    text: render(input.template, data),
    subject: render(input.subject?.trim() ? input.subject : DEFAULT_SUBJECT, data),
    taskId: task?.id ?? null,
    taskShortId: task?.short_id ?? null,
    sample: !task,
  };
}

// ---------------------------------------------------------------- the log

export async function notificationLog(ctx: AppContext, p: Principal | null, q: { taskId?: string; lastId?: string; limit?: number }) {
  const u = authorize(p);
  const scope = u.orgKind === 'courier' ? { organizationId: u.organizationId } : { merchantId: u.organizationId };
  const limit = q.limit ?? 50;
  let before: { time: number; id: string } | undefined;
  if (q.lastId) {
    const m = await repo.findMessageTime(ctx.db, q.lastId);
    const mine = m && ('organizationId' in scope ? m.organization_id === scope.organizationId : m.merchant_id === scope.merchantId);
    if (!m || !mine) throw invalid('lastId does not name one of your messages.', { field: 'lastId' });
    before = { time: m.time_created, id: m.id };
  }
  const rows = await repo.listNotificationMessages(ctx.db, scope, { taskId: q.taskId, limit: limit + 1, before });
  const page = rows.slice(0, limit).map((r) => ({
    id: r.id,
    taskId: r.task_id!,
    taskShortId: r.task_short_id,
    orderShortId: r.order_short_id,
    ruleId: r.rule_id,
    trigger: r.trigger ?? '',
    channel: r.channel,
    to: r.to_address,
    subject: r.subject,
    text: r.body_text,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    timeCreated: r.time_created,
    timeSent: r.time_sent,
  }));
  return { messages: page, lastId: rows.length > limit ? page[page.length - 1].id : undefined };
}

// ---------------------------------------------------------------- firing

/** The rules that speak for a task's merchant: its own, or its courier's when it has none. */
async function rulesFor(db: Db, task: TaskRow, trigger: Trigger): Promise<repo.RuleRow[]> {
  const owner = task.merchant_id !== task.organization_id && (await repo.hasRules(db, task.merchant_id)) ? task.merchant_id : task.organization_id;
  const kind = task.pickup_task === 1 ? 'pickup' : 'dropoff';
  return (await repo.rulesForTrigger(db, owner, trigger)).filter((r) => r.applies_to === 'both' || r.applies_to === kind);
}

/**
 * Sends each matching rule's message to the task's recipients, at most once per rule and task,
 * in the caller's transaction (the messages are delivered from the outbox after it commits).
 * `passes` decides, per rule, whether its threshold is met.
 */
export async function fire(db: Db, ctx: AppContext, task: TaskRow, trigger: Trigger, passes: (rule: repo.RuleRow) => boolean = () => true): Promise<number> {
  const rules = (await rulesFor(db, task, trigger)).filter(passes);
  if (rules.length === 0) return 0;
  const recipients = JSON.parse(task.recipients) as StoredRecipient[];
  const now = ctx.now();
  let queued = 0;
  let taskData: TemplateData | null = null;
  for (const rule of rules) {
    if (!(await repo.claimSend(db, rule.id, task.id, now))) continue;
    const about = { taskId: task.id, merchantId: task.merchant_id, ruleId: rule.id, trigger };
    taskData ??= await templateData(db, ctx, task, null);
    for (const r of recipients) {
      const data: TemplateData = { ...taskData, recipientName: r.name };
      const text = render(rule.template, data);
      for (const channel of rule.channels.split(',')) {
        if (channel === 'sms' && r.phone) {
          const skipped = r.skipSMSNotifications ? 'The recipient opted out of text messages.' : undefined;
          await queueSms(db, now, { organizationId: task.organization_id, to: r.phone, text }, about, skipped);
          queued++;
        } else if (channel === 'email' && r.email) {
          const subject = render(rule.subject ?? DEFAULT_SUBJECT, data);
          await queueEmail(db, now, { organizationId: task.organization_id, to: r.email, subject, text }, about);
          queued++;
        }
      }
    }
  }
  return queued;
}

function completionOf(task: TaskRow): Completion | null {
  return task.completion ? (JSON.parse(task.completion) as Completion) : null;
}

/** Task events → triggers: started, completed, failed, and their dependents' dependency triggers. */
export async function onTaskEvent(db: Db, ctx: AppContext, task: TaskRow, type: string) {
  if (type === 'task.started') {
    await fire(db, ctx, task, 'taskStarted');
    // A first ETA from where the driver is (straight line; the next position report refines it).
    const worker = task.worker_id ? await findWorker(db, task.organization_id, task.worker_id) : undefined;
    if (worker && worker.location_lng !== null && worker.location_lat !== null && task.location_lng !== null && task.location_lat !== null) {
      const position: [number, number] = [worker.location_lng, worker.location_lat];
      const seconds = await new StraightLineEta(ctx.config.eta.speedKmh).seconds(position, [task.location_lng, task.location_lat]);
      await onDriverPosition(db, ctx, task, position, seconds);
    }
    for (const dep of await repo.dependentsOf(db, task.id)) if (dep.state < 3) await fire(db, ctx, dep, 'dependencyStarted');
  } else if (type === 'task.completed') {
    const c = completionOf(task);
    // An order the client cancelled or the courier rejected is not a failed delivery attempt.
    if (c?.failureReason === 'CANCELLED' || c?.failureReason === 'REJECTED') return;
    if (task.completion_success === 1) {
      await fire(db, ctx, task, 'taskCompleted');
      for (const dep of await repo.dependentsOf(db, task.id)) if (dep.state < 3) await fire(db, ctx, dep, 'dependencyCompleted');
    } else {
      await fire(db, ctx, task, 'taskFailed');
    }
  }
}

/**
 * A driver's new position: updates the ETA of the task it is doing, and fires "ETA below",
 * "arriving" and "delayed (by its ETA)". `etaSeconds` was estimated before the transaction.
 */
export async function onDriverPosition(db: Db, ctx: AppContext, task: TaskRow, position: [number, number], etaSeconds: number) {
  if (task.location_lng === null || task.location_lat === null) return;
  const now = ctx.now();
  const eta = now + etaSeconds * 1000;
  await db.updateTable('tasks').set({ eta }).where('id', '=', task.id).execute();
  const row = { ...task, eta };
  const distance = distanceMeters(position, [task.location_lng, task.location_lat]);
  await fire(db, ctx, row, 'taskEta', (r) => etaSeconds <= (r.threshold ?? 600));
  await fire(db, ctx, row, 'driverArriving', (r) => distance <= (r.threshold ?? 150));
  if (task.complete_before !== null) await fire(db, ctx, row, 'taskDelayed', (r) => eta > task.complete_before! + (r.threshold ?? 0) * 1000);
  await queueThresholdWebhooks(db, ctx, row, {
    etaSeconds,
    distanceMeters: distance,
    ...(task.complete_before !== null && eta > task.complete_before ? { lateSeconds: (eta - task.complete_before) / 1000 } : {}),
  });
}

/** Open tasks past their due time (plus each rule's allowance) get "delayed". Returns messages queued. */
export async function sweepLateTasks(ctx: AppContext): Promise<number> {
  const now = ctx.now();
  const tasks = await repo.overdueOpenTasks(ctx.db, now, 500);
  let queued = 0;
  for (const task of tasks) {
    queued += await ctx.db.transaction().execute(async (trx) => {
      await queueThresholdWebhooks(trx, ctx, task, { lateSeconds: (now - task.complete_before!) / 1000 });
      return fire(trx, ctx, task, 'taskDelayed', (r) => now > task.complete_before! + (r.threshold ?? 0) * 1000);
    });
  }
  return queued;
}


onTaskChange((db, ctx, task, type) => onTaskEvent(db, ctx, task, type));
