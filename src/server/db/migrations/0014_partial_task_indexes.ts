import type { Kysely } from 'kysely';

/**
 * Every new task was entered in three indexes for values it does not have yet: the geocoding queue
 * (`geocode_next_at`, empty unless the address still needs coordinates), the lateness sweep
 * (`complete_before`, empty without a time window) and a driver's route (`worker_id`, empty until
 * the task is assigned). Each index now holds only the tasks that have the value; the queries that
 * use them all compare that column (`<=`, `<`, `=`, `in`), which both databases take to mean it is
 * not null. The events table's (organization, sequence) index is dropped: events are read by
 * sequence only (live updates, replays), and every change wrote to it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tasks_geocode_idx').execute();
  await db.schema.createIndex('tasks_geocode_idx').on('tasks').column('geocode_next_at').where('geocode_next_at', 'is not', null).execute();
  await db.schema.dropIndex('tasks_due_idx').execute();
  await db.schema.createIndex('tasks_due_idx').on('tasks').columns(['complete_before', 'state']).where('complete_before', 'is not', null).execute();
  await db.schema.dropIndex('tasks_worker_idx').execute();
  await db.schema.createIndex('tasks_worker_idx').on('tasks').columns(['worker_id', 'state', 'worker_position']).where('worker_id', 'is not', null).execute();
  await db.schema.dropIndex('events_org_idx').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_org_idx').on('events').columns(['organization_id', 'seq']).execute();
  await db.schema.dropIndex('tasks_worker_idx').execute();
  await db.schema.createIndex('tasks_worker_idx').on('tasks').columns(['worker_id', 'state', 'worker_position']).execute();
  await db.schema.dropIndex('tasks_due_idx').execute();
  await db.schema.createIndex('tasks_due_idx').on('tasks').columns(['complete_before', 'state']).execute();
  await db.schema.dropIndex('tasks_geocode_idx').execute();
  await db.schema.createIndex('tasks_geocode_idx').on('tasks').column('geocode_next_at').execute();
}
