import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/server/db/database.ts';
import * as m0015 from '../../src/server/db/migrations/0015_order_search_at_commit.ts';
import { openMigratedDb } from '../helpers/db.ts';

/**
 * SQLite's order search index receives new orders when their group commits (migration 0015): the
 * insert trigger parks each order in `orders_search_pending`, and the group commit moves them into
 * the FTS5 index just before COMMIT. Whatever happens to an order before then — its search text
 * changed, the order deleted, its transaction rolled back, in the same group or the same
 * transaction — the committed index must match the orders exactly.
 */
describe('order search index written at commit (sqlite)', () => {
  let handle: DbHandle;
  let close: () => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    ({ handle, close } = await openMigratedDb('sqlite'));
    // orders without their courier, client and tasks: only the search text matters here
    await sql`pragma foreign_keys = off`.execute(handle.db);
  });
  afterAll(() => close?.());

  const order = (text: string) => {
    n++;
    return {
      id: `order-${String(n).padStart(18, '0')}`,
      short_id: `s${String(n).padStart(7, '0')}`,
      courier_id: 'courier',
      client_id: 'client',
      client_org_id: 'client-org',
      pickup_task_id: `p${n}`,
      dropoff_task_id: `d${n}`,
      status: 'unassigned',
      metadata: '[]',
      search_text: text,
      rejection: null,
      created_by: null,
      time_created: n,
      time_last_modified: n,
    };
  };
  /** ids of the orders whose indexed text matches (what the search reads) */
  const found = async (phrase: string) =>
    (await sql<{ id: string }>`select o.id from orders_search s join orders o on o.rowid = s.rowid where orders_search match ${`"${phrase}"`} order by o.id`.execute(handle.db)).rows.map((r) => r.id);
  const pending = async () => Number((await sql<{ c: number }>`select count(*) as c from orders_search_pending`.execute(handle.db)).rows[0].c);
  /** FTS5's own check, including that the index matches the orders' text */
  const indexIsSound = () => sql`insert into orders_search(orders_search, rank) values ('integrity-check', 1)`.execute(handle.db);

  it('orders committed together are all searchable, and nothing is left pending', async () => {
    const made = Array.from({ length: 30 }, (_, i) => order(`together maple ${i} street`));
    await Promise.all(made.map((o) => handle.db.transaction().execute((trx) => trx.insertInto('orders').values(o).execute())));
    expect(await pending()).toBe(0);
    expect(await found('together maple')).toEqual(made.map((o) => o.id).sort());
    await indexIsSound();
  });

  it('an order changed or deleted by a later transaction of its own group, or within its own transaction, is indexed as it ends up', async () => {
    const a = order('alpha before edit');
    const b = order('bravo to be deleted');
    const c = order('charlie before own edit');
    const d = order('delta rolled back');
    let insertedNow!: () => void;
    const inserted = new Promise<void>((resolve) => (insertedNow = resolve));
    await Promise.allSettled([
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('orders').values([a, b]).execute();
        insertedNow();
      }),
      // the same group: runs after the first, before the COMMIT
      handle.db.transaction().execute(async (trx) => {
        await inserted;
        await trx.updateTable('orders').set({ search_text: 'alpha after edit' }).where('id', '=', a.id).execute();
        await trx.deleteFrom('orders').where('id', '=', b.id).execute();
      }),
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('orders').values(c).execute();
        await trx.updateTable('orders').set({ search_text: 'charlie after own edit' }).where('id', '=', c.id).execute();
      }),
      handle.db.transaction().execute(async (trx) => {
        await trx.insertInto('orders').values(d).execute();
        throw new Error('rolled back');
      }),
    ]);
    expect(await pending()).toBe(0);
    expect(await found('alpha after edit')).toEqual([a.id]);
    expect(await found('alpha before')).toEqual([]);
    expect(await found('bravo')).toEqual([]);
    expect(await found('charlie after own edit')).toEqual([c.id]);
    expect(await found('charlie before')).toEqual([]);
    expect(await found('delta')).toEqual([]);
    await indexIsSound();
    // and a committed order is changed and deleted through the index as before
    await handle.db.updateTable('orders').set({ search_text: 'alpha edited again' }).where('id', '=', a.id).execute();
    expect(await found('alpha edited again')).toEqual([a.id]);
    await handle.db.deleteFrom('orders').where('id', '=', c.id).execute();
    expect(await found('charlie')).toEqual([]);
    await indexIsSound();
  });

  it('an order written outside a transaction is indexed with its own commit', async () => {
    const e = order('echo on its own');
    await handle.db.insertInto('orders').values(e).execute();
    expect(await pending()).toBe(0);
    expect(await found('echo on its own')).toEqual([e.id]);
    await indexIsSound();
  });

  it('undoing migration 0015 indexes what is pending and puts back indexing at insert; doing it again parks orders anew', async () => {
    // another program writing the file: its order stays pending (no group commit moves it)
    const other = new SQLite(handle.sqlitePath!);
    const f = order('foxtrot from elsewhere');
    try {
      other.pragma('foreign_keys = off');
      other.prepare(`insert into orders (${Object.keys(f).join(', ')}) values (${Object.keys(f).map(() => '?').join(', ')})`).run(...Object.values(f));
    } finally {
      other.close();
    }
    expect(await pending()).toBe(1);
    expect(await found('foxtrot from elsewhere')).toEqual([]);

    await m0015.down(handle.db);
    const tables = async () => (await sql<{ name: string }>`select name from sqlite_master where name = 'orders_search_pending'`.execute(handle.db)).rows;
    expect(await tables()).toEqual([]);
    expect(await found('foxtrot from elsewhere')).toEqual([f.id]);
    // indexed at insert, changed and removed at update and delete, as before the migration
    const g = order('golf after down');
    await handle.db.insertInto('orders').values(g).execute();
    expect(await found('golf after down')).toEqual([g.id]);
    await handle.db.updateTable('orders').set({ search_text: 'golf edited' }).where('id', '=', g.id).execute();
    expect(await found('golf after down')).toEqual([]);
    expect(await found('golf edited')).toEqual([g.id]);
    await handle.db.deleteFrom('orders').where('id', '=', f.id).execute();
    expect(await found('foxtrot')).toEqual([]);
    await indexIsSound();

    await m0015.up(handle.db);
    expect(await tables()).toEqual([{ name: 'orders_search_pending' }]);
    const h = order('hotel after up');
    await handle.db.transaction().execute((trx) => trx.insertInto('orders').values(h).execute());
    expect(await pending()).toBe(0);
    expect(await found('hotel after up')).toEqual([h.id]);
    expect(await found('golf edited')).toEqual([g.id]);
    await indexIsSound();
  });
});
