import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, signUpCourier, type Creds, type Res, type TestApp } from '../helpers/app.ts';
import { findTrackedTasks } from '../../src/server/modules/tracking/tracking.repository.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, signedInDriver, type Courier } from '../helpers/world.ts';

const ds = await dialects();

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function ok(res: Res, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

describe.each(ds)('tracking page (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let team: string;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;
  let other: Awaited<ReturnType<typeof acceptedClient>>;
  let driver: Awaited<ReturnType<typeof signedInDriver>>;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect, { RATE_LIMIT_TRACKING_MAX: '400' });
    courier = await signUpCourier(t, 'Track Couriers');
    team = ok(await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Track Team' } }), 'team').id;
    shop = await acceptedClient(t, courier, 'Bright Flowers');
    other = await acceptedClient(t, courier, 'Dull Hardware');
    driver = await signedInDriver(t, courier, team, 'Morgan Wheeler');
  });
  afterAll(() => t?.close());

  const view = (shortId: string) => t.call('GET', `/api/v2/tracking/${shortId}`);

  async function newOrder(as: Creds) {
    const n = ++seq;
    const o = ok(
      await t.call('POST', '/api/v2/taskOrders', {
        as,
        body: {
          pickupTask: { destination: { address: { unparsed: `${n} Pickup Row` }, location: [-122.41, 37.78] }, recipient: { name: 'Counter Clerk', phone: '+14155550111' } },
          dropoffTask: {
            destination: { address: { unparsed: `${n} Secret Garden Lane` }, location: [-122.42, 37.76] },
            recipient: { name: 'Priya Private', phone: '+14155550122', email: 'priya@example.test', notes: 'gate code 4321' },
            completeBefore: Date.now() + 3_600_000,
          },
        },
      }),
      'order',
    );
    return o;
  }

  async function upload(as: Creds) {
    const boundary = '----baton-tracking-test';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({ method: 'POST', url: '/api/v2/uploads', headers: { ...authHeaders(as), 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return JSON.parse(res.body).id as string;
  }

  it('keeps branding per organization: a client inherits its courier’s page until it saves its own', async () => {
    const fresh = ok(await t.call('GET', '/api/v2/trackingPage', { as: shop.session }), 'settings');
    expect(fresh).toMatchObject({ inherited: true, logo: null, showDriverLocation: true, feedbackEnabled: true });
    expect(fresh.primaryColor).toMatch(/^#[0-9a-f]{6}$/i);

    const courierPage = ok(
      await t.call('PUT', '/api/v2/trackingPage', { as: courier.apiKey, body: { primaryColor: '#225588', headline: 'Track Couriers delivers', contactPhone: '+1 415 555 0100' } }),
      'courier settings',
    );
    expect(courierPage).toMatchObject({ inherited: false, primaryColor: '#225588', headline: 'Track Couriers delivers' });
    expect(ok(await t.call('GET', '/api/v2/trackingPage', { as: shop.session }), 'inherited')).toMatchObject({ inherited: true, primaryColor: '#225588', headline: 'Track Couriers delivers' });

    const own = ok(
      await t.call('PUT', '/api/v2/trackingPage', {
        as: shop.session,
        body: { primaryColor: '#aa3366', headline: 'Fresh flowers are coming', message: 'Thank you for ordering', contactEmail: 'help@bright.example', logo: 'https://cdn.example/bright.png', unknownField: 'dropped' },
      }),
      'client settings',
    );
    expect(own).toMatchObject({ inherited: false, primaryColor: '#aa3366', headline: 'Fresh flowers are coming', contactPhone: '+1 415 555 0100', logo: 'https://cdn.example/bright.png' });
    expect(own).not.toHaveProperty('unknownField');
    // the other client still inherits the courier's page
    expect(ok(await t.call('GET', '/api/v2/trackingPage', { as: other.session }), 'other')).toMatchObject({ inherited: true, primaryColor: '#225588' });

    for (const body of [{ primaryColor: 'red' }, { logo: 'javascript:alert(1)' }, { contactEmail: 'not-an-email' }, { headline: 'x'.repeat(121) }]) {
      const bad = await t.call('PUT', '/api/v2/trackingPage', { as: shop.session, body });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.code).toBe('InvalidContent');
    }
    expect(ok(await t.call('GET', '/api/v2/trackingPage', { as: shop.session }), 'unchanged').primaryColor).toBe('#aa3366');
    expect((await t.call('GET', '/api/v2/trackingPage')).status).toBe(401);
  });

  it('shows an order’s progress in the merchant’s brand, the driver only while on the way, and nothing private', async () => {
    const o = await newOrder(shop.session);
    const dropoff = o.dropoffTask;
    expect(dropoff.trackingURL).toBe(`http://baton.test/track/${dropoff.shortId}`);
    expect(ok(await t.call('GET', `/api/v2/tasks/${dropoff.id}`, { as: courier.apiKey }), 'task').trackingViewed).toBe(false);

    const first = ok(await view(dropoff.shortId), 'view');
    expect(first).toMatchObject({
      shortId: dropoff.shortId,
      kind: 'dropoff',
      status: 'scheduled',
      merchantName: 'Bright Flowers',
      branding: { primaryColor: '#aa3366', headline: 'Fresh flowers are coming', message: 'Thank you for ordering', contactEmail: 'help@bright.example', logo: 'https://cdn.example/bright.png' },
      destination: { address: `${seq} Secret Garden Lane`, location: [-122.42, 37.76] },
      eta: null,
      driver: null,
      proof: null,
      feedback: { enabled: true, submitted: false },
    });
    expect(first.timeline.map((e: { event: string }) => e.event)).toEqual(['created']);
    const text = JSON.stringify(first);
    for (const secret of ['Priya', '+14155550122', 'priya@example.test', 'gate code', dropoff.id, o.id, o.pickupTask.shortId, o.pickupTask.id, 'Counter Clerk', 'Pickup Row', shop.organizationId]) {
      expect(text, secret).not.toContain(secret);
    }
    expect(ok(await t.call('GET', `/api/v2/tasks/${dropoff.id}`, { as: courier.apiKey }), 'task').trackingViewed).toBe(true);

    ok(await t.call('PUT', `/api/v2/containers/workers/${driver.workerId}`, { as: courier.apiKey, body: { tasks: [o.pickupTask.id, dropoff.id] } }), 'assign');
    expect(ok(await view(dropoff.shortId), 'assigned')).toMatchObject({ status: 'assigned', driver: null });
    ok(await t.call('POST', '/api/v2/driver/location', { as: driver.as, body: { location: [-122.41, 37.78] } }), 'location');
    ok(await t.call('POST', `/api/v2/tasks/${o.pickupTask.id}/start`, { as: driver.as }), 'start pickup');
    // the pickup is under way, not the dropoff: no driver on the recipient's page yet
    expect(ok(await view(dropoff.shortId), 'pickup active')).toMatchObject({ status: 'assigned', driver: null });
    ok(await t.call('POST', `/api/v2/tasks/${o.pickupTask.id}/complete`, { as: driver.as, body: { completionDetails: { success: true } } }), 'complete pickup');
    ok(await t.call('POST', `/api/v2/tasks/${dropoff.id}/start`, { as: driver.as }), 'start dropoff');
    ok(await t.call('POST', '/api/v2/driver/location', { as: driver.as, body: { location: [-122.415, 37.77] } }), 'location');

    const moving = ok(await view(dropoff.shortId), 'on the way');
    expect(moving).toMatchObject({ status: 'onTheWay', driver: { name: 'Morgan', location: [-122.415, 37.77] } });
    expect(moving.eta).toBeGreaterThan(Date.now());
    expect(moving.timeline.map((e: { event: string }) => e.event)).toEqual(['created', 'pickedUp', 'started']);
    expect(JSON.stringify(moving)).not.toContain('Wheeler');

    // The client hides the driver's position and name: the page shows neither.
    ok(await t.call('PUT', '/api/v2/trackingPage', { as: shop.session, body: { showDriverLocation: false, showDriverName: false } }), 'hide driver');
    expect(ok(await view(dropoff.shortId), 'hidden').driver).toEqual({ name: null, location: null });
    ok(await t.call('PUT', '/api/v2/trackingPage', { as: shop.session, body: { showDriverLocation: true, showDriverName: true } }), 'show driver');

    // Feedback waits for the end of the delivery.
    expect((await t.call('POST', `/api/v2/tracking/${dropoff.shortId}/feedback`, { body: { rating: 5 } })).status).toBe(409);

    const photo = await upload(driver.as);
    ok(await t.call('POST', `/api/v2/tasks/${dropoff.id}/complete`, { as: driver.as, body: { completionDetails: { success: true, notes: 'Left with the neighbour', photoUploadIds: [photo] } } }), 'complete');
    const done = ok(await view(dropoff.shortId), 'completed');
    expect(done).toMatchObject({ status: 'completed', driver: null, eta: null, proof: { notes: 'Left with the neighbour', photo: `http://baton.test/api/v2/tracking/${dropoff.shortId}/photo`, signature: null } });
    expect(done.timeline.map((e: { event: string }) => e.event)).toEqual(['created', 'pickedUp', 'started', 'completed']);
    const img = await t.call('GET', `/api/v2/tracking/${dropoff.shortId}/photo`);
    expect(img.status).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect((await t.call('GET', `/api/v2/tracking/${dropoff.shortId}/signature`)).status).toBe(404);

    // Proof hidden by the merchant: neither in the data nor by its address.
    ok(await t.call('PUT', '/api/v2/trackingPage', { as: shop.session, body: { showProofOfDelivery: false } }), 'hide proof');
    expect(ok(await view(dropoff.shortId), 'no proof').proof).toBeNull();
    expect((await t.call('GET', `/api/v2/tracking/${dropoff.shortId}/photo`)).status).toBe(404);
    ok(await t.call('PUT', '/api/v2/trackingPage', { as: shop.session, body: { showProofOfDelivery: true } }), 'show proof');

    // One rating per delivery, which the courier and the client see on the task.
    const bad = await t.call('POST', `/api/v2/tracking/${dropoff.shortId}/feedback`, { body: { rating: 9 } });
    expect(bad.status).toBe(400);
    ok(await t.call('POST', `/api/v2/tracking/${dropoff.shortId}/feedback`, { body: { rating: 4, comments: ' Lovely flowers ' } }), 'feedback');
    const again = await t.call('POST', `/api/v2/tracking/${dropoff.shortId}/feedback`, { body: { rating: 1 } });
    expect(again.status).toBe(409);
    expect(again.body.message.message).toMatch(/already/);
    expect(ok(await view(dropoff.shortId), 'rated').feedback).toEqual({ enabled: true, submitted: true });
    for (const as of [courier.apiKey, shop.session]) {
      const task = ok(await t.call('GET', `/api/v2/tasks/${dropoff.id}`, { as }), 'task');
      expect(task.feedback).toEqual([{ rating: 4, comments: 'Lovely flowers', time: expect.any(Number) }]);
    }
  });

  it('refuses feedback when the merchant turned it off, and answers unknown links with 404', async () => {
    ok(await t.call('PUT', '/api/v2/trackingPage', { as: other.session, body: { feedbackEnabled: false } }), 'no feedback');
    const o = await newOrder(other.session);
    ok(await t.call('POST', '/api/v2/taskOrders/cancel', { as: other.session, body: { shortIds: [o.shortId] } }), 'cancel');
    const cancelled = ok(await view(o.dropoffTask.shortId), 'cancelled');
    expect(cancelled).toMatchObject({ status: 'cancelled', feedback: { enabled: false, submitted: false }, proof: null });
    expect(cancelled.timeline.map((e: { event: string }) => e.event)).toEqual(['created', 'cancelled']);
    const refused = await t.call('POST', `/api/v2/tracking/${o.dropoffTask.shortId}/feedback`, { body: { rating: 5 } });
    expect(refused.status).toBe(403);

    const missing = await view('00000000');
    expect(missing.status).toBe(404);
    expect(missing.body.message.error).toBe(1003);
    expect((await view('NOT-A-ID')).status).toBe(400);
    // back to the courier's page
    ok(await t.call('DELETE', '/api/v2/trackingPage', { as: other.session }), 'reset');
    expect(ok(await t.call('GET', '/api/v2/trackingPage', { as: other.session }), 'reset view')).toMatchObject({ inherited: true, feedbackEnabled: true, primaryColor: '#225588' });
  });

  it('answers a burst of first opens each with its own page, reading them together, and a link that leads nowhere among them with 404', async () => {
    const orders: Awaited<ReturnType<typeof newOrder>>[] = [];
    for (let i = 0; i < 12; i++) orders.push(await newOrder(i % 2 ? shop.session : other.session));
    const wanted = orders.flatMap((o) => [o.pickupTask.shortId, o.dropoffTask.shortId]);
    const executor = t.app.ctx.db.getExecutor();
    const statements: string[] = [];
    const execute = executor.executeQuery.bind(executor);
    executor.executeQuery = ((q: Parameters<typeof execute>[0]) => {
      statements.push(q.sql);
      return execute(q);
    }) as typeof executor.executeQuery;
    let pages: Res[];
    try {
      pages = await Promise.all([...wanted, 'fedcba98'].map((id) => view(id)));
    } finally {
      executor.executeQuery = execute;
    }
    expect(pages.pop()!.status).toBe(404);
    pages.forEach((page, i) => {
      const o = orders[Math.floor(i / 2)];
      const pickup = i % 2 === 0;
      expect(ok(page, wanted[i])).toMatchObject({
        shortId: wanted[i],
        kind: pickup ? 'pickup' : 'dropoff',
        merchantName: i % 4 < 2 ? 'Dull Hardware' : 'Bright Flowers',
        destination: { address: `${seq - 11 + Math.floor(i / 2)} ${pickup ? 'Pickup Row' : 'Secret Garden Lane'}` },
      });
      expect(o[pickup ? 'pickupTask' : 'dropoffTask'].shortId).toBe(wanted[i]);
    });
    // 25 pages, read in far fewer statements than one each
    const reads = statements.filter((q) => /^select \* from "tasks" where "short_id"/.test(q));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThan(wanted.length / 2);
    // every page opened is marked viewed
    for (const o of orders) expect(ok(await t.call('GET', `/api/v2/tasks/${o.dropoffTask.id}`, { as: courier.apiKey }), 'task').trackingViewed).toBe(true);
  });

  it('finds tasks by tracking link among several organizations’ tasks: each with its own dependencies, the newest of a reused short id', async () => {
    const a = await newOrder(shop.session);
    const b = await newOrder(other.session);
    const db = t.app.ctx.db;
    const elsewhere = await signUpCourier(t, 'Elsewhere Couriers');
    // an older task of another courier that happens to carry the same short id as a's dropoff
    const older = await db.selectFrom('tasks').selectAll().where('id', '=', b.pickupTask.id).executeTakeFirstOrThrow();
    const stale = { ...older, id: `${older.id.slice(0, -4)}dup0`, organization_id: elsewhere.organizationId, merchant_id: elsewhere.organizationId, short_id: a.dropoffTask.shortId, time_created: Number(older.time_created) - 60_000 };
    await db.insertInto('tasks').values(stale).execute();
    try {
      const found = await findTrackedTasks(db, [a.dropoffTask.shortId, b.dropoffTask.shortId, b.pickupTask.shortId, '0badf00d']);
      expect([...found.keys()].sort()).toEqual([a.dropoffTask.shortId, b.dropoffTask.shortId, b.pickupTask.shortId].sort());
      expect(found.get(a.dropoffTask.shortId)!.task.id).toBe(a.dropoffTask.id);
      expect(found.get(a.dropoffTask.shortId)!.dependencies.map((d) => d.id)).toEqual([a.pickupTask.id]);
      expect(found.get(b.dropoffTask.shortId)!.dependencies.map((d) => d.id)).toEqual([b.pickupTask.id]);
      expect(found.get(b.pickupTask.shortId)!.dependencies).toEqual([]);
      // the page shows the newest task with that link, not the other courier's
      expect(ok(await view(a.dropoffTask.shortId), 'page').merchantName).toBe('Bright Flowers');
    } finally {
      await db.deleteFrom('tasks').where('id', '=', stale.id).execute();
    }
  });

  it('counts links that lead nowhere heavily: a guesser is stopped after a few misses, a recipient’s page polls freely', async () => {
    const small = await createTestApp(dialect, { RATE_LIMIT_TRACKING_MAX: '1000', RATE_LIMIT_TRACKING_MISSES_MAX: '5' });
    try {
      const c = await signUpCourier(small, 'Guess Couriers');
      const task = await small.call('POST', '/api/v2/tasks', { as: c.apiKey, body: { destination: { address: { unparsed: '1 Guess Street' }, location: [-122.4, 37.78] } } });
      expect(task.status).toBe(200);
      const from = (remoteAddress: string, shortId: string) => small.app.inject({ method: 'GET', url: `/api/v2/tracking/${shortId}`, remoteAddress });
      const guesser = '198.51.100.7';
      const guesses: number[] = [];
      for (let i = 0; i < 8; i++) guesses.push((await from(guesser, (0x10000000 + i).toString(16))).statusCode);
      expect(guesses).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
      const stopped = await from(guesser, task.body.shortId);
      expect(stopped.statusCode).toBe(429);
      expect(JSON.parse(stopped.body)).toMatchObject({ code: 'TooManyRequests', message: { error: 2300 } });
      expect(Number(stopped.headers['retry-after'])).toBeGreaterThan(0);
      // a recipient polling its own page, from another address, far more often than the miss limit
      for (let i = 0; i < 40; i++) expect((await from('198.51.100.8', task.body.shortId)).statusCode).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('gives consecutive tasks short ids that are not sequential or predictable from each other', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) {
      const task = ok(await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: `${i} Sequence Road` }, location: [-122.4, 37.78] } } }), 'task');
      ids.push(task.shortId);
    }
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(new Set(ids).size).toBe(ids.length);
    const n = ids.map((id) => parseInt(id, 16));
    const steps = n.slice(1).map((x, i) => x - n[i]);
    // neither counting up nor down, no constant step, and no two neighbours close together (2^20 of 2^32 apart)
    expect(steps.filter((d) => d > 0).length).toBeGreaterThan(3);
    expect(steps.filter((d) => d < 0).length).toBeGreaterThan(3);
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps.filter((d) => Math.abs(d) < 2 ** 20).length).toBeLessThanOrEqual(2);
    // every hex digit position varies
    for (let pos = 0; pos < 8; pos++) expect(new Set(ids.map((id) => id[pos])).size, `digit ${pos}`).toBeGreaterThan(3);
  });

  it('limits the public page per address (429 with Retry-After)', async () => {
    const small = await createTestApp(dialect, { RATE_LIMIT_TRACKING_MAX: '3' });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await small.call('GET', '/api/v2/tracking/0000000a')).status);
      expect(codes).toEqual([404, 404, 404, 429, 429]);
      const limited = await small.call('GET', '/api/v2/tracking/0000000a');
      expect(limited.body.message.error).toBe(2300);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await small.close();
    }
  });
});
