import { sql, type Compilable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/server/db/database.ts';
import { dialects, openMigratedDb } from '../helpers/db.ts';

/**
 * The geocoding queue, the lateness sweep and a driver's route read tasks through indexes that hold
 * only the tasks having the value (migration 0014): each query must still be answered from its index
 * on both databases — a query the database could not prove to need only such tasks would scan the
 * whole table.
 */
const ds = await dialects();

describe.each(ds)('partial task indexes (%s)', (dialect) => {
  let handle: DbHandle;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ handle, close } = await openMigratedDb(dialect));
  });
  afterAll(() => close?.());

  /** The plan's text. PostgreSQL is told to avoid table scans where it can (its tables here are nearly empty). */
  async function plan(q: Compilable<unknown>): Promise<string> {
    const compiled = q.compile();
    if (dialect === 'sqlite') {
      const r = await handle.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
      return r.rows.map((x) => x.detail).join('\n');
    }
    return handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `explain ${compiled.sql}` });
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
  }

  it('the geocoding queue reads tasks due for coordinates from tasks_geocode_idx', async () => {
    const q = handle.db
      .selectFrom('tasks')
      .innerJoin('organizations', 'organizations.id', 'tasks.organization_id')
      .select(['tasks.id', 'tasks.address_text'])
      .where('tasks.geocode_next_at', '<=', Date.now())
      .where('tasks.state', '<>', 3)
      .orderBy('tasks.geocode_next_at')
      .limit(20);
    expect(await plan(q)).toContain('tasks_geocode_idx');
  });

  it('the lateness sweep reads open tasks past their time window from tasks_due_idx', async () => {
    const now = Date.now();
    const q = handle.db.selectFrom('tasks').selectAll().where('complete_before', '<', now).where('complete_before', '>', now - 86_400_000).where('state', '<', 3).orderBy('complete_before').limit(50);
    expect(await plan(q)).toContain('tasks_due_idx');
  });

  it('a driver’s tasks, one driver or several, come from tasks_worker_idx', async () => {
    const one = handle.db.selectFrom('tasks').selectAll().where('worker_id', '=', 'w1').where('state', '=', 2);
    const several = handle.db.selectFrom('tasks').select(['id', 'worker_id']).where('worker_id', 'in', ['w1', 'w2']).where('state', 'in', [1, 2]);
    expect(await plan(one)).toContain('tasks_worker_idx');
    expect(await plan(several)).toContain('tasks_worker_idx');
  });
});
