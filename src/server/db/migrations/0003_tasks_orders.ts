import type { Kysely } from 'kysely';

/** Tasks (Onfleet-compatible), their dependencies, task orders, and event audiences. */
export async function up(db: Kysely<any>): Promise<void> {
  const big = 'bigint' as const;
  await db.schema
    .createTable('tasks')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('short_id', 'varchar(8)', (c) => c.notNull())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('merchant_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('executor_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('creator_id', 'varchar(24)')
    .addColumn('order_id', 'varchar(24)')
    .addColumn('order_short_id', 'varchar(8)')
    .addColumn('pickup_task', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('state', 'integer', (c) => c.notNull())
    .addColumn('container_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('container_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('worker_id', 'varchar(24)')
    .addColumn('worker_position', 'integer')
    .addColumn('complete_after', big)
    .addColumn('complete_before', big)
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('location_lng', 'double precision')
    .addColumn('location_lat', 'double precision')
    .addColumn('address_text', 'varchar(600)', (c) => c.notNull())
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'varchar(200)')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('quantity', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('service_time', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('requirements', 'text', (c) => c.notNull())
    .addColumn('completion', 'text')
    .addColumn('completion_success', 'integer')
    .addColumn('feedback', 'text', (c) => c.notNull())
    .addColumn('tracking_viewed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('eta', big)
    .addColumn('time_started', big)
    .addColumn('time_completed', big)
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('tasks_short_uq').on('tasks').columns(['organization_id', 'short_id']).unique().execute();
  await db.schema.createIndex('tasks_list_idx').on('tasks').columns(['organization_id', 'time_created', 'id']).execute();
  await db.schema.createIndex('tasks_state_idx').on('tasks').columns(['organization_id', 'state', 'time_created', 'id']).execute();
  await db.schema.createIndex('tasks_worker_idx').on('tasks').columns(['worker_id', 'state', 'worker_position']).execute();
  await db.schema.createIndex('tasks_container_idx').on('tasks').columns(['container_id', 'state']).execute();
  await db.schema.createIndex('tasks_order_idx').on('tasks').column('order_id').execute();
  await db.schema.createIndex('tasks_merchant_idx').on('tasks').columns(['merchant_id', 'time_created']).execute();

  await db.schema
    .createTable('task_dependencies')
    .addColumn('task_id', 'varchar(24)', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addColumn('depends_on_id', 'varchar(24)', (c) => c.notNull().references('tasks.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('task_dependencies_pk', ['task_id', 'depends_on_id'])
    .execute();
  await db.schema.createIndex('task_dependencies_rev_idx').on('task_dependencies').column('depends_on_id').execute();

  await db.schema
    .createTable('orders')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('short_id', 'varchar(8)', (c) => c.notNull())
    .addColumn('courier_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('client_id', 'varchar(24)', (c) => c.notNull().references('clients.id'))
    .addColumn('client_org_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('pickup_task_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('dropoff_task_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('rejection', 'text')
    .addColumn('created_by', 'varchar(24)')
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_short_uq').on('orders').columns(['courier_id', 'short_id']).unique().execute();
  await db.schema.createIndex('orders_client_idx').on('orders').columns(['client_org_id', 'time_created', 'id']).execute();
  await db.schema.createIndex('orders_client_status_idx').on('orders').columns(['client_org_id', 'status', 'time_created', 'id']).execute();
  await db.schema.createIndex('orders_courier_idx').on('orders').columns(['courier_id', 'time_created', 'id']).execute();
  await db.schema.createIndex('orders_courier_client_idx').on('orders').columns(['client_id', 'time_created', 'id']).execute();

  await db.schema.alterTable('events').addColumn('merchant_id', 'varchar(24)').execute();
  await db.schema.alterTable('events').addColumn('worker_id', 'varchar(24)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('events').dropColumn('worker_id').execute();
  await db.schema.alterTable('events').dropColumn('merchant_id').execute();
  for (const t of ['orders', 'task_dependencies', 'tasks']) await db.schema.dropTable(t).ifExists().execute();
}
