import { sql, type Kysely } from 'kysely';
import { isPostgres } from './util.ts';

/**
 * PostgreSQL: other instances hear of new events (live updates, webhooks, notifications) through
 * `pg_notify('baton_events', <schema>)`, sent when the transaction that recorded them commits. The
 * notification now comes from a statement trigger on `events` instead of a separate query after
 * each insert: one round trip fewer for every change (an order is a dozen of them). Several inserts
 * in one transaction still arrive as one notification (PostgreSQL folds identical ones).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create function baton_events_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('baton_events', current_schema());
      return null;
    end
  $$`.execute(db);
  await sql`create trigger events_notify after insert on events for each statement execute function baton_events_notify()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop trigger if exists events_notify on events`.execute(db);
  await sql`drop function if exists baton_events_notify()`.execute(db);
}
