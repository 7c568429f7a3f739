import type { Kysely } from 'kysely';

/**
 * Auto-dispatch: a driver's routing address (where routes may end), and the progress a running job
 * reports (a route optimisation's fraction done and best solution so far).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('workers').addColumn('routing_lng', 'double precision').execute();
  await db.schema.alterTable('workers').addColumn('routing_lat', 'double precision').execute();
  await db.schema.alterTable('workers').addColumn('routing_address', 'text').execute();
  await db.schema.alterTable('jobs').addColumn('progress', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('progress').execute();
  await db.schema.alterTable('workers').dropColumn('routing_address').execute();
  await db.schema.alterTable('workers').dropColumn('routing_lat').execute();
  await db.schema.alterTable('workers').dropColumn('routing_lng').execute();
}
