import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startWebhookReceiver } from '../helpers/webhooks.ts';
import { newId } from '../../src/server/lib/ids.ts';
import { acceptedClient, type Courier } from '../helpers/world.ts';

const ds = await dialects();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ok(res: Res, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

const orderBody = (n: number) => ({
  pickupTask: { destination: { address: { unparsed: `${n} Hook Street` }, location: [-122.4, 37.78] } },
  dropoffTask: { destination: { address: { unparsed: `${n} Hook Avenue` }, location: [-122.41, 37.77] }, recipient: { name: 'Hook Recipient', phone: '+14155550166' } },
});

describe.each(ds)('webhooks (%s)', (dialect) => {
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let courier: Courier;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;
  let rival: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    t = await createTestApp(dialect, { ALLOW_PRIVATE_WEBHOOK_TARGETS: '1', WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_RETRY_WINDOW_MS: '600', WEBHOOK_TIMEOUT_MS: '2000' });
    courier = await signUpCourier(t, 'Hook Couriers');
    shop = await acceptedClient(t, courier, 'Hook Shop');
    rival = await acceptedClient(t, courier, 'Rival Shop');
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  const deliver = () => t.app.ctx.webhooks.flush();
  const to = (path: string) => rx.received.filter((r) => r.path === path);

  async function untilDelivered(path: string, n: number) {
    for (let i = 0; i < 200 && to(path).length < n; i++) {
      await deliver();
      if (to(path).length < n) await sleep(15);
    }
    return to(path);
  }

  it('registers a webhook only when its URL passes the check, and says what came back', async () => {
    rx.answerChecks('wrong');
    const wrong = await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/wrong'), name: 'Wrong', trigger: 6 } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message.error).toBe(1008);
    expect(wrong.body.message.message).toContain('hello there');
    rx.answerChecks('error');
    const missing = await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/missing'), name: 'Missing', trigger: 6 } });
    expect(missing.status).toBe(400);
    expect(missing.body.message.message).toContain('404');
    const closed = await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: 'http://127.0.0.1:9/closed', name: 'Closed', trigger: 6 } });
    expect(closed.status).toBe(400);
    expect(closed.body.message.error).toBe(1008);
    expect((await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: 'ftp://example.com/x', name: 'Ftp', trigger: 6 } })).status).toBe(400);
    expect((await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url(), name: 'Bad trigger', trigger: 11 } })).status).toBe(400);
    rx.answerChecks('echo');
    expect(ok(await t.call('GET', '/api/v2/webhooks', { as: courier.apiKey }), 'list')).toEqual([]);

    const hook = ok(await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/eta'), name: 'ETA', trigger: 1 } }), 'create');
    expect(hook).toMatchObject({ name: 'ETA', trigger: 1, threshold: 300, isEnabled: true, disabledReason: null, count: 0, organization: courier.organizationId });
    expect(ok(await t.call('GET', '/api/v2/webhooks', { as: courier.apiKey }), 'list').map((w: { id: string }) => w.id)).toEqual([hook.id]);
    ok(await t.call('DELETE', `/api/v2/webhooks/${hook.id}`, { as: courier.apiKey }), 'delete');
    expect((await t.call('GET', `/api/v2/webhooks/${hook.id}`, { as: courier.apiKey })).status).toBe(404);
  });

  it('refuses loopback, private and metadata addresses unless the operator allows them', async () => {
    const strict = await createTestApp(dialect);
    try {
      const c = await signUpCourier(strict, 'Strict Couriers');
      for (const url of [rx.url(), 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.8/hook', 'http://[::1]:8080/hook', 'http://[::ffff:127.0.0.1]:8080/hook', 'http://[::ffff:a9fe:a9fe]/latest', 'http://baton.test/api/v2/hook']) {
        const res = await strict.call('POST', '/api/v2/webhooks', { as: c.apiKey, body: { url, name: 'Inside', trigger: 6 } });
        expect(res.status, url).toBe(400);
        expect(res.body.message.error, url).toBe(1008);
      }
    } finally {
      await strict.close();
    }
  });

  it('refuses at delivery a target whose name now resolves to an internal address (DNS rebinding), and says why', async () => {
    const strict = await createTestApp(dialect, { WEBHOOK_RETRY_WINDOW_MS: '0', WEBHOOK_TIMEOUT_MS: '2000' });
    try {
      const c = await signUpCourier(strict, 'Rebound Couriers');
      const port = new URL(rx.url()).port;
      // Saved while the name pointed at a public address; now it resolves to 127.0.0.1 (localhost stands in for that name).
      const now = Date.now();
      await strict.app.ctx.db
        .insertInto('webhooks')
        .values({ id: newId(), organization_id: c.organizationId, name: 'Rebound', url: `http://localhost:${port}/rebound`, trigger_id: 6, threshold: null, enabled: 1, disabled_reason: null, time_created: now, time_last_modified: now })
        .execute();
      ok(await strict.call('POST', '/api/v2/tasks', { as: c.apiKey, body: { destination: { address: { unparsed: '4 Rebound Road' } } } }), 'task');
      await strict.app.ctx.webhooks.flush();
      const deliveries = await strict.app.ctx.db.selectFrom('webhook_deliveries').select(['status', 'last_error']).where('organization_id', '=', c.organizationId).execute();
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0].status).toBe('failed');
      expect(deliveries[0].last_error).toMatch(/private or local address \(localhost is (127\.0\.0\.1|::1)\); only public addresses are allowed/);
      expect(to('/rebound')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('delivers signed events: the courier’s for all its tasks, a client’s for its own orders only', async () => {
    const courierHook = ok(await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/courier-created'), name: 'Created', trigger: 6 } }), 'courier hook');
    ok(await t.call('POST', '/api/v2/webhooks', { as: shop.session, body: { url: rx.url('/shop-created'), name: 'Shop created', trigger: 6 } }), 'shop hook');
    ok(await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/courier-workers'), name: 'Workers', trigger: 15 } }), 'worker hook');
    // a client cannot hear about the courier's drivers
    const driverHook = await t.call('POST', '/api/v2/webhooks', { as: shop.apiKey, body: { url: rx.url('/shop-workers'), name: 'Shop workers', trigger: 15 } });
    expect(driverHook.status).toBe(400);
    expect(driverHook.body.message.cause).toMatchObject({ field: 'trigger' });
    const { secret: courierSecret } = ok(await t.call('POST', '/api/v2/webhooks/secret', { as: courier.apiKey }), 'secret');
    const { secret: shopSecret } = ok(await t.call('POST', '/api/v2/webhooks/secret', { as: shop.session }), 'shop secret');
    expect(courierSecret).toMatch(/^[0-9a-f]{64}$/);

    const own = ok(await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '1 Courier Way' } } } }), 'own task');
    const order = ok(await t.call('POST', '/api/v2/taskOrders', { as: shop.session, body: orderBody(1) }), 'order');
    ok(await t.call('POST', '/api/v2/taskOrders', { as: rival.session, body: orderBody(2) }), 'rival order');
    const team = ok(await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Hook Team' } }), 'team');
    const worker = ok(await t.call('POST', '/api/v2/workers', { as: courier.apiKey, body: { name: 'Hook Driver', phone: '+14155550155', teams: [team.id] } }), 'worker');

    const courierGot = await untilDelivered('/courier-created', 5);
    const shopGot = await untilDelivered('/shop-created', 2);
    await untilDelivered('/courier-workers', 1);
    await deliver();
    // its own task, the client's two and the rival client's two
    expect(courierGot).toHaveLength(5);
    expect(courierGot.map((r) => r.json.taskId)).toEqual(expect.arrayContaining([own.id, order.pickupTask.id, order.dropoffTask.id]));
    expect(shopGot.map((r) => r.json.taskId).sort()).toEqual([order.pickupTask.id, order.dropoffTask.id].sort());
    expect(to('/shop-workers')).toEqual([]);
    expect(to('/courier-workers').map((r) => r.json)).toEqual([expect.objectContaining({ triggerId: 15, triggerName: 'workerCreated', workerId: worker.id, data: { worker: expect.objectContaining({ id: worker.id }) } })]);

    for (const r of courierGot) {
      expect(r.signature).toBe(crypto.createHmac('sha512', Buffer.from(courierSecret, 'hex')).update(r.body).digest('hex'));
      expect(r.json).toMatchObject({ triggerId: 6, triggerName: 'taskCreated', time: expect.any(Number), actionContext: { type: expect.any(String) }, data: { task: { id: r.json.taskId } } });
    }
    for (const r of shopGot) expect(r.signature).toBe(crypto.createHmac('sha512', Buffer.from(shopSecret, 'hex')).update(r.body).digest('hex'));

    // Rotating the secret signs later deliveries with the new one only.
    const { secret: rotated } = ok(await t.call('POST', '/api/v2/webhooks/secret', { as: courier.apiKey }), 'rotate');
    ok(await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '2 Courier Way' } } } }), 'task');
    const after = (await untilDelivered('/courier-created', 6)).at(-1)!;
    expect(after.signature).toBe(crypto.createHmac('sha512', Buffer.from(rotated, 'hex')).update(after.body).digest('hex'));
    expect(ok(await t.call('GET', `/api/v2/webhooks/${courierHook.id}`, { as: courier.apiKey }), 'count').count).toBe(6);
    // Nobody else sees or changes the courier's webhooks.
    expect((await t.call('GET', `/api/v2/webhooks/${courierHook.id}`, { as: shop.apiKey })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v2/webhooks/${courierHook.id}`, { as: rival.session })).status).toBe(404);
    ok(await t.call('DELETE', `/api/v2/webhooks/${courierHook.id}`, { as: courier.apiKey }), 'delete');
  });

  it('retries a failed delivery with backoff and logs every attempt; delivered once', async () => {
    const hook = ok(await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/flaky'), name: 'Flaky', trigger: 6 } }), 'hook');
    rx.failNext(2);
    const task = ok(await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '3 Flaky Road' } } } }), 'task');
    const got = await untilDelivered('/flaky', 1);
    await sleep(100);
    await deliver();
    expect(to('/flaky')).toHaveLength(1);
    expect(got[0].json.taskId).toBe(task.id);
    const log = ok(await t.call('GET', `/api/v2/webhooks/${hook.id}/deliveries`, { as: courier.apiKey }), 'log');
    expect(log.deliveries).toHaveLength(1);
    const d = log.deliveries[0];
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, triggerId: 6, triggerName: 'taskCreated', subjectId: task.id, lastStatusCode: 200, lastError: null });
    expect(d.attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);
    expect(d.attemptLog[0].responseExcerpt).toBe('receiver is down');
    for (const a of d.attemptLog) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
    ok(await t.call('DELETE', `/api/v2/webhooks/${hook.id}`, { as: courier.apiKey }), 'delete');
  });

  it('turns a webhook off when deliveries fail for the whole retry window; its owner sees why, turns it back on, and redelivers', async () => {
    const hook = ok(await t.call('POST', '/api/v2/webhooks', { as: shop.session, body: { url: rx.url('/down'), name: 'Down', trigger: 6 } }), 'hook');
    rx.failNext(1_000_000);
    ok(await t.call('POST', '/api/v2/taskOrders', { as: shop.session, body: orderBody(3) }), 'order');
    for (let i = 0; i < 300; i++) {
      await deliver();
      const w = ok(await t.call('GET', `/api/v2/webhooks/${hook.id}`, { as: shop.session }), 'hook');
      if (!w.isEnabled) break;
      await sleep(15);
    }
    const off = ok(await t.call('GET', `/api/v2/webhooks/${hook.id}`, { as: shop.session }), 'off');
    expect(off.isEnabled).toBe(false);
    expect(off.disabledReason).toMatch(/kept failing/);
    expect(off.disabledReason).toContain('500');
    const log = ok(await t.call('GET', `/api/v2/webhooks/${hook.id}/deliveries`, { as: shop.session }), 'log');
    expect(log.deliveries.some((d: { status: string }) => d.status === 'failed')).toBe(true);
    // nothing is attempted while it is off
    const attemptsOff = log.deliveries.reduce((n: number, d: { attempts: number }) => n + d.attempts, 0);
    ok(await t.call('POST', '/api/v2/taskOrders', { as: shop.session, body: orderBody(4) }), 'order while off');
    await deliver();
    const stillOff = ok(await t.call('GET', `/api/v2/webhooks/${hook.id}/deliveries`, { as: shop.session }), 'log');
    expect(stillOff.deliveries.filter((d: { attempts: number }) => d.attempts > 0).reduce((n: number, d: { attempts: number }) => n + d.attempts, 0)).toBe(attemptsOff);

    rx.failNext(0);
    ok(await t.call('PUT', `/api/v2/webhooks/${hook.id}`, { as: shop.session, body: { isEnabled: true } }), 'back on');
    // A webhook that is off receives nothing new; the failed deliveries are sent again on request.
    expect(stillOff.deliveries).toHaveLength(log.deliveries.length);
    const failed = stillOff.deliveries.filter((x: { status: string }) => x.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const d of failed) {
      const again = ok(await t.call('POST', `/api/v2/webhooks/${hook.id}/deliveries/${d.id}/redeliver`, { as: shop.session }), 'redeliver');
      expect(again.status).toBe('pending');
    }
    const got = await untilDelivered('/down', stillOff.deliveries.length);
    expect(new Set(got.map((r) => r.json.taskId)).size).toBe(stillOff.deliveries.length);
    const final = ok(await t.call('GET', `/api/v2/webhooks/${hook.id}/deliveries`, { as: shop.session }), 'log');
    expect(final.deliveries.every((d: { status: string }) => d.status === 'delivered')).toBe(true);
    expect(ok(await t.call('GET', `/api/v2/webhooks/${hook.id}`, { as: shop.session }), 'on')).toMatchObject({ isEnabled: true, disabledReason: null });
  });
});
