import type { Kysely } from 'kysely';

/** Migrations are shared by both dialects; the few dialect-specific column types ask this. */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name.startsWith('Postgres');
}
