import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtOnce } from '../../src/server/db/built-once.ts';
import type { DbHandle } from '../../src/server/db/database.ts';
import { dialects, openMigratedDb } from '../helpers/db.ts';

/**
 * Reads on the request path are built once per shape and bound to each call's values
 * (db/built-once.ts): every call must answer exactly what building it anew would.
 */
const ds = await dialects();

describe.each(ds)('reads built once per shape (%s)', (dialect) => {
  let handle: DbHandle;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ handle, close } = await openMigratedDb(dialect));
    const row = (i: number) => ({
      id: `audit-${String(i).padStart(3, '0')}`.padEnd(24, '0'),
      organization_id: i % 2 ? 'odd' : 'even',
      actor_id: null,
      actor_label: `actor ${i}`,
      action: i % 3 ? 'task.updated' : 'task.created',
      subject_type: 'task',
      subject_id: `task-${i}`,
      data: null,
      time_created: i,
    });
    await handle.db.insertInto('audit_log').values(Array.from({ length: 12 }, (_, i) => row(i))).execute();
  });
  afterAll(() => close?.());

  let builds = 0;
  const byOrgAndSubjects = builtOnce((db, organizationId: string, subjects: readonly string[], after: number) => {
    builds++;
    return db
      .selectFrom('audit_log')
      .select(['subject_id', 'time_created'])
      .where('organization_id', '=', organizationId)
      .where('subject_id', 'in', subjects)
      .where('time_created', '>', after)
      .where('subject_type', '=', 'task')
      .orderBy('time_created');
  });
  const subjects = (rows: Array<{ subject_id: string }>) => rows.map((r) => r.subject_id);

  it('answers each call with its own values, lists of any length, in and out of transactions', async () => {
    expect(subjects(await byOrgAndSubjects(handle.db, 'odd', ['task-1', 'task-3', 'task-4'], 0))).toEqual(['task-1', 'task-3']);
    expect(subjects(await byOrgAndSubjects(handle.db, 'even', ['task-2', 'task-4', 'task-5'], 2))).toEqual(['task-4']);
    expect(subjects(await byOrgAndSubjects(handle.db, 'odd', ['task-9'], 0))).toEqual(['task-9']);
    expect(subjects(await byOrgAndSubjects(handle.db, 'odd', ['task-7', 'task-11'], 7))).toEqual(['task-11']);
    const inTrx = await handle.db.transaction().execute((trx) => byOrgAndSubjects(trx, 'even', ['task-0', 'task-6', 'task-10'], -1));
    expect(subjects(inTrx)).toEqual(['task-0', 'task-6', 'task-10']);
    expect(await byOrgAndSubjects(handle.db, 'nobody', ['task-1', 'task-2', 'task-3'], 0)).toEqual([]);
    // built (and checked) on the first call of each list length only: 3, 1, 2 elements
    expect(builds).toBe(3 * 2);
  });

  it('builds every time a read that looks into its values, or puts them in its text', async () => {
    let looks = 0;
    const looksInto = builtOnce((db, action: string) =>
      ++looks && action.startsWith('task.c') ? db.selectFrom('audit_log').select('subject_id').where('action', '=', action).orderBy('time_created') : db.selectFrom('audit_log').select('subject_id').where('time_created', '<', 0),
    );
    expect(subjects(await looksInto(handle.db, 'task.created'))).toEqual(['task-0', 'task-3', 'task-6', 'task-9']);
    expect(await looksInto(handle.db, 'task.updated')).toEqual([]);
    expect(subjects(await looksInto(handle.db, 'task.created'))).toEqual(['task-0', 'task-3', 'task-6', 'task-9']);
    expect(looks).toBe(4); // the first call tries a template (in vain) and builds; the others build

    const inText = builtOnce((db, subject: string) => db.selectFrom('audit_log').select('subject_id').where('subject_id', '=', sql.lit(String(subject))));
    expect(subjects(await inText(handle.db, 'task-5'))).toEqual(['task-5']);
    expect(subjects(await inText(handle.db, 'task-8'))).toEqual(['task-8']);
  });
});
