import type { Kysely } from 'kysely';

/** Background jobs (async task batches, CSV imports) and the keys that keep an import from running twice. */
export async function up(db: Kysely<any>): Promise<void> {
  const big = 'bigint' as const;
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('status', 'varchar(24)', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .addColumn('processed', 'integer', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull())
    .addColumn('failed', 'integer', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('results', 'text', (c) => c.notNull())
    .addColumn('principal', 'text', (c) => c.notNull())
    .addColumn('lease_until', big, (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_started', big)
    .addColumn('time_finished', big)
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['status', 'lease_until']).execute();
  await db.schema.createIndex('jobs_org_idx').on('jobs').columns(['organization_id', 'time_created']).execute();

  await db.schema
    .createTable('order_import_keys')
    .addColumn('client_org_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('key', 'varchar(200)', (c) => c.notNull())
    .addColumn('order_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('order_short_id', 'varchar(8)', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addPrimaryKeyConstraint('order_import_keys_pk', ['client_org_id', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('order_import_keys').execute();
  await db.schema.dropTable('jobs').execute();
}
