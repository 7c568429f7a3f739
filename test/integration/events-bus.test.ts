import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus, type BusEvent } from '../../src/server/modules/events/events.bus.ts';
import { recordEvent } from '../../src/server/modules/events/events.service.ts';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

describe.each(ds)('the event bus (%s)', (dialect) => {
  let t: TestApp;
  let org: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    org = (await signUpCourier(t)).organizationId;
  });
  afterAll(() => t.close());

  it('delivers an event whose transaction commits after a later one, exactly once', async () => {
    const db = t.app.ctx.db;
    const bus = new EventBus(db, t.dialect, t.app.log, () => Date.now(), 60_000);
    await bus.start();
    const got: string[] = [];
    bus.subscribe({ accepts: (e: BusEvent) => e.organizationId === org, send: (e: BusEvent) => got.push(e.subjectId) });
    try {
      const event = (subjectId: string) => ({ organizationId: org, type: 'task.updated', subjectId, payload: { n: subjectId } });
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let slowRecorded!: () => void;
      const recorded = new Promise<void>((r) => (slowRecorded = r));
      // the slow transaction takes its sequence number first and commits last
      const slow = db.transaction().execute(async (trx) => {
        await recordEvent(trx, Date.now(), event('slow'));
        slowRecorded();
        await gate;
      });
      await recorded;
      if (dialect === 'sqlite') {
        // SQLite runs one transaction at a time: the other waits, so the order cannot invert
        release();
        await slow;
        await db.transaction().execute((trx) => recordEvent(trx, Date.now(), event('fast')));
        await bus.poll();
        expect(got).toEqual(['slow', 'fast']);
        return;
      }
      await db.transaction().execute((trx) => recordEvent(trx, Date.now(), event('fast')));
      await bus.poll();
      expect(got).toEqual(['fast']);
      release();
      await slow;
      await bus.poll();
      await bus.poll();
      expect(got).toEqual(['fast', 'slow']);
    } finally {
      await bus.stop();
    }
  });
});
