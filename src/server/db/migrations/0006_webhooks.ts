import type { Kysely } from 'kysely';

/** Webhooks, the deliveries they owe (an outbox of their own) and every delivery attempt. */
export async function up(db: Kysely<any>): Promise<void> {
  const big = 'bigint' as const;
  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('url', 'varchar(2000)', (c) => c.notNull())
    .addColumn('trigger_id', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'double precision')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('disabled_reason', 'text')
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_org_trigger_idx').on('webhooks').columns(['organization_id', 'trigger_id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('webhook_id', 'varchar(24)', (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    /** what the delivery is about, unique per webhook: an event id, or trigger:task for threshold triggers */
    .addColumn('event_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('trigger_id', 'integer', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(24)')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('window_started_at', big, (c) => c.notNull())
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_delivered', big)
    .execute();
  await db.schema.createIndex('webhook_deliveries_key_uq').on('webhook_deliveries').columns(['webhook_id', 'event_key']).unique().execute();
  await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_deliveries_log_idx').on('webhook_deliveries').columns(['webhook_id', 'time_created', 'id']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('delivery_id', 'varchar(24)', (c) => c.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('time', big, (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer', (c) => c.notNull())
    .addColumn('response_excerpt', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery_idx').on('webhook_attempts').columns(['delivery_id', 'attempt']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_attempts').execute();
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhooks').execute();
}
