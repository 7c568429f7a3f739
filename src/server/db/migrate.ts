import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_clients.ts';
import * as m0003 from './migrations/0003_tasks_orders.ts';
import * as m0004 from './migrations/0004_geocoding.ts';
import * as m0005 from './migrations/0005_recipients.ts';
import * as m0006 from './migrations/0006_webhooks.ts';
import * as m0007 from './migrations/0007_idempotency.ts';
import * as m0008 from './migrations/0008_jobs.ts';
import * as m0009 from './migrations/0009_order_search.ts';
import * as m0010 from './migrations/0010_dispatch.ts';
import * as m0011 from './migrations/0011_sign_in_failures.ts';
import * as m0012 from './migrations/0012_search_index_pending.ts';
import * as m0013 from './migrations/0013_events_notify_trigger.ts';
import * as m0014 from './migrations/0014_partial_task_indexes.ts';
import * as m0015 from './migrations/0015_order_search_at_commit.ts';
import * as m0016 from './migrations/0016_order_search_small_pending_list.ts';
import * as m0017 from './migrations/0017_events_announced_after_commit.ts';
import { isPostgres } from './migrations/util.ts';

/** Every migration, in order. Listed statically so bundling and packaging never lose one. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_clients': m0002,
  '0003_tasks_orders': m0003,
  '0004_geocoding': m0004,
  '0005_recipients': m0005,
  '0006_webhooks': m0006,
  '0007_idempotency': m0007,
  '0008_jobs': m0008,
  '0009_order_search': m0009,
  '0010_dispatch': m0010,
  '0011_sign_in_failures': m0011,
  '0012_search_index_pending': m0012,
  '0013_events_notify_trigger': m0013,
  '0014_partial_task_indexes': m0014,
  '0015_order_search_at_commit': m0015,
  '0016_order_search_small_pending_list': m0016,
  '0017_events_announced_after_commit': m0017,
};

class StaticProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations;
  }
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  // On PostgreSQL the migration tables live in the connection's current schema, so databases that
  // hold several Baton schemas (one per test run, say) never see each other's migration state.
  let migrationTableSchema: string | undefined;
  if (isPostgres(db)) {
    const r = await sql<{ s: string }>`select current_schema() as s`.execute(db);
    migrationTableSchema = r.rows[0]?.s;
  }
  const migrator = new Migrator({ db, provider: new StaticProvider(), migrationTableSchema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
