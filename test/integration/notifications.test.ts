import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepLateTasks } from '../../src/server/modules/notifications/notifications.service.ts';
import { createTestApp, PUBLIC_URL, signUpCourier, type Creds, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startSmsReceiver } from '../helpers/sms.ts';
import { startSmtpReceiver } from '../helpers/smtp.ts';
import { acceptedClient, signedInDriver, type Courier } from '../helpers/world.ts';

const ds = await dialects();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The dropoff's destination; distances below are measured from here. */
const HOME: [number, number] = [-122.42, 37.76];
/** A point `meters` north of HOME. */
const north = (meters: number): [number, number] => [HOME[0], HOME[1] + meters / 111_195];

function ok(res: Res, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

describe.each(ds)('recipient notifications (%s)', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
  let courier: Courier;
  let team: string;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;
  let other: Awaited<ReturnType<typeof acceptedClient>>;
  let driver: Awaited<ReturnType<typeof signedInDriver>>;
  let seq = 0;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    sms = await startSmsReceiver();
    t = await createTestApp(dialect, { SMTP_URL: smtp.url, ...sms.env(), MESSAGE_RETRY_BASE_MS: '40', ETA_SPEED_KMH: '36' });
    courier = await signUpCourier(t, 'Notify Couriers');
    team = ok(await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Central' } }), 'team').id;
    shop = await acceptedClient(t, courier, 'Corner Shop');
    other = await acceptedClient(t, courier, 'Other Store');
    driver = await signedInDriver(t, courier, team, 'Dana Driverson');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
    await sms?.close();
  });
  beforeEach(() => {
    sms.failNext(0);
  });

  const deliver = () => t.app.ctx.messages.flush();

  async function rule(as: Creds, body: Record<string, unknown>) {
    return ok(await t.call('POST', '/api/v2/notifications', { as, body }), `rule ${JSON.stringify(body)}`);
  }

  async function clearRules(as: Creds) {
    const list = ok(await t.call('GET', '/api/v2/notifications', { as }), 'rules');
    for (const r of list.rules) ok(await t.call('DELETE', `/api/v2/notifications/${r.id}`, { as }), 'delete rule');
  }

  /** An order whose dropoff recipient has its own phone and email. */
  async function newOrder(as: Creds, recipient: Record<string, unknown> = {}, dropoff: Record<string, unknown> = {}) {
    const n = ++seq;
    const phone = `+1415555${String(3000 + n).padStart(4, '0')}`;
    const email = `recipient${n}.${Date.now()}@example.test`;
    const body = {
      pickupTask: { destination: { address: { unparsed: `${n} Market St, San Francisco` }, location: north(5000) }, recipient: { name: 'Shop Counter', phone: '+14155550100' } },
      dropoffTask: {
        destination: { address: { unparsed: `${n} Valencia St, San Francisco` }, location: HOME },
        recipient: { name: `Rita Recipient${n}`, phone, email, ...recipient },
        ...dropoff,
      },
    };
    const o = ok(await t.call('POST', '/api/v2/taskOrders', { as, body }), 'order');
    return { order: o, pickup: o.pickupTask, dropoff: o.dropoffTask, phone, email, name: `Rita Recipient${n}` };
  }

  const at = (location: [number, number]) => t.call('POST', '/api/v2/driver/location', { as: driver.as, body: { location } }).then((r) => ok(r, 'location'));
  const start = (id: string) => t.call('POST', `/api/v2/tasks/${id}/start`, { as: driver.as }).then((r) => ok(r, 'start'));
  const complete = (id: string, success = true) =>
    t.call('POST', `/api/v2/tasks/${id}/complete`, { as: driver.as, body: { completionDetails: { success, ...(success ? {} : { failureReason: 'NOBODY_HOME' }) } } }).then((r) => ok(r, 'complete'));
  const assignBoth = (o: { pickup: { id: string }; dropoff: { id: string } }) =>
    t.call('PUT', `/api/v2/containers/workers/${driver.workerId}`, { as: courier.apiKey, body: { tasks: [o.pickup.id, o.dropoff.id] } }).then((r) => ok(r, 'assign'));
  const smsTo = (phone: string) => sms.received.filter((m) => m.to === phone).map((m) => m.body);

  it('refuses unknown tags, fills in thresholds, and lets a client see the courier defaults it falls back on', async () => {
    const bad = await t.call('POST', '/api/v2/notifications', { as: shop.session, body: { trigger: 'taskStarted', channels: ['sms'], template: 'Hi {{recipientName}}, {{price}} and {{ eta }} {{nope}}' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message.error).toBe(1000);
    expect(bad.body.message.message).toContain('{{price}}');
    expect(bad.body.message.cause).toMatchObject({ field: 'template', unknownTags: ['price', 'nope'] });
    const noChannel = await t.call('POST', '/api/v2/notifications', { as: shop.session, body: { trigger: 'taskStarted', channels: [], template: 'x' } });
    expect(noChannel.status).toBe(400);
    const badTrigger = await t.call('POST', '/api/v2/notifications', { as: shop.session, body: { trigger: 'taskExploded', channels: ['sms'], template: 'x' } });
    expect(badTrigger.status).toBe(400);
    expect((await t.call('GET', '/api/v2/notifications', { as: shop.session })).body.rules).toEqual([]);

    const arriving = await rule(courier.apiKey, { trigger: 'driverArriving', channels: ['sms'], template: 'Almost there, {{recipientName}}' });
    expect(arriving).toMatchObject({ trigger: 'driverArriving', appliesTo: 'both', threshold: 150, enabled: true, subject: null });
    const started = await rule(courier.apiKey, { trigger: 'taskStarted', channels: ['sms'], template: 'Started', threshold: 99 });
    expect(started.threshold).toBeNull();
    const changed = ok(await t.call('PUT', `/api/v2/notifications/${arriving.id}`, { as: courier.apiKey, body: { threshold: 300, enabled: false } }), 'update');
    expect(changed).toMatchObject({ threshold: 300, enabled: false, template: 'Almost there, {{recipientName}}' });
    expect((await t.call('PUT', `/api/v2/notifications/${arriving.id}`, { as: courier.apiKey, body: { template: '{{bogus}}' } })).status).toBe(400);

    // A client without rules sees the courier's, which apply to its orders; it cannot change them.
    const seen = ok(await t.call('GET', '/api/v2/notifications', { as: shop.session }), 'client rules');
    expect(seen.usesCourierDefaults).toBe(true);
    expect(seen.courierDefaults.map((r: { id: string }) => r.id)).toEqual([arriving.id, started.id]);
    expect((await t.call('PUT', `/api/v2/notifications/${arriving.id}`, { as: shop.session, body: { enabled: true } })).status).toBe(404);
    expect((await t.call('DELETE', `/api/v2/notifications/${arriving.id}`, { as: shop.session })).status).toBe(404);
    const courierView = ok(await t.call('GET', '/api/v2/notifications', { as: courier.apiKey }), 'courier rules');
    expect(courierView).toMatchObject({ usesCourierDefaults: false, courierDefaults: [] });
    await clearRules(courier.apiKey);
  });

  it('previews a template with the caller’s latest real task, or sample data when it has none', async () => {
    const fresh = await signUpCourier(t, 'Empty Couriers');
    const sample = ok(await t.call('POST', '/api/v2/notifications/preview', { as: fresh.apiKey, body: { template: 'Hi {{recipientName}}' } }), 'preview');
    expect(sample).toMatchObject({ sample: true, taskId: null, subject: expect.any(String) });
    expect(sample.text).toMatch(/^Hi \S/);

    const o = await newOrder(shop.session);
    const real = ok(
      await t.call('POST', '/api/v2/notifications/preview', { as: shop.session, body: { template: '{{recipientName}} at {{destinationAddress}}: {{trackingLink}} ({{orderShortId}})', subject: 'Order {{orderShortId}}' } }),
      'preview',
    );
    expect(real).toMatchObject({ sample: false, taskId: o.dropoff.id, taskShortId: o.dropoff.shortId, subject: `Order ${o.order.shortId}` });
    expect(real.text).toBe(`${o.name} at ${o.dropoff.destination.address.unparsed}: ${PUBLIC_URL}/track/${o.dropoff.shortId} (${o.order.shortId})`);
    // another client's task cannot be used
    const foreign = await t.call('POST', '/api/v2/notifications/preview', { as: other.session, body: { template: 'x', taskId: o.dropoff.id } });
    expect(foreign.status).toBe(404);
  });

  it('sends each trigger’s message, rendered, to the right recipient, exactly once', async () => {
    await clearRules(shop.session);
    const dropoff = { appliesTo: 'dropoff' };
    await rule(shop.session, { ...dropoff, trigger: 'dependencyStarted', channels: ['sms'], template: 'Your {{merchantName}} order {{orderShortId}} is being picked up.' });
    await rule(shop.session, { ...dropoff, trigger: 'dependencyCompleted', channels: ['email'], subject: 'Picked up: {{orderShortId}}', template: 'Hello {{recipientName}}, {{courierName}} has your parcel.' });
    await rule(shop.session, { ...dropoff, trigger: 'taskStarted', channels: ['sms'], template: 'Hi {{recipientName}}, {{driverName}} is on the way: {{trackingLink}}' });
    await rule(shop.session, { ...dropoff, trigger: 'taskEta', threshold: 600, channels: ['sms'], template: 'Arriving around {{eta}}' });
    await rule(shop.session, { ...dropoff, trigger: 'driverArriving', threshold: 200, channels: ['sms'], template: '{{driverName}} is outside {{destinationAddress}}' });
    await rule(shop.session, { appliesTo: 'both', trigger: 'taskCompleted', channels: ['email', 'sms'], subject: 'Delivered', template: 'Delivered to {{recipientName}} ({{taskShortId}})' });
    await rule(shop.session, { ...dropoff, trigger: 'taskStarted', channels: ['sms'], template: 'A second message on start', enabled: false });

    const o = await newOrder(shop.session);
    await assignBoth(o);
    await at(north(20_000));
    await start(o.pickup.id);
    await deliver();
    expect(smsTo(o.phone)).toEqual([`Your Corner Shop order ${o.order.shortId} is being picked up.`]);
    // the pickup's own recipient matches no pickup rule yet
    expect(smsTo('+14155550100')).toEqual([]);

    await complete(o.pickup.id);
    await deliver();
    const picked = await smtp.waitFor(o.email, (m) => m.subject.startsWith('Picked up'));
    expect(picked.subject).toBe(`Picked up: ${o.order.shortId}`);
    expect(picked.text.trim()).toBe(`Hello ${o.name}, Notify Couriers has your parcel.`);
    // "both" includes the pickup: its recipient has a phone, so it gets the completed SMS
    expect(smsTo('+14155550100')).toEqual([`Delivered to Shop Counter (${o.pickup.shortId})`]);

    // 10 km away at 36 km/h: ETA 1000 s, above the 600 s threshold
    await at(north(10_000));
    await start(o.dropoff.id);
    await deliver();
    expect(smsTo(o.phone).slice(1)).toEqual([`Hi ${o.name}, Dana is on the way: ${PUBLIC_URL}/track/${o.dropoff.shortId}`]);
    const task = ok(await t.call('GET', `/api/v2/tasks/${o.dropoff.id}`, { as: courier.apiKey }), 'task');
    expect(task.eta).toBeGreaterThan(Date.now() + 900_000);

    await at(north(5_000)); // 500 s: below the threshold
    await at(north(4_000)); // again below: no second message
    await deliver();
    const etaTexts = smsTo(o.phone).filter((b) => b.startsWith('Arriving around'));
    expect(etaTexts).toHaveLength(1);
    expect(etaTexts[0]).toMatch(/^Arriving around \d\d:\d\d \(in about [89] min\)$/);

    await at(north(500)); // not yet within 200 m
    await deliver();
    expect(smsTo(o.phone).some((b) => b.includes('is outside'))).toBe(false);
    await at(north(150));
    await at(north(50));
    await deliver();
    expect(smsTo(o.phone).filter((b) => b.includes('is outside'))).toEqual([`Dana is outside ${o.dropoff.destination.address.unparsed}`]);

    await complete(o.dropoff.id);
    await deliver();
    const delivered = await smtp.waitFor(o.email, (m) => m.subject === 'Delivered');
    expect(delivered.text.trim()).toBe(`Delivered to ${o.name} (${o.dropoff.shortId})`);
    expect(smsTo(o.phone).at(-1)).toBe(`Delivered to ${o.name} (${o.dropoff.shortId})`);
    expect(smsTo(o.phone)).toHaveLength(5);
    expect(smtp.inbox.filter((m) => m.to.includes(o.email.toLowerCase()))).toHaveLength(2);
    // the disabled rule sent nothing; every SMS went through the provider with its credentials
    expect(sms.received.some((m) => m.body === 'A second message on start')).toBe(false);
    for (const m of sms.received) {
      expect(m).toMatchObject({ from: '+14155550000', account: 'ACtest', authorization: `Basic ${Buffer.from('ACtest:secret-token').toString('base64')}` });
    }

    // The log shows each message, sent, once.
    const log = ok(await t.call('GET', `/api/v2/notifications/log?taskId=${o.dropoff.id}`, { as: shop.session }), 'log');
    expect(log.messages.map((m: { trigger: string; channel: string }) => `${m.trigger}/${m.channel}`).sort()).toEqual(
      ['dependencyStarted/sms', 'dependencyCompleted/email', 'taskStarted/sms', 'taskEta/sms', 'driverArriving/sms', 'taskCompleted/email', 'taskCompleted/sms'].sort(),
    );
    for (const m of log.messages) expect(m).toMatchObject({ status: 'sent', attempts: 1, lastError: null, taskShortId: o.dropoff.shortId, orderShortId: o.order.shortId });
  });

  it('sends "failed" for a failed attempt but nothing for a cancelled order', async () => {
    await clearRules(shop.session);
    await rule(shop.session, { trigger: 'taskFailed', appliesTo: 'dropoff', channels: ['sms'], template: 'We missed you, {{recipientName}}' });
    const o = await newOrder(shop.session);
    await assignBoth(o);
    await start(o.pickup.id);
    await complete(o.pickup.id);
    await start(o.dropoff.id);
    await complete(o.dropoff.id, false);
    await deliver();
    expect(smsTo(o.phone)).toEqual([`We missed you, ${o.name}`]);

    const cancelled = await newOrder(shop.session);
    ok(await t.call('POST', '/api/v2/taskOrders/cancel', { as: shop.session, body: { shortIds: [cancelled.order.shortId] } }), 'cancel');
    await deliver();
    expect(smsTo(cancelled.phone)).toEqual([]);
  });

  it('sends "running late" once when a task passes its due time, or when its ETA does', async () => {
    await clearRules(shop.session);
    await rule(shop.session, { trigger: 'taskDelayed', appliesTo: 'dropoff', threshold: 0, channels: ['sms'], template: 'Sorry, order {{orderShortId}} is running late' });

    const due = await newOrder(shop.session, {}, { completeBefore: Date.now() + 1200 });
    expect(await sweepLateTasks(t.app.ctx)).toBe(0);
    await sleep(1300);
    expect(await sweepLateTasks(t.app.ctx)).toBe(1);
    expect(await sweepLateTasks(t.app.ctx)).toBe(0);
    await deliver();
    expect(smsTo(due.phone)).toEqual([`Sorry, order ${due.order.shortId} is running late`]);

    // Due in 10 minutes, but the driver is 20 km away (2000 s): late by its ETA as soon as it starts.
    const far = await newOrder(shop.session, {}, { completeBefore: Date.now() + 600_000 });
    await assignBoth(far);
    await start(far.pickup.id);
    await complete(far.pickup.id);
    await at(north(20_000));
    await start(far.dropoff.id);
    await at(north(19_000));
    await deliver();
    expect(smsTo(far.phone)).toEqual([`Sorry, order ${far.order.shortId} is running late`]);
    await complete(far.dropoff.id);
  });

  it('retries a failed send with backoff: a provider that fails twice delivers on the third attempt', async () => {
    await clearRules(shop.session);
    await rule(shop.session, { trigger: 'dependencyStarted', appliesTo: 'dropoff', channels: ['sms'], template: 'Retry me {{orderShortId}}' });
    const o = await newOrder(shop.session);
    await assignBoth(o);
    sms.failNext(2);
    const before = sms.requests;
    await start(o.pickup.id);
    await deliver();
    let entry = (await t.call('GET', `/api/v2/notifications/log?taskId=${o.dropoff.id}`, { as: shop.session })).body.messages[0];
    expect(entry).toMatchObject({ status: 'queued', attempts: 1 });
    expect(entry.lastError).toContain('500');
    for (let i = 0; i < 100 && entry.status !== 'sent'; i++) {
      await sleep(30);
      await deliver();
      entry = (await t.call('GET', `/api/v2/notifications/log?taskId=${o.dropoff.id}`, { as: shop.session })).body.messages[0];
    }
    expect(entry).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(sms.requests - before).toBe(3);
    expect(smsTo(o.phone)).toEqual([`Retry me ${o.order.shortId}`]);
    await complete(o.pickup.id);
  });

  it('sends no SMS to a recipient who opted out (the log says why), but still emails', async () => {
    await clearRules(shop.session);
    await rule(shop.session, { trigger: 'dependencyStarted', appliesTo: 'dropoff', channels: ['sms', 'email'], subject: 'On its way', template: 'Opt-out check {{orderShortId}}' });
    const o = await newOrder(shop.session, { skipSMSNotifications: true });
    await assignBoth(o);
    await start(o.pickup.id);
    await deliver();
    expect(smsTo(o.phone)).toEqual([]);
    expect((await smtp.waitFor(o.email, (m) => m.subject === 'On its way')).text.trim()).toBe(`Opt-out check ${o.order.shortId}`);
    const log = ok(await t.call('GET', `/api/v2/notifications/log?taskId=${o.dropoff.id}`, { as: shop.session }), 'log');
    const bySms = log.messages.find((m: { channel: string }) => m.channel === 'sms');
    expect(bySms).toMatchObject({ status: 'skipped', attempts: 0, to: o.phone });
    expect(bySms.lastError).toMatch(/opted out/);
    expect(log.messages.find((m: { channel: string }) => m.channel === 'email')).toMatchObject({ status: 'sent' });
    await complete(o.pickup.id);
  });

  it('applies a client’s rules to its own orders only; a client without rules gets the courier’s', async () => {
    await clearRules(shop.session);
    await clearRules(other.session);
    await clearRules(courier.apiKey);
    await rule(shop.session, { trigger: 'dependencyStarted', appliesTo: 'dropoff', channels: ['sms'], template: 'Corner Shop words' });
    await rule(courier.apiKey, { trigger: 'dependencyStarted', appliesTo: 'dropoff', channels: ['sms'], template: 'Courier default words for {{merchantName}}' });

    const mine = await newOrder(shop.session);
    const theirs = await newOrder(other.session);
    await assignBoth(mine);
    await start(mine.pickup.id);
    await complete(mine.pickup.id);
    await assignBoth(theirs);
    await start(theirs.pickup.id);
    await deliver();
    expect(smsTo(mine.phone)).toEqual(['Corner Shop words']);
    expect(smsTo(theirs.phone)).toEqual(['Courier default words for Other Store']);
    await complete(theirs.pickup.id);

    // Each client's log holds only its own orders' messages; the courier's holds both.
    const shopLog = ok(await t.call('GET', '/api/v2/notifications/log?limit=200', { as: shop.session }), 'shop log');
    const otherLog = ok(await t.call('GET', '/api/v2/notifications/log?limit=200', { as: other.apiKey }), 'other log');
    const courierLog = ok(await t.call('GET', '/api/v2/notifications/log?limit=200', { as: courier.apiKey }), 'courier log');
    const tasksIn = (l: { messages: { taskId: string }[] }) => new Set(l.messages.map((m) => m.taskId));
    expect(tasksIn(shopLog).has(theirs.dropoff.id)).toBe(false);
    expect(tasksIn(otherLog)).toEqual(new Set([theirs.dropoff.id]));
    expect(tasksIn(courierLog).has(mine.dropoff.id) && tasksIn(courierLog).has(theirs.dropoff.id)).toBe(true);
    expect((await t.call('GET', `/api/v2/notifications/log?taskId=${mine.dropoff.id}`, { as: other.apiKey })).body.messages).toEqual([]);

    // paging walks the whole log without repeats
    const seen: string[] = [];
    let lastId: string | undefined;
    do {
      const page = ok(await t.call('GET', `/api/v2/notifications/log?limit=2${lastId ? `&lastId=${lastId}` : ''}`, { as: courier.apiKey }), 'page');
      seen.push(...page.messages.map((m: { id: string }) => m.id));
      lastId = page.lastId;
    } while (lastId);
    expect(seen).toEqual(courierLog.messages.map((m: { id: string }) => m.id));
    const shopsMessage = courierLog.messages.find((m: { taskId: string }) => m.taskId === mine.dropoff.id).id;
    expect((await t.call('GET', `/api/v2/notifications/log?lastId=${shopsMessage}`, { as: other.apiKey })).status).toBe(400);
  });
});
