import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NotificationRuleTable } from '../../db/schema.ts';

export type RuleRow = Selectable<NotificationRuleTable>;

export async function listRules(db: Db, organizationId: string): Promise<RuleRow[]> {
  return db.selectFrom('notification_rules').selectAll().where('organization_id', '=', organizationId).orderBy('time_created').orderBy('id').execute();
}

export async function hasRules(db: Db, organizationId: string): Promise<boolean> {
  return !!(await db.selectFrom('notification_rules').select('id').where('organization_id', '=', organizationId).limit(1).executeTakeFirst());
}

export async function rulesForTrigger(db: Db, organizationId: string, trigger: string): Promise<RuleRow[]> {
  return db
    .selectFrom('notification_rules')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('trigger', '=', trigger)
    .where('enabled', '=', 1)
    .orderBy('time_created')
    .execute();
}

export async function findRule(db: Db, organizationId: string, id: string) {
  return db.selectFrom('notification_rules').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function insertRule(db: Db, row: Insertable<NotificationRuleTable>) {
  await db.insertInto('notification_rules').values(row).execute();
}

export async function updateRule(db: Db, id: string, patch: Updateable<NotificationRuleTable>) {
  await db.updateTable('notification_rules').set(patch).where('id', '=', id).execute();
}

export async function deleteRule(db: Db, id: string) {
  await db.deleteFrom('notification_rules').where('id', '=', id).execute();
}

/** Claims the (rule, task) pair; false when the rule already fired for the task. */
export async function claimSend(db: Db, ruleId: string, taskId: string, now: number): Promise<boolean> {
  const r = await db
    .insertInto('notification_sends')
    .values({ rule_id: ruleId, task_id: taskId, time_created: now })
    .onConflict((oc) => oc.columns(['rule_id', 'task_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** Notification messages, newest first: the courier's (all its tasks) or a client's (its orders'). */
export async function listNotificationMessages(
  db: Db,
  scope: { organizationId: string } | { merchantId: string },
  opts: { taskId?: string; limit: number; before?: { time: number; id: string } },
) {
  let q = db
    .selectFrom('messages as m')
    .innerJoin('tasks as t', 't.id', 'm.task_id')
    .select([
      'm.id',
      'm.task_id',
      't.short_id as task_short_id',
      't.order_short_id',
      'm.rule_id',
      'm.trigger',
      'm.channel',
      'm.to_address',
      'm.subject',
      'm.body_text',
      'm.status',
      'm.attempts',
      'm.last_error',
      'm.time_created',
      'm.time_sent',
    ])
    .where('m.task_id', 'is not', null)
    .orderBy('m.time_created', 'desc')
    .orderBy('m.id', 'desc')
    .limit(opts.limit);
  q = 'organizationId' in scope ? q.where('m.organization_id', '=', scope.organizationId) : q.where('m.merchant_id', '=', scope.merchantId);
  if (opts.taskId) q = q.where('m.task_id', '=', opts.taskId);
  const before = opts.before;
  if (before) {
    q = q.where((eb) => eb.or([eb('m.time_created', '<', before.time), eb.and([eb('m.time_created', '=', before.time), eb('m.id', '<', before.id)])]));
  }
  return q.execute();
}

export async function findMessageTime(db: Db, id: string) {
  return db.selectFrom('messages').select(['id', 'time_created', 'organization_id', 'merchant_id']).where('id', '=', id).executeTakeFirst();
}

/** Open tasks past their due time (within the last day), for the lateness sweep. */
export async function overdueOpenTasks(db: Db, now: number, limit: number) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('complete_before', '<', now)
    .where('complete_before', '>', now - 86_400_000)
    .where('state', '<', 3)
    .orderBy('complete_before')
    .limit(limit)
    .execute();
}

/** The task a driver is doing now, if any. */
export async function activeTaskOf(db: Db, workerId: string) {
  return db.selectFrom('tasks').selectAll().where('worker_id', '=', workerId).where('state', '=', 2).executeTakeFirst();
}

/** Tasks that wait for this one (a pickup's dropoff). */
export async function dependentsOf(db: Db, taskId: string) {
  return db
    .selectFrom('task_dependencies as d')
    .innerJoin('tasks as t', 't.id', 'd.task_id')
    .selectAll('t')
    .where('d.depends_on_id', '=', taskId)
    .execute();
}

/** The most recent task the caller may see, for previews. */
export async function latestTask(db: Db, scope: { organizationId: string } | { merchantId: string }) {
  // an order's two tasks share their creation time: prefer the dropoff, whose recipient is the usual audience
  let q = db.selectFrom('tasks').selectAll().orderBy('time_created', 'desc').orderBy('pickup_task', 'asc').orderBy('id', 'desc').limit(1);
  q = 'organizationId' in scope ? q.where('organization_id', '=', scope.organizationId) : q.where('merchant_id', '=', scope.merchantId);
  return q.executeTakeFirst();
}
