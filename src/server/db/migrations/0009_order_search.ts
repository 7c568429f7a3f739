import { sql, type Kysely } from 'kysely';
import { isPostgres } from './util.ts';

/**
 * A text index for the order search (`?q=`, a substring of the short id, addresses and
 * recipients): SQLite's FTS5 trigram index kept in step by triggers; PostgreSQL's pg_trgm GIN
 * index. Without pg_trgm (it cannot be installed) searches still work, by scanning.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    let schema = await trgmSchema(db);
    if (!schema) {
      // Another database user may be installing it at the same moment; a savepoint keeps this
      // migration's transaction usable if the attempt fails.
      await sql`savepoint baton_trgm`.execute(db);
      try {
        await sql`create extension if not exists pg_trgm with schema public`.execute(db);
        await sql`release savepoint baton_trgm`.execute(db);
      } catch {
        await sql`rollback to savepoint baton_trgm`.execute(db);
      }
      schema = await trgmSchema(db);
    }
    if (schema) await sql`create index orders_search_trgm on orders using gin (search_text ${sql.id(schema)}.gin_trgm_ops)`.execute(db);
    return;
  }
  await sql`create virtual table orders_search using fts5(search_text, content='orders', content_rowid='rowid', tokenize='trigram')`.execute(db);
  await sql`insert into orders_search(orders_search) values ('rebuild')`.execute(db);
  await sql`create trigger orders_search_ai after insert on orders begin
    insert into orders_search(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`create trigger orders_search_ad after delete on orders begin
    insert into orders_search(orders_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
  end`.execute(db);
  await sql`create trigger orders_search_au after update of search_text on orders begin
    insert into orders_search(orders_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
    insert into orders_search(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
}

async function trgmSchema(db: Kysely<any>): Promise<string | null> {
  const r = await sql<{ s: string }>`select extnamespace::regnamespace::text as s from pg_extension where extname = 'pg_trgm'`.execute(db);
  return r.rows[0]?.s ?? null;
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop index if exists orders_search_trgm`.execute(db);
    return;
  }
  await sql`drop trigger if exists orders_search_au`.execute(db);
  await sql`drop trigger if exists orders_search_ad`.execute(db);
  await sql`drop trigger if exists orders_search_ai`.execute(db);
  await sql`drop table if exists orders_search`.execute(db);
}
