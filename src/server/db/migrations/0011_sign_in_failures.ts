import type { Kysely } from 'kysely';

/**
 * Consecutive failed sign-ins per email address (known or not), so an account locks for a growing
 * time across every instance. The address is kept only as a SHA-256 hash.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .addColumn('time_last_failure', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sign_in_failures_time_idx').on('sign_in_failures').column('time_last_failure').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_failures').execute();
}
