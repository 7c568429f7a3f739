import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { EVENTS_CHANNEL, recordEvents } from '../../src/server/modules/events/events.service.ts';
import { createTestSchema, PG_URL, postgresAvailable } from '../helpers/db.ts';

/**
 * Other instances hear of new events through a notification naming the schema, sent after the
 * recording transaction has committed (db/announce.ts): nothing before the commit, nothing for a
 * rolled-back one, one for several events; one after an event written outside a transaction; and
 * under many concurrent commits, fewer notifications than commits but always one after the last.
 */
const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('event notifications on PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let handle: DbHandle;
  let listener: pg.Client;
  const heard: string[] = [];

  beforeAll(async () => {
    schema = await createTestSchema();
    handle = openDb({ databaseUrl: PG_URL, dataDir: '/nonexistent', pgSchema: schema.schema, poolSize: 2 });
    await migrateToLatest(handle.db);
    listener = new pg.Client({ connectionString: PG_URL });
    await listener.connect();
    listener.on('notification', (n) => heard.push(`${n.channel}:${n.payload}`));
    await listener.query(`listen ${EVENTS_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await handle?.destroy();
    await schema?.drop();
  });

  const event = (n: number) => ({ organizationId: 'org-notify', type: 'task.updated', subjectId: `task-${n}`, payload: { n } });
  const settle = () => new Promise((r) => setTimeout(r, 300));
  const ours = () => heard.filter((h) => h === `${EVENTS_CHANNEL}:${schema.schema}`).length;

  it('one notification naming the schema when the transaction commits, none before', async () => {
    let beforeCommit = -1;
    await handle.db.transaction().execute(async (trx) => {
      await recordEvents(trx, Date.now(), [event(1), event(2)]);
      await recordEvents(trx, Date.now(), [event(3)]);
      await settle();
      beforeCommit = ours();
    });
    expect(beforeCommit).toBe(0);
    const deadline = Date.now() + 3000;
    while (ours() === 0 && Date.now() < deadline) await settle();
    await settle();
    expect(ours()).toBe(1);
  });

  it('one after an event recorded outside a transaction, once it is stored', async () => {
    const before = ours();
    await recordEvents(handle.db, Date.now(), [event(10)]);
    const deadline = Date.now() + 3000;
    while (ours() === before && Date.now() < deadline) await settle();
    await settle();
    expect(ours()).toBe(before + 1);
  });

  it('many transactions committing together: at least one notification, sent after the last commit, that finds every event', async () => {
    const before = ours();
    const listener2 = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema.schema}` });
    await listener2.connect();
    // what a bus would read when woken: the events stored by then
    const readOnWake: number[] = [];
    listener2.on('notification', (n) => {
      if (n.payload !== schema.schema) return;
      void listener2.query(`select count(*)::int as n from events where organization_id = 'org-burst'`).then((r) => readOnWake.push(r.rows[0].n));
    });
    await listener2.query(`listen ${EVENTS_CHANNEL}`);
    const burst = Array.from({ length: 40 }, (_, i) =>
      handle.db.transaction().execute((trx) => recordEvents(trx, Date.now(), [{ ...event(100 + i), organizationId: 'org-burst' }])),
    );
    await Promise.all(burst);
    const deadline = Date.now() + 3000;
    while (!readOnWake.includes(40) && Date.now() < deadline) await settle();
    await settle();
    await listener2.end();
    const sent = ours() - before;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThanOrEqual(40);
    expect(readOnWake).toContain(40);
  });

  it('an instance listening sends its announcements on that connection: they do not wait for a busy pool', async () => {
    const before = ours();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // one connection listens, two serve requests
    const busy = openDb({ databaseUrl: PG_URL, dataDir: '/nonexistent', pgSchema: schema.schema, poolSize: 3 });
    let woken = 0;
    const unlisten = await busy.listen!(EVENTS_CHANNEL, () => woken++);
    let letGo = () => {};
    const holding = busy.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx);
      await new Promise<void>((r) => (letGo = r));
    });
    let waiting: Promise<void> | null = null;
    try {
      await sleep(50);
      await busy.db.transaction().execute(async (trx) => {
        await recordEvents(trx, Date.now(), [event(20)]);
        // a request that waits for a connection, and gets this one when it is free
        waiting = busy.db.transaction().execute(async (t) => {
          await sql`select 1`.execute(t);
          await sleep(1500);
        });
        await sleep(50);
      });
      // both request connections are busy now; the announcement does not need one
      const deadline = Date.now() + 1000;
      while (ours() === before && Date.now() < deadline) await sleep(20);
      expect(ours() - before).toBe(1);
      expect(woken).toBeGreaterThanOrEqual(2); // on listening, and for its own announcement
    } finally {
      letGo();
      await holding;
      await waiting;
      await unlisten();
      await busy.destroy();
    }
  });

  it('none for a transaction that rolls back', async () => {
    const before = ours();
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await recordEvents(trx, Date.now(), [event(4)]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await settle();
    await settle();
    expect(ours()).toBe(before);
  });
});
