import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, order, signedInDriver, type Courier } from '../helpers/world.ts';

const ds = await dialects();

describe.each(ds)('task orders (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let teamId: string;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;
  let other: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Order Couriers');
    teamId = (await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Mission' } })).body.id;
    shop = await acceptedClient(t, courier, 'Corner Shop');
    other = await acceptedClient(t, courier, 'Other Shop');
  });
  afterAll(() => t.close());

  const count = async (table: 'tasks' | 'orders') =>
    Number((await t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('creates a linked, unassigned pickup and dropoff in the courier organization', async () => {
    const res = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(1) });
    expect(res.status).toBe(201);
    const o = res.body;
    expect(o.shortId).toMatch(/^[0-9a-f]{8}$/);
    expect(o).toMatchObject({ status: 'unassigned', client: shop.clientId, merchant: shop.organizationId, clientName: 'Corner Shop' });
    const { pickupTask: p, dropoffTask: d } = o;
    expect(p).toMatchObject({ pickupTask: true, state: 0, orderShortId: o.shortId, merchant: shop.organizationId, executor: courier.organizationId, organization: courier.organizationId });
    expect(d).toMatchObject({ pickupTask: false, state: 0, orderShortId: o.shortId, dependencies: [p.id] });
    expect(p.container).toEqual({ type: 'ORGANIZATION', organization: courier.organizationId });
    expect(d.recipients[0]).toMatchObject({ name: 'Rita Recipient 1', phone: '+14155550199' });
    expect(d.destination.location).toBeNull();
    expect(d.destination.warnings.length).toBe(1);
    expect(o.trackingURL).toBe(d.trackingURL);
    // the courier sees both tasks, and the order on the client's record
    const seen = await t.call('GET', `/api/v2/tasks/${d.id}`, { as: courier.apiKey });
    expect(seen.status).toBe(200);
    // the dependency is stored, not only answered (PostgreSQL writes it in the tasks' statement)
    expect(seen.body.dependencies).toEqual([p.id]);
    expect((await t.call('GET', `/api/v2/clients/${shop.clientId}`, { as: courier.apiKey })).body.orderCount).toBe(1);
  });

  it('is all or nothing: a bad dropoff leaves no order and no task behind', async () => {
    const [tasks, orders] = [await count('tasks'), await count('orders')];
    const bad = order(2);
    bad.dropoffTask.recipient.phone = '12';
    const res = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: bad });
    expect(res.status).toBe(400);
    const window = order(3);
    (window.dropoffTask as { completeAfter?: number }).completeAfter = window.dropoffTask.completeBefore + 1;
    const res2 = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: window });
    expect(res2.status).toBe(400);
    expect(res2.body.message.error).toBe(1009);
    expect([await count('tasks'), await count('orders')]).toEqual([tasks, orders]);
  });

  it("puts an auto-assigning client's orders straight into its team", async () => {
    const auto = await acceptedClient(t, courier, 'Auto Shop', { autoAssignTeam: teamId });
    const res = await t.call('POST', '/api/v2/taskOrders', { as: auto.session, body: order(4) });
    expect(res.status).toBe(201);
    expect(res.body.pickupTask.container).toEqual({ type: 'TEAM', team: teamId });
    expect(res.body.dropoffTask.container).toEqual({ type: 'TEAM', team: teamId });
    expect(res.body.pickupTask.state).toBe(0);
    const teamTasks = await t.call('GET', `/api/v2/teams/${teamId}/tasks`, { as: courier.apiKey });
    expect(teamTasks.body.tasks.map((x: { id: string }) => x.id)).toEqual(expect.arrayContaining([res.body.pickupTask.id, res.body.dropoffTask.id]));
  });

  it('lets the courier create an order for a named, active client only', async () => {
    const missing = await t.call('POST', '/api/v2/taskOrders', { as: courier.apiKey, body: order(5) });
    expect(missing.status).toBe(400);
    expect(missing.body.message.cause).toEqual({ field: 'client' });
    const ok = await t.call('POST', '/api/v2/taskOrders', { as: courier.apiKey, body: { ...order(5), client: other.clientId } });
    expect(ok.status).toBe(201);
    expect(ok.body.merchant).toBe(other.organizationId);
    const pending = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Not yet', email: 'notyet@example.test' } })).body;
    const refused = await t.call('POST', '/api/v2/taskOrders', { as: courier.apiKey, body: { ...order(6), client: pending.id } });
    expect(refused.status).toBe(409);
    // another courier's client is unknown here, like a well-formed id that names nothing
    const rival = await signUpCourier(t, 'Rival Couriers');
    const theirs = await acceptedClient(t, rival, 'Rival Shop');
    const { newId } = await import('../../src/server/lib/ids.ts');
    for (const client of [theirs.clientId, newId()]) {
      const unknown = await t.call('POST', '/api/v2/taskOrders', { as: courier.apiKey, body: { ...order(7), client } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.message.message).toContain(`Unknown client ${client}`);
    }
  });

  it('shows a client only its own orders, searchable and filterable', async () => {
    for (let i = 10; i < 13; i++) await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(i) });
    const mine = await t.call('GET', '/api/v2/taskOrders', { as: shop.apiKey });
    expect(mine.status).toBe(200);
    expect(mine.body.orders.length).toBeGreaterThanOrEqual(4);
    expect(mine.body.orders.every((o: { merchant: string }) => o.merchant === shop.organizationId)).toBe(true);
    const theirs = await t.call('GET', '/api/v2/taskOrders', { as: other.apiKey });
    expect(theirs.body.orders.every((o: { merchant: string }) => o.merchant === other.organizationId)).toBe(true);
    // newest first
    const times = mine.body.orders.map((o: { timeCreated: number }) => o.timeCreated);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const byRecipient = await t.call('GET', '/api/v2/taskOrders?q=rita%20recipient%2011', { as: shop.apiKey });
    expect(byRecipient.body.orders).toHaveLength(1);
    const id = byRecipient.body.orders[0].shortId;
    expect((await t.call('GET', `/api/v2/taskOrders?q=${id}`, { as: shop.apiKey })).body.orders.map((o: { shortId: string }) => o.shortId)).toEqual([id]);
    expect((await t.call('GET', '/api/v2/taskOrders?q=112%20valencia', { as: shop.apiKey })).body.orders).toHaveLength(1);
    // another client cannot find it, or read it
    expect((await t.call('GET', `/api/v2/taskOrders?q=${id}`, { as: other.apiKey })).body.orders).toEqual([]);
    expect((await t.call('GET', `/api/v2/taskOrders/${id}`, { as: other.apiKey })).status).toBe(404);
    expect((await t.call('GET', `/api/v2/tasks/${byRecipient.body.orders[0].dropoffTask.id}`, { as: other.apiKey })).status).toBe(404);
    // paging
    const p1 = await t.call('GET', '/api/v2/taskOrders?limit=2', { as: shop.apiKey });
    expect(p1.body.orders).toHaveLength(2);
    const p2 = await t.call('GET', `/api/v2/taskOrders?limit=2&lastId=${p1.body.lastId}`, { as: shop.apiKey });
    expect(p2.body.orders[0].timeCreated).toBeLessThanOrEqual(p1.body.orders[1].timeCreated);
    expect(p2.body.orders.map((o: { id: string }) => o.id)).not.toContain(p1.body.orders[1].id);
    const bad = await t.call('GET', '/api/v2/taskOrders?status=lost', { as: shop.apiKey });
    expect(bad.status).toBe(400);
    expect((await t.call('GET', '/api/v2/taskOrders?status=completed', { as: shop.apiKey })).body.orders).toEqual([]);
  });

  it('finds rare and common words among many orders through the text index, and follows edits', async () => {
    const { listOrders } = await import('../../src/server/modules/orders/orders.repository.ts');
    const made: Array<{ id: string; shortId: string }> = [];
    for (let i = 0; i < 12; i++) {
      const body = order(300 + i);
      body.dropoffTask.recipient.name = i === 0 ? 'Quentin Rareword' : `Common Name ${i}`;
      made.push((await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body })).body);
    }
    const search = (q: string, tuning: { recentWindow?: number; maxIndexMatches?: number }, limit = 5) =>
      listOrders(t.app.ctx.db, { clientOrgId: shop.organizationId, q, direction: 'desc', limit, ...tuning }).then((rows) => rows.map((r) => r.short_id));
    // the oldest order is outside the newest 3 looked at first: found through the index
    expect(await search('rareword', { recentWindow: 3 })).toEqual([made[0].shortId]);
    // a common word fills the page from the newest orders, newest first
    expect(await search('common name', { recentWindow: 3 }, 2)).toEqual([made[11].shortId, made[10].shortId]);
    // more index matches than allowed: the scan answers the same
    expect(await search('common name', { recentWindow: 1, maxIndexMatches: 2 }, 20)).toEqual(made.slice(1).reverse().map((m) => m.shortId));
    // an edit replaces the indexed text
    const edit = await t.call('PUT', `/api/v2/taskOrders/${made[0].shortId}`, { as: shop.apiKey, body: { dropoffTask: { recipient: { name: 'Ursula Otherword', phone: '+14155550112' } } } });
    expect(edit.status).toBe(200);
    expect(await search('rareword', { recentWindow: 3 })).toEqual([]);
    expect(await search('otherword', { recentWindow: 3 })).toEqual([made[0].shortId]);
    // the API answers the same
    expect((await t.call('GET', '/api/v2/taskOrders?q=otherword', { as: shop.apiKey })).body.orders.map((o: { shortId: string }) => o.shortId)).toEqual([made[0].shortId]);
    if (dialect === 'postgres') {
      // PostgreSQL's index gathers new orders' words in a small pending list (256 kB: every search
      // reads at most that much unmerged; the searches above found orders still in it)
      const { sql } = await import('kysely');
      const options = await sql<{ o: string[] | null }>`select reloptions as o from pg_class where relname = 'orders_search_trgm' and relnamespace = current_schema()::regnamespace`.execute(t.app.ctx.db);
      expect(options.rows[0]?.o).toEqual(expect.arrayContaining(['fastupdate=on', 'gin_pending_list_limit=256']));
    }
  });

  it('lets the client edit an order until its pickup starts, then refuses', async () => {
    const o = (await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(20) })).body;
    const edit = await t.call('PUT', `/api/v2/taskOrders/${o.shortId}`, {
      as: shop.apiKey,
      body: { dropoffTask: { notes: 'Leave with the concierge', recipient: { name: 'Ron New', phone: '+14155550111' } } },
    });
    expect(edit.status).toBe(200);
    expect(edit.body.dropoffTask.notes).toBe('Leave with the concierge');
    expect(edit.body.dropoffTask.recipients[0].name).toBe('Ron New');
    expect((await t.call('GET', '/api/v2/taskOrders?q=ron%20new', { as: shop.apiKey })).body.orders).toHaveLength(1);

    const driver = await signedInDriver(t, courier, teamId);
    await t.call('PUT', `/api/v2/containers/workers/${driver.workerId}`, { as: courier.apiKey, body: { tasks: [o.pickupTask.id, o.dropoffTask.id] } });
    expect((await t.call('GET', `/api/v2/taskOrders/${o.shortId}`, { as: shop.apiKey })).body.status).toBe('assigned');
    expect((await t.call('POST', `/api/v2/tasks/${o.pickupTask.id}/start`, { as: driver.as })).status).toBe(200);
    expect((await t.call('GET', `/api/v2/taskOrders/${o.shortId}`, { as: shop.apiKey })).body.status).toBe('in_progress');
    const late = await t.call('PUT', `/api/v2/taskOrders/${o.shortId}`, { as: shop.apiKey, body: { dropoffTask: { notes: 'too late' } } });
    expect(late.status).toBe(409);
    const cancel = await t.call('POST', '/api/v2/taskOrders/cancel', { as: shop.apiKey, body: { shortIds: [o.shortId] } });
    expect(cancel.body.cancelled).toEqual([]);
    expect(cancel.body.errors[0]).toMatchObject({ shortId: o.shortId, error: 1005 });
  });

  it('follows its tasks to completed, with the proof visible to the client', async () => {
    const o = (await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(30) })).body;
    const driver = await signedInDriver(t, courier, teamId, 'Finn Finisher');
    await t.call('PUT', `/api/v2/containers/workers/${driver.workerId}`, { as: courier.apiKey, body: { tasks: [o.pickupTask.id, o.dropoffTask.id] } });
    // the dropoff cannot start before the pickup succeeded
    const early = await t.call('POST', `/api/v2/tasks/${o.dropoffTask.id}/start`, { as: driver.as });
    expect(early.status).toBe(409);
    await t.call('POST', `/api/v2/tasks/${o.pickupTask.id}/start`, { as: driver.as });
    await t.call('POST', `/api/v2/tasks/${o.pickupTask.id}/complete`, { as: driver.as, body: { completionDetails: { success: true } } });
    await t.call('POST', `/api/v2/tasks/${o.dropoffTask.id}/start`, { as: driver.as });
    const done = await t.call('POST', `/api/v2/tasks/${o.dropoffTask.id}/complete`, { as: driver.as, body: { completionDetails: { success: true, notes: 'Left with the concierge' } } });
    expect(done.status).toBe(200);
    const seen = (await t.call('GET', `/api/v2/taskOrders/${o.shortId}`, { as: shop.session })).body;
    expect(seen.status).toBe('completed');
    expect(seen.dropoffTask.completionDetails).toMatchObject({ success: true, notes: 'Left with the concierge' });
    expect(seen.dropoffTask.worker).toBe(driver.workerId);
  });

  it('cancels orders not yet started, and the courier rejects with reasons the client sees', async () => {
    const a = (await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(40) })).body;
    const b = (await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(41) })).body;
    const c = await t.call('POST', '/api/v2/taskOrders/cancel', { as: shop.apiKey, body: { shortIds: [a.shortId, 'ffffffff'] } });
    expect(c.body.cancelled).toEqual([a.shortId]);
    expect(c.body.errors).toEqual([expect.objectContaining({ shortId: 'ffffffff', error: 1003 })]);
    const cancelled = (await t.call('GET', `/api/v2/taskOrders/${a.shortId}`, { as: shop.apiKey })).body;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.pickupTask).toMatchObject({ state: 3, completionDetails: { success: false, failureReason: 'CANCELLED' } });

    const notCourier = await t.call('POST', `/api/v2/taskOrders/${b.shortId}/reject`, { as: shop.apiKey, body: { reasons: ['nope'] } });
    expect(notCourier.status).toBe(403);
    const rej = await t.call('POST', `/api/v2/taskOrders/${b.shortId}/reject`, { as: courier.session, body: { reasons: ['Outside our delivery area'] } });
    expect(rej.status).toBe(200);
    expect(rej.body.status).toBe('rejected');
    const seen = (await t.call('GET', `/api/v2/taskOrders/${b.shortId}`, { as: shop.apiKey })).body;
    expect(seen.rejection.reasons).toEqual(['Outside our delivery area']);
    expect((await t.call('POST', `/api/v2/taskOrders/${b.shortId}/reject`, { as: courier.apiKey, body: { reasons: 'again' } })).status).toBe(409);
    // the rejected order's tasks cannot be deleted behind the client's back
    expect((await t.call('DELETE', `/api/v2/tasks/${b.pickupTask.id}`, { as: courier.apiKey })).status).toBe(409);
  });

  it("keeps a deleted client's orders visible to the courier", async () => {
    const gone = await acceptedClient(t, courier, 'Closing Down');
    const o = (await t.call('POST', '/api/v2/taskOrders', { as: gone.apiKey, body: order(50) })).body;
    await t.call('DELETE', `/api/v2/clients/${gone.clientId}`, { as: courier.apiKey });
    expect((await t.call('GET', '/api/v2/taskOrders', { as: gone.apiKey })).status).toBe(401);
    const list = await t.call('GET', `/api/v2/taskOrders?client=${gone.clientId}`, { as: courier.apiKey });
    expect(list.body.orders.map((x: { shortId: string }) => x.shortId)).toEqual([o.shortId]);
    expect((await t.call('GET', `/api/v2/taskOrders?q=${o.shortId}`, { as: courier.apiKey })).body.orders).toHaveLength(1);
    expect((await t.call('GET', `/api/v2/tasks/${o.dropoffTask.id}`, { as: courier.apiKey })).status).toBe(200);
  });

  it('streams a client only its own order events', async () => {
    const port = await t.app.listen({ port: 0, host: '127.0.0.1' }).then((addr) => Number(new URL(addr).port));
    const got: string[] = [];
    const req = http.get({ host: '127.0.0.1', port, path: '/api/v2/events', headers: { cookie: `baton_session=${(shop.session as { cookie: string }).cookie}` } }, (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => got.push(chunk));
    });
    await new Promise((r) => setTimeout(r, 300));
    const mine = (await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(60) })).body;
    const theirs = (await t.call('POST', '/api/v2/taskOrders', { as: other.apiKey, body: order(61) })).body;
    const deadline = Date.now() + 5000;
    while (!got.join('').includes(mine.shortId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    req.destroy();
    const stream = got.join('');
    expect(stream).toContain('event: order.created');
    expect(stream).toContain(mine.shortId);
    expect(stream).not.toContain(theirs.shortId);
    expect(stream).not.toContain(theirs.id);
  });
});
