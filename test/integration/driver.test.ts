import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, PUBLIC_URL, signUpCourier, type Creds, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

const ID = /^[A-Za-z0-9~*]{24}$/;

type Courier = Awaited<ReturnType<typeof signUpCourier>>;
type Task = Record<string, any> & { id: string; state: number };

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function expectError(res: Pick<Res, 'status' | 'body'>, status: number, error: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.message.error).toBe(error);
  expect(typeof res.body.message.message).toBe('string');
}

describe.each(ds)('driver app API (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let as: Creds;
  let teamId: string;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Driver Couriers');
    as = courier.apiKey;
    const team = await t.call('POST', '/api/v2/teams', { as, body: { name: 'Riders' } });
    expect(team.status).toBe(200);
    teamId = team.body.id;
  });
  afterAll(() => t.close());

  async function newWorker(name = 'Dana Driver', org: Courier = courier, team = teamId) {
    const res = await t.call('POST', '/api/v2/workers', {
      as: org.apiKey,
      body: { name, phone: `+1415555${String(3000 + ++seq)}`, teams: [team] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string; accountStatus: string; onDuty: boolean };
  }

  async function loginToken(workerId: string, org: Courier = courier) {
    const link = await t.call('POST', `/api/v2/workers/${workerId}/loginLink`, { as: org.apiKey, body: {} });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    expect(link.body.url).toMatch(new RegExp(`^${PUBLIC_URL}/driver/login/[^/]+$`));
    expect(link.body.expiresAt).toBeGreaterThan(Date.now());
    return decodeURIComponent(new URL(link.body.url).pathname.split('/').pop()!);
  }

  /** A driver signed in with a Bearer session; on duty unless told otherwise. */
  async function newDriver(name = 'Dana Driver', onDuty = true) {
    const w = await newWorker(name);
    const s = await t.call('POST', '/api/v2/driver/session', { body: { token: await loginToken(w.id) } });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    const driver: Creds = { bearer: s.body.sessionToken };
    if (onDuty) expect((await t.call('PUT', '/api/v2/driver/duty', { as: driver, body: { onDuty: true } })).status).toBe(200);
    return { workerId: w.id, as: driver };
  }

  async function createTask(body: Record<string, unknown> = {}): Promise<Task> {
    const res = await t.call('POST', '/api/v2/tasks', {
      as,
      body: { destination: { address: { unparsed: `${++seq} Driver Way, San Francisco` }, location: [-122.4, 37.78] }, ...body },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function assignAll(workerId: string, ids: string[]) {
    const res = await t.call('PUT', `/api/v2/containers/workers/${workerId}`, { as, body: { tasks: ids } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  async function upload(creds: Creds, data: Buffer, filename = 'proof.png', type = 'image/png') {
    const boundary = '----baton-driver-test';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
      data,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v2/uploads',
      headers: { ...authHeaders(creds), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    return { status: res.statusCode, body: JSON.parse(res.body) };
  }

  const start = (id: string, driver: Creds) => t.call('POST', `/api/v2/tasks/${id}/start`, { as: driver });
  const complete = (id: string, driver: Creds, completionDetails: Record<string, unknown>) =>
    t.call('POST', `/api/v2/tasks/${id}/complete`, { as: driver, body: { completionDetails } });
  const getTask = async (id: string): Promise<Task> => (await t.call('GET', `/api/v2/tasks/${id}`, { as })).body;

  describe('sign-in', () => {
    it('exchanges a single-use link for a session and marks the worker ACCEPTED', async () => {
      const w = await newWorker('Link Driver');
      expect(w.accountStatus).toBe('INVITED');
      const token = await loginToken(w.id);

      const first = await t.call('POST', '/api/v2/driver/session', { body: { token } });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body.sessionToken).toEqual(expect.any(String));
      expect(first.body.expiresAt).toBeGreaterThan(Date.now());
      const cookie = first.cookies.find((c) => c.name === 'baton_session');
      expect(cookie?.httpOnly).toBe(true);

      const again = await t.call('POST', '/api/v2/driver/session', { body: { token } });
      expectError(again, 410, 1006);

      const seen = await t.call('GET', `/api/v2/workers/${w.id}`, { as });
      expect(seen.body.accountStatus).toBe('ACCEPTED');

      // both the Bearer token and the cookie work
      const viaBearer = await t.call('GET', '/api/v2/driver/me', { as: { bearer: first.body.sessionToken } });
      expect(viaBearer.status).toBe(200);
      expect(viaBearer.body.worker.id).toBe(w.id);
      const viaCookie = await t.call('GET', '/api/v2/driver/me', { as: { cookie: cookie!.value } });
      expect(viaCookie.status).toBe(200);
      expect(viaCookie.body.worker.id).toBe(w.id);
    });

    it('refuses an unknown or expired token (410) and a link of a deleted worker', async () => {
      expectError(await t.call('POST', '/api/v2/driver/session', { body: { token: 'not-a-real-token-at-all' } }), 410, 1006);

      const late = await newWorker('Late Driver');
      const stale = await loginToken(late.id);
      await t.app.ctx.db.updateTable('tokens').set({ expires_at: Date.now() - 1 }).where('subject_id', '=', late.id).execute();
      const expired = await t.call('POST', '/api/v2/driver/session', { body: { token: stale } });
      expectError(expired, 410, 1006);
      expect((await t.call('GET', `/api/v2/workers/${late.id}`, { as })).body.accountStatus).toBe('INVITED');

      const w = await newWorker('Gone Driver');
      const token = await loginToken(w.id);
      expect((await t.call('DELETE', `/api/v2/workers/${w.id}`, { as })).status).toBe(200);
      expect((await t.call('POST', '/api/v2/driver/session', { body: { token } })).status).toBe(410);
    });

    it('ends the sessions of a deleted worker', async () => {
      const d = await newDriver('Leaving');
      expect((await t.call('DELETE', `/api/v2/workers/${d.workerId}`, { as })).status).toBe(200);
      expect((await t.call('GET', '/api/v2/driver/me', { as: d.as })).status).toBe(401);
      expect((await t.call('GET', '/api/v2/driver/tasks', { as: d.as })).status).toBe(401);
    });

    it('only the courier can issue a link for its own worker; the body is optional', async () => {
      const bare = await newWorker('Bare');
      const plain = await t.call('POST', `/api/v2/workers/${bare.id}/loginLink`, { as });
      expect(plain.status, JSON.stringify(plain.body)).toBe(200);
      expect(plain.body.url).toMatch(new RegExp(`^${PUBLIC_URL}/driver/login/`));
      expectError(await t.call('POST', `/api/v2/workers/${bare.id}/loginLink`, { as, body: { send: 'pigeon' } }), 400, 1000);

      const w = await newWorker('Guarded');
      const other = await signUpCourier(t, 'Other Couriers');
      expectError(await t.call('POST', `/api/v2/workers/${w.id}/loginLink`, { as: other.apiKey, body: {} }), 404, 1003);
      expect((await t.call('POST', `/api/v2/workers/${w.id}/loginLink`, { body: {} })).status).toBe(401);
    });
  });

  describe('the driver', () => {
    it('reads itself, goes on duty and reports its location, seen by the courier', async () => {
      const d = await newDriver('Mia Mover', false);
      const me = await t.call('GET', '/api/v2/driver/me', { as: d.as });
      expect(me.status).toBe(200);
      expect(me.body.worker).toMatchObject({ id: d.workerId, name: 'Mia Mover', teams: [teamId], onDuty: false, accountStatus: 'ACCEPTED' });
      expect(me.body.organization).toEqual({ id: courier.organizationId, name: 'Driver Couriers' });

      const duty = await t.call('PUT', '/api/v2/driver/duty', { as: d.as, body: { onDuty: true } });
      expect(duty.status).toBe(200);
      expect(duty.body).toMatchObject({ id: d.workerId, onDuty: true });
      expect((await t.call('GET', `/api/v2/workers/${d.workerId}`, { as })).body.onDuty).toBe(true);

      const loc = await t.call('POST', '/api/v2/driver/location', { as: d.as, body: { location: [-122.4194, 37.7749], accuracy: 12 } });
      expect(loc.status, JSON.stringify(loc.body)).toBe(200);
      expect(loc.body).toEqual({ ok: true });
      const seen = await t.call('GET', `/api/v2/workers/${d.workerId}`, { as });
      expect(seen.body.location).toEqual([-122.4194, 37.7749]);
      expect(seen.body.timeLastSeen).toEqual(expect.any(Number));

      expect((await t.call('POST', '/api/v2/driver/location', { as: d.as, body: { location: [37.7, -200] } })).status).toBe(400);
      const events = await t.app.ctx.db.selectFrom('events').select('type').where('subject_id', '=', d.workerId).orderBy('seq').execute();
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['worker.duty', 'worker.location']));
    });

    it('lists only its own open tasks, in container order', async () => {
      const d = await newDriver('Lister');
      const other = await newDriver('Someone Else');
      const [a, b, c, x] = [await createTask(), await createTask(), await createTask(), await createTask()];
      await assignAll(d.workerId, [c.id, a.id, b.id]);
      await assignAll(other.workerId, [x.id]);

      const mine = await t.call('GET', '/api/v2/driver/tasks', { as: d.as });
      expect(mine.status).toBe(200);
      expect(mine.body.tasks.map((k: Task) => k.id)).toEqual([c.id, a.id, b.id]);
      for (const k of mine.body.tasks) expect(k).toMatchObject({ state: 1, worker: d.workerId });
      expect((await t.call('GET', '/api/v2/driver/tasks', { as: other.as })).body.tasks.map((k: Task) => k.id)).toEqual([x.id]);

      await assignAll(d.workerId, [b.id, c.id, a.id]);
      expect((await t.call('GET', '/api/v2/driver/tasks', { as: d.as })).body.tasks.map((k: Task) => k.id)).toEqual([b.id, c.id, a.id]);

      // another driver's task is not this driver's to start or complete
      expectError(await start(x.id, d.as), 404, 1003);
      expectError(await complete(x.id, d.as, { success: true }), 404, 1003);
      expect((await getTask(x.id)).state).toBe(1);

      // the active task comes first; completed tasks leave the list
      expect((await start(a.id, d.as)).status).toBe(200);
      expect((await t.call('GET', '/api/v2/driver/tasks', { as: d.as })).body.tasks.map((k: Task) => k.id)).toEqual([a.id, b.id, c.id]);
      expect((await complete(a.id, d.as, { success: true })).status).toBe(200);
      expect((await t.call('GET', '/api/v2/driver/tasks', { as: d.as })).body.tasks.map((k: Task) => k.id)).toEqual([b.id, c.id]);
    });

    it('starts only its assigned tasks, and only on duty', async () => {
      const d = await newDriver('Starter', false);
      const unassigned = await createTask();
      expectError(await start(unassigned.id, d.as), 404, 1003);
      expect((await getTask(unassigned.id)).state).toBe(0);

      const task = await createTask();
      await assignAll(d.workerId, [task.id]);
      expectError(await start(task.id, d.as), 409, 1005);
      expect((await getTask(task.id)).state).toBe(1);

      await t.call('PUT', '/api/v2/driver/duty', { as: d.as, body: { onDuty: true } });
      await t.call('POST', '/api/v2/driver/location', { as: d.as, body: { location: [-122.41, 37.78] } });
      const started = await start(task.id, d.as);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      expect(started.body).toMatchObject({ id: task.id, state: 2, worker: d.workerId });
      expect(started.body.completionDetails.events).toEqual([{ name: 'start', time: expect.any(Number), location: [-122.41, 37.78] }]);
      expectError(await start(task.id, d.as), 409, 1005);

      // an active task keeps its driver on duty
      expectError(await t.call('PUT', '/api/v2/driver/duty', { as: d.as, body: { onDuty: false } }), 409, 1005);
      expect((await t.call('GET', `/api/v2/workers/${d.workerId}`, { as })).body.onDuty).toBe(true);

      const events = await t.app.ctx.db.selectFrom('events').select(['type', 'worker_id']).where('subject_id', '=', task.id).orderBy('seq').execute();
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.started']);
      expect(events[2].worker_id).toBe(d.workerId);
    });

    it('completes a task with a photo uploaded through /uploads', async () => {
      const d = await newDriver('Photographer');
      const task = await createTask({ requirements: { photo: true } });
      await assignAll(d.workerId, [task.id]);
      expect((await start(task.id, d.as)).status).toBe(200);

      const missing = await complete(task.id, d.as, { success: true, notes: 'Left at door' });
      expectError(missing, 400, 1000);
      expect((await getTask(task.id)).state).toBe(2);

      const up = await upload(d.as, PNG);
      expect(up.status, JSON.stringify(up.body)).toBe(201);
      expect(up.body.id).toMatch(ID);

      // an upload of another organization is not accepted as proof
      const other = await signUpCourier(t, 'Photo Thieves');
      const foreign = await upload(other.apiKey, PNG);
      expect(foreign.status).toBe(201);
      expectError(await complete(task.id, d.as, { success: true, photoUploadIds: [foreign.body.id] }), 400, 1000);

      const res = await complete(task.id, d.as, { success: true, notes: 'Left at door', photoUploadIds: [up.body.id] });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ state: 3, completionDetails: { success: true, notes: 'Left at door', failureReason: 'NONE' } });
      expect(res.body.completionDetails.photoUploadIds).toContain(up.body.id);
      expect(res.body.completionDetails.events.map((e: { name: string }) => e.name)).toEqual(['start', 'complete']);
      expect(await getTask(task.id)).toMatchObject({ state: 3, completionDetails: { success: true, photoUploadIds: [up.body.id] } });
      expectError(await complete(task.id, d.as, { success: true, photoUploadIds: [up.body.id] }), 409, 1005);

      const events = await t.app.ctx.db.selectFrom('events').select('type').where('subject_id', '=', task.id).orderBy('seq').execute();
      expect(events.map((e) => e.type)).toEqual(['task.created', 'task.assigned', 'task.started', 'task.completed']);
    });

    it('fails a task with a reason and notes', async () => {
      const d = await newDriver('Unlucky');
      const task = await createTask({ requirements: { photo: true } });
      await assignAll(d.workerId, [task.id]);
      expect((await start(task.id, d.as)).status).toBe(200);
      // a failure needs no proof photo
      const res = await complete(task.id, d.as, { success: false, failureReason: 'NOBODY_HOME', notes: 'Rang twice' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ state: 3, completionDetails: { success: false, failureReason: 'NOBODY_HOME', notes: 'Rang twice' } });
      expect(res.body.completionDetails.events.map((e: { name: string }) => e.name)).toEqual(['start', 'fail']);
      expect((await getTask(task.id)).completionDetails).toMatchObject({ success: false, failureReason: 'NOBODY_HOME', notes: 'Rang twice' });
    });

    it('cannot complete a task it has not started', async () => {
      const d = await newDriver('Hasty');
      const task = await createTask();
      await assignAll(d.workerId, [task.id]);
      expectError(await complete(task.id, d.as, { success: true }), 409, 1005);
      expect((await getTask(task.id)).state).toBe(1);
    });
  });

  describe('separation of drivers and couriers', () => {
    it('a driver cannot use courier endpoints, a courier cannot use driver endpoints', async () => {
      const d = await newDriver('Curious');
      expectError(await t.call('GET', '/api/v2/teams', { as: d.as }), 403, 1103);
      expectError(await t.call('GET', '/api/v2/workers', { as: d.as }), 403, 1103);
      expectError(await t.call('GET', '/api/v2/tasks/all', { as: d.as }), 403, 1103);
      expectError(await t.call('POST', '/api/v2/tasks', { as: d.as, body: { destination: { address: { unparsed: 'x' } } } }), 403, 1103);
      const task = await createTask();
      await assignAll(d.workerId, [task.id]);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as: d.as, body: { notes: 'driver edit' } }), 403, 1103);
      expectError(await t.call('POST', `/api/v2/workers/${d.workerId}/loginLink`, { as: d.as, body: {} }), 403, 1103);

      expectError(await t.call('GET', '/api/v2/driver/me', { as: courier.session }), 403, 1103);
      expectError(await t.call('GET', '/api/v2/driver/me', { as }), 403, 1103);
      expectError(await t.call('GET', '/api/v2/driver/tasks', { as }), 403, 1103);
      expectError(await t.call('PUT', '/api/v2/driver/duty', { as: courier.session, body: { onDuty: true } }), 403, 1103);
      expect((await t.call('GET', '/api/v2/driver/me')).status).toBe(401);
    });
  });

  describe('uploads', () => {
    it('accepts only images, and serves a proof photo to its courier only', async () => {
      const d = await newDriver('Uploader');
      const text = await upload(d.as, Buffer.from('just some text, not an image'), 'note.png', 'image/png');
      expectError(text, 400, 1000);
      expect((await upload(null, PNG)).status).toBe(401);

      const up = await upload(d.as, PNG);
      expect(up.status).toBe(201);
      const url = `/files/${up.body.id}`;

      const courierView = await t.app.inject({ method: 'GET', url, headers: authHeaders(as) });
      expect(courierView.statusCode).toBe(200);
      expect(courierView.headers['content-type']).toBe('image/png');
      expect(courierView.rawPayload.equals(PNG)).toBe(true);
      const driverView = await t.app.inject({ method: 'GET', url, headers: authHeaders(d.as) });
      expect(driverView.statusCode).toBe(200);

      const anonymous = await t.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode).toBe(404);
      const other = await signUpCourier(t, 'Nosy Couriers');
      expect((await t.app.inject({ method: 'GET', url, headers: authHeaders(other.apiKey) })).statusCode).toBe(404);
    });
  });
});
