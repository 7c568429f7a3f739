import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/server/db/database.ts';
import { insertRows } from '../../src/server/db/insert-rows.ts';
import { dialects, openMigratedDb } from '../helpers/db.ts';

/**
 * Inserts are built once per shape and later rows bound to the same statement (db/insert-rows.ts):
 * whatever the shape, what lands must be exactly the rows given.
 */
const ds = await dialects();

describe.each(ds)('inserts built once per shape (%s)', (dialect) => {
  let handle: DbHandle;
  let close: () => Promise<void>;
  let n = 0;

  beforeAll(async () => {
    ({ handle, close } = await openMigratedDb(dialect));
  });
  afterAll(() => close?.());

  const entry = (action: string, data: string | null, subject = `s${++n}`) => ({
    id: `id-${action}-${subject}`.padEnd(24, '0').slice(0, 24),
    organization_id: 'org',
    actor_id: null,
    actor_label: `label ${action}`,
    action,
    subject_type: 'task',
    subject_id: subject,
    data,
    time_created: 1_000 + n,
  });
  const stored = (action: string) =>
    handle.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('time_created').execute();

  it('stores each call’s own rows when the same shape comes again (in and out of transactions)', async () => {
    const first = [entry('a', '{"x":1}'), entry('a', null)];
    const second = [entry('a', null), entry('a', '{"y":2}')];
    await insertRows(handle.db, 'audit_log', first);
    await insertRows(handle.db, 'audit_log', second);
    const third = [entry('a', 'three'), entry('a', "it's \"quoted\" $1 ?")];
    await handle.db.transaction().execute((trx) => insertRows(trx, 'audit_log', third));
    const rows = await stored('a');
    expect(rows.map((r) => ({ ...r, time_created: Number(r.time_created) }))).toEqual([...first, ...second, ...third]);
  });

  it('keeps columns apart when the same columns come in another order', async () => {
    const e = entry('b', 'first order');
    const { data, id, ...rest } = entry('b', 'second order');
    await insertRows(handle.db, 'audit_log', [e]);
    await insertRows(handle.db, 'audit_log', [{ data, ...rest, id }]);
    // and within one call
    const f = entry('b', 'third, first of two');
    const { data: gData, id: gId, ...gRest } = entry('b', 'fourth, second of two');
    await insertRows(handle.db, 'audit_log', [f, { data: gData, ...gRest, id: gId }]);
    expect((await stored('b')).map((r) => [r.id, r.data])).toEqual([
      [e.id, 'first order'],
      [id, 'second order'],
      [f.id, 'third, first of two'],
      [gId, 'fourth, second of two'],
    ]);
  });

  it('goes through the builder for rows it cannot bind: a left-out value, an expression, rows of different columns', async () => {
    const { data: _left, ...withoutData } = entry('c', null);
    await insertRows(handle.db, 'audit_log', [withoutData]);
    await insertRows(handle.db, 'audit_log', [{ ...entry('c', null), data: sql<string>`${'from an expression'}` as unknown as string }]);
    const partial = entry('c', 'has data');
    await insertRows(handle.db, 'audit_log', [partial, { ...entry('c', null), data: undefined as unknown as null }]);
    expect((await stored('c')).map((r) => r.data)).toEqual([null, 'from an expression', 'has data', null]);
  });
});
