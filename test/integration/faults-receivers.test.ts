import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startSmsReceiver } from '../helpers/sms.ts';
import { startSmtpReceiver } from '../helpers/smtp.ts';
import { startWebhookReceiver } from '../helpers/webhooks.ts';
import { acceptedClient, order, type Courier } from '../helpers/world.ts';

/**
 * The mail server, the SMS provider and a webhook receiver hang (accept and never answer), then
 * fail (451, 500), then recover. Meanwhile the API answers as fast as ever, every send gives up
 * at its timeout (so no dispatcher is stuck), and once the receivers are back every message and
 * delivery is retried and arrives. The delivery loops run on their own timers, as in production.
 */
const ds = await dialects();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TIMEOUT_MS = 1000;

function ok(res: Res, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, detail: () => Promise<unknown> = async () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms ${JSON.stringify(await detail())}`);
    await sleep(50);
  }
}

describe.each(ds)('slow and failing receivers (%s)', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let courier: Courier;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    sms = await startSmsReceiver();
    rx = await startWebhookReceiver();
    t = await createTestApp(
      dialect,
      {
        SMTP_URL: smtp.url,
        ...sms.env(),
        ALLOW_PRIVATE_WEBHOOK_TARGETS: '1',
        RATE_LIMITS: 'off',
        MESSAGE_TIMEOUT_MS: String(TIMEOUT_MS),
        MESSAGE_RETRY_BASE_MS: '100',
        WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
        WEBHOOK_RETRY_BASE_MS: '100',
      },
      {},
      { background: true },
    );
    courier = await signUpCourier(t, 'Receiver Couriers');
    shop = await acceptedClient(t, courier, 'Receiver Shop');
    ok(await t.call('POST', '/api/v2/webhooks', { as: courier.apiKey, body: { url: rx.url('/created'), name: 'Created', trigger: 6 } }), 'webhook');
  }, 60_000);

  afterAll(async () => {
    // the receivers first: a send still waiting at one then fails at once
    await smtp?.close();
    await sms?.close();
    await rx?.close();
    await t?.close();
  });

  it('keeps the API responsive while receivers hang or fail, gives up each send at its timeout, and delivers everything once they recover', async () => {
    const db = t.app.ctx.db;
    const team = ok(await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Receivers' } }), 'team');
    const driverEmail = `driver.${dialect}.${Date.now()}@example.test`;
    const worker = ok(await t.call('POST', '/api/v2/workers', { as: courier.apiKey, body: { name: 'Rae Receiver', phone: '+14155550123', email: driverEmail, teams: [team.id] } }), 'worker');
    const since = Date.now();

    // every receiver hangs
    smtp.hang();
    sms.hang(true);
    rx.hang(true);
    const links: string[] = [];
    const tasks: string[] = [];
    for (let i = 0; i < 3; i++) {
      links.push(ok(await t.call('POST', `/api/v2/workers/${worker.id}/loginLink`, { as: courier.apiKey, body: { send: 'sms' } }), 'sms link').url);
      links.push(ok(await t.call('POST', `/api/v2/workers/${worker.id}/loginLink`, { as: courier.apiKey, body: { send: 'email' } }), 'email link').url);
      const o = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(i) });
      expect(o.status).toBe(201);
      tasks.push(o.body.pickupTask.id, o.body.dropoffTask.id);
    }
    const ours = () => db.selectFrom('messages').select(['channel', 'status', 'attempts', 'last_error']).where('time_created', '>=', since).execute();

    // the dispatchers are at the receivers, waiting
    await until('the receivers reached', async () => smtp.held > 0 && sms.held > 0 && rx.held > 0, 10_000, async () => ({ smtp: smtp.held, sms: sms.held, rx: rx.held }));

    // the API answers as usual meanwhile
    const slowest = { post: 0, get: 0 };
    for (let i = 0; i < 5; i++) {
      let started = performance.now();
      const o = await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(10 + i) });
      slowest.post = Math.max(slowest.post, performance.now() - started);
      expect(o.status).toBe(201);
      tasks.push(o.body.pickupTask.id, o.body.dropoffTask.id);
      started = performance.now();
      expect((await t.call('GET', `/api/v2/taskOrders/${o.body.shortId}`, { as: shop.apiKey })).status).toBe(200);
      slowest.get = Math.max(slowest.get, performance.now() - started);
    }
    expect(slowest.post, 'slowest order creation (ms)').toBeLessThan(500);
    expect(slowest.get, 'slowest order read (ms)').toBeLessThan(500);

    // each hanging send is given up at its timeout and recorded as a failed attempt, to be retried
    await until(
      'timed-out attempts recorded',
      async () => {
        const m = await ours();
        const hooks = await db.selectFrom('webhook_attempts').select('error').where('time', '>=', since).execute();
        return (
          m.some((x) => x.channel === 'sms' && x.attempts > 0 && x.status === 'queued') &&
          m.some((x) => x.channel === 'email' && x.attempts > 0 && x.status === 'queued') &&
          hooks.some((h) => /No answer within/.test(h.error ?? ''))
        );
      },
      4 * TIMEOUT_MS + 5000,
      ours,
    );

    // then they fail outright
    smtp.refuse();
    sms.hang(false);
    sms.failNext(1000);
    rx.hang(false);
    rx.failNext(1000);
    await until(
      'failed attempts recorded',
      async () => {
        const m = await ours();
        const hooks = await db.selectFrom('webhook_attempts').select('status_code').where('time', '>=', since).execute();
        return m.some((x) => x.channel === 'sms' && /answered 500/.test(x.last_error ?? '')) && m.some((x) => x.channel === 'email' && /451/.test(x.last_error ?? '')) && hooks.some((h) => h.status_code === 500);
      },
      10_000,
      ours,
    );
    expect((await ours()).filter((m) => m.status !== 'queued')).toEqual([]);

    // back: everything is retried and arrives
    smtp.restore();
    sms.failNext(0);
    rx.failNext(0);
    await until('every message sent', async () => (await ours()).every((m) => m.status === 'sent'), 30_000, ours);
    const texts = sms.received.filter((m) => m.to === '+14155550123').map((m) => m.body);
    const mails = smtp.inbox.filter((m) => m.to.includes(driverEmail)).map((m) => m.text);
    for (const [i, url] of links.entries()) {
      const arrived = i % 2 === 0 ? texts.some((x) => x.includes(url)) : mails.some((x) => x.includes(url));
      expect(arrived, `${i % 2 === 0 ? 'text' : 'mail'} with ${url}`).toBe(true);
    }
    await until(
      'every webhook delivered',
      async () => {
        const got = new Set(rx.received.filter((r) => r.path === '/created').map((r) => r.json.taskId));
        return tasks.every((id) => got.has(id));
      },
      30_000,
      () => db.selectFrom('webhook_deliveries').select(['status', 'attempts', 'next_attempt_at', 'last_error']).where('status', '!=', 'delivered').execute(),
    );
  }, 90_000);
});
