import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, sql, type Generated } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommitSqliteDialect } from '../../src/server/db/sqlite-group-commit.ts';

interface Db {
  items: { id: Generated<number>; name: string };
}

describe('SQLite group commit', () => {
  let dir: string;
  let file: string;
  let db: Kysely<Db>;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-gc-'));
    file = path.join(dir, 'db.sqlite');
    const raw = new SQLite(file);
    raw.pragma('journal_mode = WAL');
    db = new Kysely<Db>({ dialect: new GroupCommitSqliteDialect(raw) });
    await sql`create table items (id integer primary key, name text not null unique)`.execute(db);
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** what another process reading the file sees: only committed rows */
  const committedNames = () => {
    const other = new SQLite(file, { readonly: true });
    try {
      return (other.prepare('select name from items order by id').all() as Array<{ name: string }>).map((r) => r.name);
    } finally {
      other.close();
    }
  };

  it('commits concurrent transactions together; each is answered only once its rows are committed', async () => {
    const seenAtAnswer: boolean[] = [];
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db
          .transaction()
          .execute(async (trx) => {
            await trx.insertInto('items').values({ id: i + 1, name: `n${i}` }).execute();
            await trx.selectFrom('items').select('id').where('id', '=', i + 1).executeTakeFirstOrThrow();
          })
          .then(() => seenAtAnswer.push(committedNames().includes(`n${i}`))),
      ),
    );
    expect(seenAtAnswer).toHaveLength(40);
    expect(seenAtAnswer.every(Boolean)).toBe(true);
    expect(committedNames()).toHaveLength(40);
  });

  it('a failing transaction rolls back alone; the others in its group commit', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await trx.insertInto('items').values({ name: `ok${i}` }).execute();
          if (i % 3 === 0) {
            await trx.insertInto('items').values({ name: `half${i}` }).execute();
            throw new Error(`refused ${i}`);
          }
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(['refused 0', 'refused 3', 'refused 6', 'refused 9']);
    const names = committedNames();
    expect(names.sort()).toEqual(['ok1', 'ok2', 'ok4', 'ok5', 'ok7', 'ok8'].sort());
    expect(names.some((n) => n.startsWith('half'))).toBe(false);
  });

  it('a constraint violation inside one transaction does not undo the others', async () => {
    await db.insertInto('items').values({ name: 'taken' }).execute();
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => trx.insertInto('items').values({ name: 'a' }).execute()),
      db.transaction().execute((trx) => trx.insertInto('items').values({ name: 'taken' }).execute()),
      db.transaction().execute((trx) => trx.insertInto('items').values({ name: 'b' }).execute()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedNames().sort()).toEqual(['a', 'b', 'taken']);
  });

  it('a write outside a transaction is committed before it is answered', async () => {
    const pending = db.transaction().execute((trx) => trx.insertInto('items').values({ name: 'in group' }).execute());
    await db.insertInto('items').values({ name: 'alone' }).execute();
    expect(committedNames()).toContain('alone');
    await pending;
    expect(committedNames().sort()).toEqual(['alone', 'in group']);
  });

  it('keeps working after a failed transaction with nothing else queued', async () => {
    await expect(db.transaction().execute(async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await db.transaction().execute((trx) => trx.insertInto('items').values({ name: 'after' }).execute());
    expect(committedNames()).toEqual(['after']);
  });
  it('reads rows as objects keyed by column, as better-sqlite3 makes them — also streamed, after a schema change, and with a repeated or odd column name', async () => {
    await db.insertInto('items').values([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]).execute();
    expect(await db.selectFrom('items').selectAll().orderBy('id').execute()).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    const streamed = [];
    for await (const row of db.selectFrom('items').selectAll().orderBy('id').stream()) streamed.push(row);
    expect(streamed).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    // the same prepared `select *` once another connection (say a migration run by another
    // process) gave the table another column: SQLite prepares it again, and the column is there
    const other = new SQLite(file);
    other.exec(`alter table items add column note text; update items set note = 'x' where id = 1`);
    other.close();
    expect(await db.selectFrom('items').selectAll().orderBy('id').execute()).toEqual([{ id: 1, name: 'a', note: 'x' }, { id: 2, name: 'b', note: null }]);
    // a repeated name keeps its first place and the later value, as in better-sqlite3's objects
    const same = await sql<Record<string, unknown>>`select id, name, 'later' as name from items where id = 1`.execute(db);
    expect(same.rows).toEqual([{ id: 1, name: 'later' }]);
    expect(Object.keys(same.rows[0])).toEqual(['id', 'name']);
    // names that are not identifiers, or would mean something in an object literal
    const odd = await sql<Record<string, unknown>>`select 1 as "a b", 2 as "x""y", 3 as "__proto__", 4 as "constructor" from items where id = 1`.execute(db);
    expect(odd.rows[0]).toEqual({ 'a b': 1, 'x"y': 2, constructor: 4, ['__proto__']: 3 });
    expect(Object.getPrototypeOf(odd.rows[0])).toBe(Object.prototype);
    expect(Object.keys(odd.rows[0])).toEqual(['a b', 'x"y', '__proto__', 'constructor']);
  });

  it('runs beforeCommit in every commit — a group’s and a lone write’s — and when it fails nothing of that commit is kept', async () => {
    const raw = new SQLite(path.join(dir, 'hooked.sqlite'));
    raw.exec('create table items (id integer primary key, name text not null unique); create table seen (n integer not null)');
    let refuse = false;
    const hooked = new Kysely<Db>({
      dialect: new GroupCommitSqliteDialect(raw, {
        beforeCommit: () => {
          if (refuse) throw new Error('refused before commit');
          raw.prepare('insert into seen (n) select count(*) from items').run();
        },
      }),
    });
    const names = () => (raw.prepare('select name from items order by name').all() as Array<{ name: string }>).map((r) => r.name);
    const seen = () => (raw.prepare('select n from seen').all() as Array<{ n: number }>).map((r) => r.n);
    try {
      await Promise.all(['a', 'b', 'c'].map((name) => hooked.transaction().execute((trx) => trx.insertInto('items').values({ name }).execute())));
      await hooked.insertInto('items').values({ name: 'lone' }).execute();
      // one commit for the group (it saw its three rows), one for the lone write
      expect(seen()).toEqual([3, 4]);
      refuse = true;
      const failed = await Promise.allSettled(['d', 'e'].map((name) => hooked.transaction().execute((trx) => trx.insertInto('items').values({ name }).execute())));
      expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      await expect(hooked.insertInto('items').values({ name: 'lone again' }).execute()).rejects.toThrow('refused before commit');
      expect(names()).toEqual(['a', 'b', 'c', 'lone']);
      refuse = false;
      await hooked.transaction().execute((trx) => trx.insertInto('items').values({ name: 'after' }).execute());
      expect(names()).toEqual(['a', 'after', 'b', 'c', 'lone']);
    } finally {
      await hooked.destroy();
    }
  });
});
