import type { Kysely } from 'kysely';

/**
 * Recipient notifications (rules, what each rule sent) and tracking pages (branding), plus the
 * columns that tie outbox messages to the task and rule they are about.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const big = 'bigint' as const;

  await db.schema
    .createTable('notification_rules')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('trigger', 'varchar(32)', (c) => c.notNull())
    .addColumn('applies_to', 'varchar(8)', (c) => c.notNull())
    .addColumn('channels', 'varchar(32)', (c) => c.notNull())
    .addColumn('template', 'text', (c) => c.notNull())
    .addColumn('subject', 'varchar(300)')
    .addColumn('threshold', 'double precision')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notification_rules_org_idx').on('notification_rules').columns(['organization_id', 'trigger']).execute();

  // One row per rule and task: the rule has fired for that task (at most once).
  await db.schema
    .createTable('notification_sends')
    .addColumn('rule_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('task_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_sends_pk', ['rule_id', 'task_id'])
    .execute();

  await db.schema.alterTable('messages').addColumn('task_id', 'varchar(24)').execute();
  await db.schema.alterTable('messages').addColumn('merchant_id', 'varchar(24)').execute();
  await db.schema.alterTable('messages').addColumn('rule_id', 'varchar(24)').execute();
  await db.schema.alterTable('messages').addColumn('trigger', 'varchar(32)').execute();
  await db.schema.createIndex('messages_task_idx').on('messages').columns(['task_id', 'time_created']).execute();
  await db.schema.createIndex('messages_merchant_idx').on('messages').columns(['merchant_id', 'time_created', 'id']).execute();

  await db.schema
    .createTable('tracking_pages')
    .addColumn('organization_id', 'varchar(24)', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();

  // Tracking links carry only the short id, so it is looked up across organizations.
  await db.schema.createIndex('tasks_short_idx').on('tasks').column('short_id').execute();
  // The lateness sweep reads open tasks by due time.
  await db.schema.createIndex('tasks_due_idx').on('tasks').columns(['complete_before', 'state']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tasks_due_idx').execute();
  await db.schema.dropIndex('tasks_short_idx').execute();
  await db.schema.dropTable('tracking_pages').execute();
  await db.schema.dropIndex('messages_merchant_idx').execute();
  await db.schema.dropIndex('messages_task_idx').execute();
  for (const c of ['trigger', 'rule_id', 'merchant_id', 'task_id']) await db.schema.alterTable('messages').dropColumn(c).execute();
  await db.schema.dropTable('notification_sends').execute();
  await db.schema.dropTable('notification_rules').execute();
}
