import { sql, type Kysely } from 'kysely';
import { isPostgres } from './util.ts';

/**
 * PostgreSQL: committed events are announced by the database layer after their transaction has
 * committed (db/announce.ts, decision 0018), not by migration 0013's trigger from inside it: a
 * `NOTIFY` in a transaction holds a database-wide lock until that transaction's commit is on disk,
 * so every order's commit waited for the flush of the one before it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`drop trigger if exists events_notify on events`.execute(db);
  await sql`drop function if exists baton_events_notify()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`create function baton_events_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('baton_events', current_schema());
      return null;
    end
  $$`.execute(db);
  await sql`create trigger events_notify after insert on events for each statement execute function baton_events_notify()`.execute(db);
}
