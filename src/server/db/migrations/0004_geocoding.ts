import type { Kysely } from 'kysely';

/** Geocoding state of a task's address: pending until a geocoder fills its coordinates. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('tasks').addColumn('geocode_attempts', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('tasks').addColumn('geocode_next_at', 'bigint').execute();
  await db.schema.createIndex('tasks_geocode_idx').on('tasks').column('geocode_next_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tasks_geocode_idx').execute();
  await db.schema.alterTable('tasks').dropColumn('geocode_next_at').execute();
  await db.schema.alterTable('tasks').dropColumn('geocode_attempts').execute();
}
