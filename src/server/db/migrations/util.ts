import { sql, type Kysely } from 'kysely';

/** Migrations are shared by both dialects; the few dialect-specific column types ask this. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}

/**
 * PostgreSQL: whether the order search's trigram index exists in the current schema (it does not when
 * pg_trgm could not be installed; searches then scan).
 */
export async function hasOrderSearchIndex(db: Kysely<any>): Promise<boolean> {
  const found = await sql<{ ok: number }>`select 1 as ok from pg_class where relname = 'orders_search_trgm' and relnamespace = current_schema()::regnamespace`.execute(db);
  return found.rows.length > 0;
}
