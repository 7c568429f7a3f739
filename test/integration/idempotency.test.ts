import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, type Courier } from '../helpers/world.ts';

const ds = await dialects();

const order = (n: number) => ({
  pickupTask: { destination: { address: { unparsed: `${n} Retry Street` }, location: [-122.4, 37.78] } },
  dropoffTask: { destination: { address: { unparsed: `${n} Retry Avenue` }, location: [-122.41, 37.77] }, recipient: { name: 'Retry Recipient', phone: '+14155550144' } },
});

describe.each(ds)('Idempotency-Key (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Retry Couriers');
    shop = await acceptedClient(t, courier, 'Retry Shop');
  });
  afterAll(() => t?.close());

  const countOrders = async () => Number((await t.app.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
  const countTasks = async () => Number((await t.app.ctx.db.selectFrom('tasks').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

  it('creates an order once however many concurrent retries carry the same key', async () => {
    const before = await countOrders();
    const tasksBefore = await countTasks();
    const headers = { 'idempotency-key': 'order-7f3a-0001' };
    const results = await Promise.all(Array.from({ length: 8 }, () => t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(1), headers })));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
    expect(await countOrders()).toBe(before + 1);
    expect(await countTasks()).toBe(tasksBefore + 2);

    // a later retry gets the same answer
    const later = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(1), headers });
    expect(later.status).toBe(201);
    expect(later.body).toEqual(results[0].body);
    expect(await countOrders()).toBe(before + 1);
  });

  it('refuses the same key for a different request, and keeps keys apart per caller', async () => {
    const headers = { 'idempotency-key': 'task-key-1' };
    const first = await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '1 Key Street' } } }, headers });
    expect(first.status).toBe(200);
    const other = await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '2 Key Street' } } }, headers });
    expect(other.status).toBe(409);
    expect(other.body.message.message).toMatch(/different request/);
    // the same key from another caller is another key
    const teamA = await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Key Team' }, headers: { 'idempotency-key': 'shared' } });
    const teamB = await t.call('POST', '/api/v2/teams', { as: courier.session, body: { name: 'Key Team Two' }, headers: { 'idempotency-key': 'shared' } });
    expect(teamA.status).toBe(200);
    expect(teamB.status).toBe(200);
    expect(teamA.body.id).not.toBe(teamB.body.id);
  });

  it('answers a retried refusal the same way, and rejects malformed keys', async () => {
    // refused by the schema: nothing is kept, the retry is refused again
    const headers = { 'idempotency-key': 'bad-order-1' };
    const bad = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: { pickupTask: {} }, headers });
    expect(bad.status).toBe(400);
    expect((await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: { pickupTask: {} }, headers })).status).toBe(400);
    // refused by the rules (an unknown team): the refusal is kept and replayed
    const noTeam = { destination: { address: { unparsed: '9 Key Street' } }, container: { type: 'TEAM', team: 'ZZZZZZZZZZZZZZZZZZZZZZZZ' } };
    const refused = await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: noTeam, headers: { 'idempotency-key': 'no-team' } });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const again = await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: noTeam, headers: { 'idempotency-key': 'no-team' } });
    expect(again.status).toBe(refused.status);
    expect(again.body.message.message).toBe(refused.body.message.message);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const malformed = await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Malformed' }, headers: { 'idempotency-key': 'x'.repeat(300) } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message.cause).toMatchObject({ field: 'Idempotency-Key' });
  });

  it('works without a key exactly as before: two requests, two orders', async () => {
    const before = await countOrders();
    await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(5) });
    await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(5) });
    expect(await countOrders()).toBe(before + 2);
  });
});
