import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, signUpCourier, type Res, type TestApp } from '../helpers/app.ts';
import { createTestSchema, PG_URL, postgresAvailable } from '../helpers/db.ts';
import { LISTENER_NAME } from '../../src/server/db/database.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { startWebhookReceiver } from '../helpers/webhooks.ts';
import { acceptedClient, order, type Courier } from '../helpers/world.ts';

/**
 * PostgreSQL goes away while orders pour in: Baton reaches it through a TCP proxy the test cuts
 * (every open connection reset) and keeps refusing for a while, then restores. Baton must answer
 * 503 in the error format meanwhile, not crash, report itself unavailable, recover by itself, keep
 * every order it acknowledged, and go on delivering live updates and webhooks (its LISTEN
 * connection reconnects).
 */
const hasPg = await postgresAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WRITERS = 6;

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
}

describe.skipIf(!hasPg)('a PostgreSQL outage', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let t: TestApp;
  let courier: Courier;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;
  /** a direct connection (not through the proxy) for checking what was stored */
  let direct: pg.Client;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    rx = await startWebhookReceiver();
    proxy = await startTcpProxy({ host: new URL(PG_URL).hostname, port: Number(new URL(PG_URL).port || 5432) });
    schema = await createTestSchema();
    direct = new pg.Client({ connectionString: schema.url });
    await direct.connect();
    t = await createTestApp(
      'postgres',
      { ALLOW_PRIVATE_WEBHOOK_TARGETS: '1', RATE_LIMITS: 'off', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_TIMEOUT_MS: '1000' },
      {},
      { pgSchema: schema.schema, pgUrl: proxy.urlFor(PG_URL), background: true },
    );
    courier = await signUpCourier(t, 'Outage Couriers');
    shop = await acceptedClient(t, courier, 'Outage Shop');
    const hook = await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/created'), name: 'Created', trigger: 6 } });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await direct?.end().catch(() => {});
    await proxy?.close();
    await schema?.drop();
    await rx?.close();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  });

  it('answers 503 while the database is away, recovers by itself, and loses nothing it acknowledged', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;

    // a live-updates client connected before the outage
    const abort = new AbortController();
    const sse = await fetch(`${base}/api/v2/events`, { headers: authHeaders(courier.apiKey), signal: abort.signal });
    expect(sse.status).toBe(200);
    let stream = '';
    const reader = sse.body!.getReader();
    const reading = (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => null);
        if (!chunk || chunk.done) return;
        stream += Buffer.from(chunk.value).toString('utf8');
      }
    })();

    // orders pour in from several clients at once
    const acked: Array<{ shortId: string; pickup: string; dropoff: string }> = [];
    const unavailable: Res[] = [];
    const other: Res[] = [];
    let n = 0;
    let pouring = true;
    const writers = Array.from({ length: WRITERS }, async () => {
      while (pouring) {
        const res = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(++n) });
        if (res.status === 201) acked.push({ shortId: res.body.shortId, pickup: res.body.pickupTask.id, dropoff: res.body.dropoffTask.id });
        else if (res.status === 503) {
          unavailable.push(res);
          await sleep(20);
        } else other.push(res);
      }
    });

    await until('orders before the outage', async () => acked.length >= 30, 20_000);
    const beforeOutage = acked.length;
    proxy.refuse();
    proxy.cut();

    // while it is away: 503 in the error format, and /health says so
    const health = await t.call('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', database: { dialect: 'postgres', reachable: false } });
    const read = await t.call('GET', `/api/v2/taskOrders/${acked[0].shortId}`, { as: shop.apiKey });
    expect(read.status).toBe(503);
    expect(read.headers['retry-after']).toBe('5');
    expect(read.body).toMatchObject({ code: 'ServiceError', message: { error: 2501, cause: null, request: expect.any(String) } });
    await until('503 answers to new orders', async () => unavailable.length >= 10, 10_000);
    await sleep(1500);
    // nothing is acknowledged while no connection gets through (at most the answers already on their way at the cut)
    expect(acked.length - beforeOutage).toBeLessThanOrEqual(WRITERS);

    // back: it recovers without a restart
    proxy.restore();
    const recoveredAt = Date.now();
    await until('/health ok after the outage', async () => (await t.call('GET', '/health')).status === 200, 15_000);
    const ackedBefore = acked.length;
    await until('orders accepted after the outage', async () => acked.length >= ackedBefore + 30, 20_000);
    pouring = false;
    await Promise.all(writers);
    expect(Date.now() - recoveredAt).toBeLessThan(20_000);

    expect(other.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    for (const r of unavailable) {
      expect(r.body).toMatchObject({ code: 'ServiceError', message: { error: 2501, message: expect.stringMatching(/temporarily unavailable/) } });
      expect(r.headers['retry-after']).toBe('5');
    }

    // every acknowledged order is there with both its tasks (read directly, not through Baton)
    const orders = new Map(
      (await direct.query('select short_id, pickup_task_id, dropoff_task_id from orders')).rows.map((r) => [r.short_id as string, r as { pickup_task_id: string; dropoff_task_id: string }]),
    );
    const taskIds = new Set((await direct.query('select id from tasks')).rows.map((r) => r.id as string));
    for (const a of acked) {
      expect(orders.get(a.shortId), a.shortId).toMatchObject({ pickup_task_id: a.pickup, dropoff_task_id: a.dropoff });
      expect(taskIds.has(a.pickup) && taskIds.has(a.dropoff), a.shortId).toBe(true);
    }
    // and nothing half-written: no order task without its order
    const orphans = await direct.query('select t.id from tasks t left join orders o on o.id = t.order_id where t.order_id is not null and o.id is null');
    expect(orphans.rows).toEqual([]);
    expect(taskIds.size).toBe(orders.size * 2);

    // the event bus listens again (its LISTEN connection came back through the proxy)
    await until(
      'a LISTEN connection after the outage',
      async () => (await direct.query(`select 1 from pg_stat_activity where application_name = $1 and client_port = any($2::int[])`, [LISTENER_NAME, proxy.upstreamPorts()])).rows.length > 0,
      10_000,
    );

    // live updates still flow to the client connected before the outage
    const after = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(9999) });
    expect(after.status).toBe(201);
    await until('the new order on the live-updates stream', async () => stream.includes(after.body.dropoffTask.id), 10_000);
    abort.abort();
    await reading;

    // and every task's webhook arrives (deliveries interrupted by the outage are retried)
    const expected = new Set((await direct.query('select id from tasks')).rows.map((r) => r.id as string));
    await until(
      'every taskCreated webhook',
      async () => {
        const got = new Set(rx.received.filter((r) => r.path === '/created').map((r) => r.json.taskId as string));
        return [...expected].every((id) => got.has(id));
      },
      30_000,
    );
    expect(uncaught).toEqual([]);
  }, 90_000);
});
