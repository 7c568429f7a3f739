import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, signUpCourier, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, order, type Courier } from '../helpers/world.ts';

/**
 * Short ids are 32 random bits: collisions are rare but certain over enough orders. The ids drawn
 * next can be fixed here (`next`), so a new order's first candidates are ones already in use.
 */
const next: string[] = [];
vi.mock('../../src/server/lib/ids.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/server/lib/ids.ts')>();
  return { ...real, newShortId: () => next.shift() ?? real.newShortId() };
});

const ds = await dialects();

describe.each(ds)('short ids of new orders (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let other: Courier;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;
  let otherShop: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Short Id Couriers');
    other = await signUpCourier(t, 'Other Couriers');
    shop = await acceptedClient(t, courier, 'Short Id Shop');
    otherShop = await acceptedClient(t, other, 'Other Courier Shop');
  });
  afterAll(() => t.close());

  /** candidates are drawn as: pickup task, dropoff task, order */
  const create = async (as: Creds, n: number, ...ids: string[]) => {
    next.splice(0, next.length, ...ids);
    const res = await t.call('POST', '/api/v2/taskOrders', { as, body: order(n) });
    next.length = 0;
    expect(res.status).toBe(201);
    return res.body as { id: string; shortId: string; pickupTask: { id: string; shortId: string }; dropoffTask: { id: string; shortId: string; trackingURL: string } };
  };
  const tracked = async (shortId: string) => (await t.call('GET', `/api/v2/tracking/${shortId}`)).body;

  it('draws new ones when a task short id is taken, by any courier: a tracking link leads to one delivery', async () => {
    const first = await create(otherShop.apiKey, 1, 'aaaa0001', 'aaaa0002', 'aaaa0003');
    expect([first.pickupTask.shortId, first.dropoffTask.shortId, first.shortId]).toEqual(['aaaa0001', 'aaaa0002', 'aaaa0003']);

    // the dropoff's candidate is the other courier's dropoff
    const second = await create(shop.apiKey, 2, 'bbbb0001', 'aaaa0002', 'bbbb0003', 'cccc0001', 'cccc0002', 'cccc0003');
    expect([second.pickupTask.shortId, second.dropoffTask.shortId, second.shortId]).toEqual(['cccc0001', 'cccc0002', 'cccc0003']);
    expect(second.dropoffTask.trackingURL).toMatch(/\/track\/cccc0002$/);

    // each link shows its own delivery, in its own client's name
    expect((await tracked('aaaa0002')).merchantName).toBe('Other Courier Shop');
    expect((await tracked('cccc0002')).merchantName).toBe('Short Id Shop');
    const rows = await t.app.ctx.db.selectFrom('tasks').select(['id', 'short_id']).where('short_id', 'in', ['aaaa0002', 'bbbb0001', 'cccc0002']).execute();
    expect(rows.map((r) => r.short_id).sort()).toEqual(['aaaa0002', 'cccc0002']);
  });

  it('draws new ones when the order short id is taken among the courier’s orders, not another courier’s', async () => {
    // the same order short id under another courier is allowed: each courier has its own orders
    const mine = await create(shop.apiKey, 3, 'dddd0001', 'dddd0002', 'aaaa0003');
    expect(mine.shortId).toBe('aaaa0003');

    // taken among this courier's orders: drawn again, retried as often as it takes
    const again = await create(shop.apiKey, 4, 'eeee0001', 'eeee0002', 'aaaa0003', 'ffff0001', 'ffff0002', 'aaaa0003', 'abab0001', 'abab0002', 'abab0003');
    expect([again.pickupTask.shortId, again.dropoffTask.shortId, again.shortId]).toEqual(['abab0001', 'abab0002', 'abab0003']);

    // both are found by their own short ids in the courier's order list
    const list = (await t.call('GET', '/api/v2/taskOrders', { as: courier.apiKey })).body;
    const byShortId = new Map((list.orders as Array<{ id: string; shortId: string }>).map((o) => [o.shortId, o.id]));
    expect(byShortId.get('aaaa0003')).toBe(mine.id);
    expect(byShortId.get('abab0003')).toBe(again.id);
  });

  it('a task created on its own also gets a short id no other task has', async () => {
    next.splice(0, next.length, 'aaaa0001', 'fafa0001');
    const res = await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '5 Own Street, San Francisco' } }, recipients: [] } });
    next.length = 0;
    expect(res.status).toBe(200);
    expect(res.body.shortId).toBe('fafa0001');
    expect((await tracked('aaaa0001')).merchantName).toBe('Other Courier Shop');
  });
});
