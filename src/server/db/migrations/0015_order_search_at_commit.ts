import { sql, type Kysely } from 'kysely';
import { isPostgres } from './util.ts';

/**
 * SQLite: a new order's search text reaches the text index when its transaction's group commits,
 * not at its insert (docs/decisions/0017).
 *
 * FTS5 keeps what was written in memory and writes it out as a new index segment whenever the
 * transaction it was written in starts another statement or savepoint. Group commit runs many orders'
 * transactions inside one SQLite transaction (decision 0009), so each order's few dozen trigrams were
 * written out as a segment of their own by the next statement — about a sixth of the database time of
 * an order. The insert trigger now records the order in `orders_search_pending` (a plain table), and
 * the driver moves the pending rows into the index in one statement just before each COMMIT, so a
 * group's orders make one segment. The update and delete triggers handle an order still pending by
 * changing or removing its pending row instead of its index entry (FTS5 must be told the exact old
 * text to remove an entry; an entry that is not there cannot be removed).
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  await sql`create table orders_search_pending (rowid integer primary key, search_text text not null)`.execute(db);
  await dropTriggers(db);
  await sql`create trigger orders_search_ai after insert on orders begin
    insert into orders_search_pending(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`create trigger orders_search_ad after delete on orders begin
    insert into orders_search(orders_search, rowid, search_text)
      select 'delete', old.rowid, old.search_text where not exists (select 1 from orders_search_pending where rowid = old.rowid);
    delete from orders_search_pending where rowid = old.rowid;
  end`.execute(db);
  await sql`create trigger orders_search_au after update of search_text on orders begin
    insert into orders_search(orders_search, rowid, search_text)
      select 'delete', old.rowid, old.search_text where not exists (select 1 from orders_search_pending where rowid = old.rowid);
    update orders_search_pending set search_text = new.search_text where rowid = old.rowid;
    insert into orders_search(rowid, search_text)
      select new.rowid, new.search_text where not exists (select 1 from orders_search_pending where rowid = new.rowid);
  end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) return;
  // One transaction: Baton's group commit moves pending rows into the index before every COMMIT
  // (db/order-search-pending.ts), so moving them here in a statement of its own would index them twice.
  await db.transaction().execute(async (trx) => {
    await sql`insert into orders_search(rowid, search_text) select rowid, search_text from orders_search_pending`.execute(trx);
    await dropTriggers(trx);
    await sql`drop table orders_search_pending`.execute(trx);
    await sql`create trigger orders_search_ai after insert on orders begin
      insert into orders_search(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(trx);
    await sql`create trigger orders_search_ad after delete on orders begin
      insert into orders_search(orders_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
    end`.execute(trx);
    await sql`create trigger orders_search_au after update of search_text on orders begin
      insert into orders_search(orders_search, rowid, search_text) values ('delete', old.rowid, old.search_text);
      insert into orders_search(rowid, search_text) values (new.rowid, new.search_text);
    end`.execute(trx);
  });
}

async function dropTriggers(db: Kysely<any>) {
  for (const name of ['orders_search_ai', 'orders_search_ad', 'orders_search_au']) await sql`drop trigger ${sql.id(name)}`.execute(db);
}
