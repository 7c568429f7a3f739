import { sql, type Kysely } from 'kysely';
import { hasOrderSearchIndex, isPostgres } from './util.ts';

/**
 * PostgreSQL: the order search index gathers new entries in a small pending list again (256 kB)
 * instead of writing each order's trigrams into the index at its insert (migration 0012, decision
 * 0013, amended). Writing them one order at a time took ~450 µs of the database's time per order —
 * most of what an order's insert costs it — and order intake is bound by the database's CPU on a
 * two-core machine; a list of 256 kB (~250 orders) is merged by the insert that fills it, in one go,
 * and a search reads at most that much unmerged (the default 4 MB list cost searches 4–18 ms).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db) || !(await hasOrderSearchIndex(db))) return;
  await sql`alter index orders_search_trgm set (fastupdate = on, gin_pending_list_limit = 256)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!isPostgres(db) || !(await hasOrderSearchIndex(db))) return;
  await sql`alter index orders_search_trgm set (fastupdate = off)`.execute(db);
  await sql`alter index orders_search_trgm reset (gin_pending_list_limit)`.execute(db);
  await sql`select gin_clean_pending_list('orders_search_trgm'::regclass)`.execute(db);
}
