import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/server/db/database.ts';
import { createTestSchema, PG_URL, postgresAvailable } from '../helpers/db.ts';

/** Queries run as named prepared statements on PostgreSQL: planned once per connection, still correct. */
const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('prepared statements on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let handle: DbHandle;

  beforeAll(async () => {
    schema = await createTestSchema();
    handle = openDb({ databaseUrl: PG_URL, dataDir: '/nonexistent', pgSchema: schema.schema, poolSize: 1 });
    await sql`create table things (id integer primary key, name text not null)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle?.destroy();
    await schema?.drop();
  });

  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(handle.db)).rows.map((r) => r.statement);

  it('a parameterised query is prepared once on the connection and answers with each execution’s values', async () => {
    const db = handle.db as unknown as import('kysely').Kysely<{ things: { id: number; name: string } }>;
    await db.insertInto('things').values({ id: 1, name: 'one' }).execute();
    await db.insertInto('things').values({ id: 2, name: 'two' }).execute();
    expect((await db.selectFrom('things').select('name').where('id', '=', 1).executeTakeFirst())?.name).toBe('one');
    expect((await db.selectFrom('things').select('name').where('id', '=', 2).executeTakeFirst())?.name).toBe('two');
    const statements = await prepared();
    expect(statements.filter((s) => s.startsWith('select "name" from "things"'))).toHaveLength(1);
    expect(statements.filter((s) => s.startsWith('insert into "things"'))).toHaveLength(1);
  });

  it('a table changed under a prepared "select *" is read again with its new columns, not failed', async () => {
    const db = handle.db as unknown as import('kysely').Kysely<{ things: { id: number; name: string; colour?: string } }>;
    expect(await db.selectFrom('things').selectAll().where('id', '=', 1).executeTakeFirst()).toEqual({ id: 1, name: 'one' });
    await sql`alter table things add column colour text not null default 'red'`.execute(handle.db);
    expect(await db.selectFrom('things').selectAll().where('id', '=', 1).executeTakeFirst()).toEqual({ id: 1, name: 'one', colour: 'red' });
    expect(await db.selectFrom('things').selectAll().where('id', '=', 2).executeTakeFirst()).toEqual({ id: 2, name: 'two', colour: 'red' });
  });
});
