import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PUBLIC_URL, signUpCourier, type Creds, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

const ID = /^[A-Za-z0-9~*]{24}$/;
const SHORT_ID = /^[0-9a-f]{8}$/;
const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZ';

type Courier = Awaited<ReturnType<typeof signUpCourier>>;
type Task = Record<string, any> & { id: string; shortId: string; state: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A destination with coordinates, distinct per `n`. */
const located = (n: number) => ({
  address: { number: String(n), street: 'Mission St', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US' },
  location: [-122.41 + n / 10_000, 37.77] as [number, number],
});

function expectError(res: Res, status: number, error: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.code).toBe(status === 403 ? 'Forbidden' : 'InvalidContent');
  expect(res.body.message.error).toBe(error);
  expect(typeof res.body.message.message).toBe('string');
}

describe.each(ds)('tasks API (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let as: Creds;
  let teamId: string;
  let phoneSeq = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Task Couriers');
    as = courier.apiKey;
    const team = await t.call('POST', '/api/v2/teams', { as, body: { name: 'Downtown' } });
    expect(team.status).toBe(200);
    teamId = team.body.id;
  });
  afterAll(() => t.close());

  async function createTask(body: Record<string, unknown> = {}, creds: Creds = as): Promise<Task> {
    const res = await t.call('POST', '/api/v2/tasks', { as: creds, body: { destination: located(++phoneSeq), ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function getTask(id: string): Promise<Task> {
    const res = await t.call('GET', `/api/v2/tasks/${id}`, { as });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function newWorker(name = 'Driver', org: Courier = courier, team = teamId) {
    const phone = `+1415555${String(2000 + ++phoneSeq).padStart(4, '0')}`;
    const res = await t.call('POST', '/api/v2/workers', { as: org.apiKey, body: { name, phone, teams: [team] } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.id as string;
  }

  /** A driver of the courier, signed in (Bearer) and on duty. */
  async function newDriver(name = 'Driver') {
    const workerId = await newWorker(name);
    const link = await t.call('POST', `/api/v2/workers/${workerId}/loginLink`, { as, body: {} });
    expect(link.status).toBe(200);
    const token = decodeURIComponent(new URL(link.body.url).pathname.split('/').pop()!);
    const s = await t.call('POST', '/api/v2/driver/session', { body: { token } });
    expect(s.status).toBe(200);
    const driver: Creds = { bearer: s.body.sessionToken };
    expect((await t.call('PUT', '/api/v2/driver/duty', { as: driver, body: { onDuty: true } })).status).toBe(200);
    return { workerId, as: driver };
  }

  async function assign(taskId: string, workerId: string): Promise<Task> {
    const res = await t.call('PUT', `/api/v2/tasks/${taskId}`, { as, body: { container: { type: 'WORKER', worker: workerId } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function start(taskId: string, driver: Creds) {
    return t.call('POST', `/api/v2/tasks/${taskId}/start`, { as: driver });
  }

  async function eventTypes(subjectId: string) {
    const rows = await t.app.ctx.db.selectFrom('events').select(['type', 'organization_id']).where('subject_id', '=', subjectId).orderBy('seq').execute();
    for (const r of rows) expect(r.organization_id).toBe(courier.organizationId);
    return rows.map((r) => r.type);
  }

  async function container(workerId: string): Promise<string[]> {
    const res = await t.call('GET', `/api/v2/containers/workers/${workerId}`, { as });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.tasks;
  }

  describe('create', () => {
    it('creates a task from address components and coordinates, in Onfleet’s shape', async () => {
      const res = await t.call('POST', '/api/v2/tasks', {
        as,
        body: {
          destination: {
            address: { number: '548', street: 'Market St', apartment: 'Suite 2', city: 'San Francisco', state: 'CA', postalCode: '94104', country: 'US', name: 'Front desk' },
            location: [-122.4006, 37.7898],
            notes: 'Buzz 2',
          },
          recipients: [{ name: ' Rita Recipient ', phone: '(415) 555-0199', email: 'rita@example.test', notes: 'Leave at the door' }],
          notes: 'Fragile',
          quantity: 2,
          serviceTime: 5,
          metadata: [{ name: 'ref', type: 'string', value: 'PO-1', visibility: ['api'] }],
          requirements: { signature: true, minimumAge: 21 },
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const task = res.body;
      expect(task.id).toMatch(ID);
      expect(task.shortId).toMatch(SHORT_ID);
      expect(task.trackingURL).toBe(`${PUBLIC_URL}/track/${task.shortId}`);
      expect(task.trackingURL.endsWith(`/track/${task.shortId}`)).toBe(true);
      expect(task).toMatchObject({
        state: 0,
        organization: courier.organizationId,
        merchant: courier.organizationId,
        executor: courier.organizationId,
        container: { type: 'ORGANIZATION', organization: courier.organizationId },
        worker: null,
        pickupTask: false,
        dependencies: [],
        orderShortId: null,
        completeAfter: null,
        completeBefore: null,
        notes: 'Fragile',
        quantity: 2,
        serviceTime: 5,
        metadata: [{ name: 'ref', type: 'string', value: 'PO-1', visibility: ['api'] }],
        requirements: { signature: true, photo: false, notes: false, minimumAge: 21 },
        completionDetails: { success: null, time: null, events: [], photoUploadIds: [] },
        feedback: [],
        trackingViewed: false,
      });
      expect(task.destination).toMatchObject({
        address: { number: '548', street: 'Market St', apartment: 'Suite 2', city: 'San Francisco', state: 'CA', postalCode: '94104', country: 'US', name: 'Front desk', unparsed: '' },
        location: [-122.4006, 37.7898],
        notes: 'Buzz 2',
        warnings: [],
      });
      expect(task.destination.id).toMatch(ID);
      expect(task.recipients).toHaveLength(1);
      expect(task.recipients[0]).toMatchObject({ name: 'Rita Recipient', phone: '+14155550199', email: 'rita@example.test', notes: 'Leave at the door', skipSMSNotifications: false });
      expect(task.recipients[0].id).toMatch(ID);
      expect(task.timeCreated).toEqual(expect.any(Number));
      expect(task.timeLastModified).toBe(task.timeCreated);
      expect(await getTask(task.id)).toEqual({ ...task, delayTime: null });
    });

    it('accepts an unparsed address without coordinates: location null and a warning', async () => {
      const res = await t.call('POST', '/api/v2/tasks', {
        as,
        body: { destination: { address: { unparsed: '1 Ferry Building, San Francisco, CA 94111' } }, recipients: [{ name: 'Fred', phone: '+14155550123' }] },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.destination.address.unparsed).toBe('1 Ferry Building, San Francisco, CA 94111');
      expect(res.body.destination.location).toBeNull();
      expect(res.body.destination.warnings).toHaveLength(1);
      expect(res.body.destination.warnings[0]).toEqual(expect.any(String));
      expect(res.body.recipients[0].phone).toBe('+14155550123');
      expect(res.body.state).toBe(0);
    });

    it('refuses a time window that ends before it starts (400, error 1009)', async () => {
      const now = Date.now();
      for (const [completeAfter, completeBefore] of [
        [now + 3600_000, now],
        [now, now],
      ]) {
        const res = await t.call('POST', '/api/v2/tasks', { as, body: { destination: located(1), completeAfter, completeBefore } });
        expectError(res, 400, 1009);
      }
      const ok = await createTask({ completeAfter: now, completeBefore: now + 3600_000 });
      expect(ok).toMatchObject({ completeAfter: now, completeBefore: now + 3600_000 });
    });

    it('refuses an invalid recipient phone (400, error 1010)', async () => {
      const res = await t.call('POST', '/api/v2/tasks', { as, body: { destination: located(1), recipients: [{ name: 'Bad', phone: '12345' }] } });
      expectError(res, 400, 1010);
      expect(res.body.message.cause).toMatchObject({ field: expect.stringContaining('phone') });
    });

    it('refuses an unknown dependency (400)', async () => {
      const res = await t.call('POST', '/api/v2/tasks', { as, body: { destination: located(1), dependencies: [UNKNOWN_ID] } });
      expectError(res, 400, 1000);
      expect(JSON.stringify(res.body.message.cause)).toContain(UNKNOWN_ID);
    });

    it('refuses an empty address (400)', async () => {
      for (const address of [{}, { unparsed: '   ' }, { street: '', city: '' }]) {
        const res = await t.call('POST', '/api/v2/tasks', { as, body: { destination: { address, location: [-122.4, 37.7] } } });
        expectError(res, 400, 1000);
      }
      expectError(await t.call('POST', '/api/v2/tasks', { as, body: { notes: 'no destination' } }), 400, 1000);
    });

    it('records task.created', async () => {
      const task = await createTask();
      expect(await eventTypes(task.id)).toEqual(['task.created']);
    });
  });

  describe('read', () => {
    it('gets a task by id and by short id; another courier’s task is not found (404, error 1003)', async () => {
      const task = await createTask({ notes: 'findable' });
      expect((await t.call('GET', `/api/v2/tasks/${task.id}`, { as })).body).toMatchObject({ id: task.id, shortId: task.shortId, notes: 'findable' });
      const byShort = await t.call('GET', `/api/v2/tasks/shortId/${task.shortId}`, { as });
      expect(byShort.status).toBe(200);
      expect(byShort.body.id).toBe(task.id);

      const other = await signUpCourier(t, 'Other Couriers');
      expectError(await t.call('GET', `/api/v2/tasks/${task.id}`, { as: other.apiKey }), 404, 1003);
      expectError(await t.call('GET', `/api/v2/tasks/shortId/${task.shortId}`, { as: other.apiKey }), 404, 1003);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as: other.apiKey, body: { notes: 'hijacked' } }), 404, 1003);
      expectError(await t.call('DELETE', `/api/v2/tasks/${task.id}`, { as: other.apiKey }), 404, 1003);
      expect((await getTask(task.id)).notes).toBe('findable');
      expectError(await t.call('GET', `/api/v2/tasks/${UNKNOWN_ID}`, { as }), 404, 1003);
      expect((await t.call('GET', `/api/v2/tasks/${task.id}`)).status).toBe(401);
    });
  });

  describe('list', () => {
    it('creates in batches and pages through 64 tasks at a time', async () => {
      // A courier of its own, so the listing holds exactly these tasks.
      const lister = await signUpCourier(t, 'Listing Couriers');
      const good = (n: number) => ({ destination: { address: { unparsed: `${n} Batch Street, Springfield` } }, notes: `batch ${n}` });
      const first = [...Array(50).keys()].map((i) => (i === 17 ? { destination: { address: { unparsed: 'x' } }, completeAfter: 20, completeBefore: 10 } : good(i)));
      const a = await t.call('POST', '/api/v2/tasks/batch', { as: lister.apiKey, body: { tasks: first } });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.tasks).toHaveLength(49);
      expect(a.body.errors).toEqual([{ index: 17, code: 'InvalidContent', error: 1009, message: expect.any(String), cause: expect.anything() }]);
      const b = await t.call('POST', '/api/v2/tasks/batch', { as: lister.apiKey, body: { tasks: [...Array(21).keys()].map((i) => good(100 + i)) } });
      expect(b.status).toBe(200);
      expect(b.body).toMatchObject({ errors: [] });
      expect(b.body.tasks).toHaveLength(21);
      const created: Task[] = [...a.body.tasks, ...b.body.tasks];
      for (const task of created) expect(task).toMatchObject({ state: 0, organization: lister.organizationId, container: { type: 'ORGANIZATION' } });
      expect(new Set(created.map((x) => x.id)).size).toBe(70);
      expect(new Set(created.map((x) => x.shortId)).size).toBe(70);

      // An item that is not even a task is reported by its index too; more than 100 is refused whole.
      const mixed = await t.call('POST', '/api/v2/tasks/batch', { as: lister.apiKey, body: { tasks: [{ nonsense: true }] } });
      expect(mixed.body).toMatchObject({ tasks: [], errors: [{ index: 0, error: 1000 }] });
      expectError(await t.call('POST', '/api/v2/tasks/batch', { as: lister.apiKey, body: { tasks: [...Array(101).keys()].map(good) } }), 400, 1000);

      const p1 = await t.call('GET', '/api/v2/tasks/all?from=0', { as: lister.apiKey });
      expect(p1.status).toBe(200);
      expect(p1.body.tasks).toHaveLength(64);
      expect(p1.body.lastId).toBe(p1.body.tasks[63].id);
      const p2 = await t.call('GET', `/api/v2/tasks/all?from=0&lastId=${p1.body.lastId}`, { as: lister.apiKey });
      expect(p2.status).toBe(200);
      expect(p2.body.tasks).toHaveLength(6);
      expect(p2.body).not.toHaveProperty('lastId');
      const listed = [...p1.body.tasks, ...p2.body.tasks].map((x: Task) => x.id);
      expect(new Set(listed)).toEqual(new Set(created.map((x) => x.id)));
      expect(listed).toHaveLength(70);

      // lastId must name one of the caller's tasks
      const task = await createTask();
      expectError(await t.call('GET', `/api/v2/tasks/all?lastId=${task.id}`, { as: lister.apiKey }), 400, 1000);
    });

    it('filters by state and by creation time', async () => {
      const lister = await signUpCourier(t, 'Filter Couriers');
      const las = lister.apiKey;
      const team = await t.call('POST', '/api/v2/teams', { as: las, body: { name: 'Filters' } });
      const w = await newWorker('Filter Driver', lister, team.body.id);
      const mk = async (n: number) => {
        const res = await t.call('POST', '/api/v2/tasks', { as: las, body: { destination: located(n) } });
        expect(res.status).toBe(200);
        return res.body as Task;
      };
      const early = await mk(1);
      await sleep(5);
      const middle = await mk(2);
      await sleep(5);
      const late = await mk(3);
      expect((await t.call('PUT', `/api/v2/tasks/${middle.id}`, { as: las, body: { container: { type: 'WORKER', worker: w } } })).body.state).toBe(1);

      const ids = async (query: string) => {
        const res = await t.call('GET', `/api/v2/tasks/all?${query}`, { as: las });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        return res.body.tasks.map((x: Task) => x.id);
      };
      expect(await ids('from=0')).toEqual([early.id, middle.id, late.id]);
      expect(await ids('from=0&state=1')).toEqual([middle.id]);
      expect(await ids('from=0&state=0')).toEqual([early.id, late.id]);
      expect(await ids('from=0&state=0,1')).toEqual([early.id, middle.id, late.id]);
      expect(await ids('from=0&state=3')).toEqual([]);
      expect(await ids(`from=0&worker=${w}`)).toEqual([middle.id]);
      expect(await ids(`from=${middle.timeCreated}`)).toEqual([middle.id, late.id]);
      expect(await ids(`from=0&to=${middle.timeCreated}`)).toEqual([early.id, middle.id]);
      expect(await ids(`from=${middle.timeCreated}&to=${middle.timeCreated}`)).toEqual([middle.id]);
      expect(await ids(`from=${late.timeCreated + 1}`)).toEqual([]);
      expectError(await t.call('GET', '/api/v2/tasks/all?state=7', { as: las }), 400, 1000);
    });
  });

  describe('update and assignment', () => {
    it('updates notes and destination', async () => {
      const task = await createTask({ destination: { address: { unparsed: 'somewhere' } } });
      expect(task.destination.location).toBeNull();
      await sleep(2);
      const res = await t.call('PUT', `/api/v2/tasks/${task.id}`, {
        as,
        body: { notes: 'New notes', destination: { address: { street: 'Valencia St', number: '500', city: 'San Francisco' }, location: [-122.42, 37.76] } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ id: task.id, shortId: task.shortId, notes: 'New notes', state: 0 });
      expect(res.body.destination).toMatchObject({ address: { street: 'Valencia St', number: '500', city: 'San Francisco', unparsed: '' }, location: [-122.42, 37.76], warnings: [] });
      expect(res.body.timeLastModified).toBeGreaterThan(task.timeLastModified);
      expect(await getTask(task.id)).toMatchObject({ notes: 'New notes', destination: { location: [-122.42, 37.76] } });

      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { destination: { address: {} } } }), 400, 1000);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { completeAfter: 200, completeBefore: 100 } }), 400, 1009);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { recipients: [{ name: 'X', phone: 'abc' }] } }), 400, 1010);
      expect((await getTask(task.id)).notes).toBe('New notes');
      expect(await eventTypes(task.id)).toEqual(['task.created', 'task.updated']);
    });

    it('assigns to a worker, moves to a team and back to the organization', async () => {
      const w = await newWorker('Assignee');
      const task = await createTask();
      const assigned = await assign(task.id, w);
      expect(assigned).toMatchObject({ state: 1, worker: w, container: { type: 'WORKER', worker: w } });
      expect(await container(w)).toEqual([task.id]);

      const toTeam = await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { container: { type: 'TEAM', team: teamId } } });
      expect(toTeam.status, JSON.stringify(toTeam.body)).toBe(200);
      expect(toTeam.body).toMatchObject({ state: 0, worker: null, container: { type: 'TEAM', team: teamId } });
      expect(await container(w)).toEqual([]);
      const teamTasks = await t.call('GET', `/api/v2/teams/${teamId}/tasks`, { as });
      expect(teamTasks.body.tasks.map((x: Task) => x.id)).toContain(task.id);

      const back = await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { container: { type: 'ORGANIZATION', organization: courier.organizationId } } });
      expect(back.status).toBe(200);
      expect(back.body).toMatchObject({ state: 0, worker: null, container: { type: 'ORGANIZATION', organization: courier.organizationId } });

      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { container: { type: 'WORKER', worker: UNKNOWN_ID } } }), 400, 1000);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { container: { type: 'TEAM', team: UNKNOWN_ID } } }), 400, 1000);
      expect(await eventTypes(task.id)).toEqual(['task.created', 'task.assigned', 'task.unassigned', 'task.updated']);
    });

    it('creates a task straight into a worker’s container (state 1)', async () => {
      const w = await newWorker('Direct');
      const task = await createTask({ container: { type: 'WORKER', worker: w } });
      expect(task).toMatchObject({ state: 1, worker: w, container: { type: 'WORKER', worker: w } });
      const inTeam = await createTask({ container: { type: 'TEAM', team: teamId } });
      expect(inTeam).toMatchObject({ state: 0, worker: null, container: { type: 'TEAM', team: teamId } });
    });
  });

  describe('worker containers', () => {
    it('sets, inserts into and replaces a worker’s ordered task list', async () => {
      const w = await newWorker('Ordered');
      const [a, b, c, d] = [await createTask(), await createTask(), await createTask(), await createTask()];

      const set = await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [a.id, b.id, c.id] } });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body).toMatchObject({ type: 'WORKER', worker: w, tasks: [a.id, b.id, c.id], activeTask: null });
      expect(await container(w)).toEqual([a.id, b.id, c.id]);
      for (const x of [a, b, c]) expect(await getTask(x.id)).toMatchObject({ state: 1, worker: w, container: { type: 'WORKER', worker: w } });

      const reordered = await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [c.id, a.id, b.id] } });
      expect(reordered.body.tasks).toEqual([c.id, a.id, b.id]);
      const workerTasks = await t.call('GET', `/api/v2/workers/${w}/tasks`, { as });
      expect(new Set(workerTasks.body.tasks.map((x: Task) => x.id))).toEqual(new Set([a.id, b.id, c.id]));

      const back = await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [a.id, b.id, c.id] } });
      expect(back.body.tasks).toEqual([a.id, b.id, c.id]);

      const inserted = await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [1, d.id] } });
      expect(inserted.status, JSON.stringify(inserted.body)).toBe(200);
      expect(inserted.body.tasks).toEqual([a.id, d.id, b.id, c.id]);
      expect(await container(w)).toEqual([a.id, d.id, b.id, c.id]);
      expect(await getTask(d.id)).toMatchObject({ state: 1, worker: w });

      const beforeReplace = await getTask(a.id);
      await sleep(2);
      const replaced = await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [b.id] } });
      expect(replaced.status).toBe(200);
      expect(replaced.body.tasks).toEqual([b.id]);
      expect(await container(w)).toEqual([b.id]);
      expect(await getTask(b.id)).toMatchObject({ state: 1, worker: w });
      for (const x of [a, c, d]) {
        expect(await getTask(x.id)).toMatchObject({ state: 0, worker: null, container: { type: 'ORGANIZATION', organization: courier.organizationId } });
      }
      expect((await getTask(a.id)).timeLastModified).toBeGreaterThan(beforeReplace.timeLastModified);
      expect(await eventTypes(a.id)).toEqual(['task.created', 'task.assigned', 'task.unassigned']);
      expect(await eventTypes(d.id)).toEqual(['task.created', 'task.assigned', 'task.unassigned']);
      expect(await eventTypes(b.id)).toEqual(['task.created', 'task.assigned']);
    });

    it('moves tasks from another worker and appends with index -1', async () => {
      const w1 = await newWorker('From');
      const w2 = await newWorker('To');
      const [a, b, c] = [await createTask(), await createTask(), await createTask()];
      await t.call('PUT', `/api/v2/containers/workers/${w1}`, { as, body: { tasks: [a.id, b.id] } });
      await t.call('PUT', `/api/v2/containers/workers/${w2}`, { as, body: { tasks: [c.id] } });
      const moved = await t.call('PUT', `/api/v2/containers/workers/${w2}`, { as, body: { tasks: [-1, a.id] } });
      expect(moved.body.tasks).toEqual([c.id, a.id]);
      expect(await container(w1)).toEqual([b.id]);
      expect(await getTask(a.id)).toMatchObject({ state: 1, worker: w2 });
    });

    it('refuses unknown tasks and workers, and never reopens a completed task', async () => {
      const w = await newWorker('Strict');
      const task = await createTask();
      expectError(await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [UNKNOWN_ID] } }), 400, 1000);
      expectError(await t.call('PUT', `/api/v2/containers/workers/${UNKNOWN_ID}`, { as, body: { tasks: [task.id] } }), 404, 1003);
      expectError(await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [task.id, 2] } }), 400, 1000);

      const driver = await newDriver('Finisher');
      const done = await createTask();
      await assign(done.id, driver.workerId);
      expect((await start(done.id, driver.as)).status).toBe(200);
      expect((await t.call('POST', `/api/v2/tasks/${done.id}/complete`, { as, body: { completionDetails: { success: true } } })).status).toBe(200);
      const open = await createTask();
      await assign(open.id, driver.workerId);
      for (const target of [driver.workerId, w]) {
        const res = await t.call('PUT', `/api/v2/containers/workers/${target}`, { as, body: { tasks: [done.id] } });
        expectError(res, 409, 1005);
        expect(await getTask(done.id)).toMatchObject({ state: 3, completionDetails: { success: true } });
      }
      // the refused request changed nothing
      expect(await container(driver.workerId)).toEqual([open.id]);
      expect(await getTask(open.id)).toMatchObject({ state: 1, worker: driver.workerId });
    });
  });

  describe('dependencies', () => {
    it('the task list shows each task’s dependencies, as reading the task does', async () => {
      const a = await createTask({ pickupTask: true });
      const b = await createTask({ pickupTask: true });
      const c = await createTask({ dependencies: [b.id, a.id] });
      const res = await t.call('GET', `/api/v2/tasks/all?from=${a.timeCreated}`, { as });
      expect(res.status).toBe(200);
      const listed = new Map((res.body.tasks as Task[]).map((x) => [x.id, x.dependencies]));
      expect(listed.get(a.id)).toEqual([]);
      expect(listed.get(b.id)).toEqual([]);
      expect([...(listed.get(c.id) ?? [])].sort()).toEqual([a.id, b.id].sort());
      expect([...(await getTask(c.id)).dependencies].sort()).toEqual([a.id, b.id].sort());
    });

    it('a task cannot start until the task it depends on has succeeded', async () => {
      const driver = await newDriver('Dependent');
      const pickup = await createTask({ pickupTask: true });
      const dropoff = await createTask({ dependencies: [pickup.id] });
      expect(dropoff.dependencies).toEqual([pickup.id]);
      await t.call('PUT', `/api/v2/containers/workers/${driver.workerId}`, { as, body: { tasks: [pickup.id, dropoff.id] } });

      expectError(await start(dropoff.id, driver.as), 409, 1005);
      expect((await start(pickup.id, driver.as)).status).toBe(200);
      expectError(await start(dropoff.id, driver.as), 409, 1005);
      const done = await t.call('POST', `/api/v2/tasks/${pickup.id}/complete`, { as: driver.as, body: { completionDetails: { success: true } } });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      const started = await start(dropoff.id, driver.as);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      expect(started.body.state).toBe(2);
    });

    it('a failed dependency keeps the dependent task from starting', async () => {
      const driver = await newDriver('Blocked');
      const pickup = await createTask();
      const dropoff = await createTask({ dependencies: [pickup.id] });
      await t.call('PUT', `/api/v2/containers/workers/${driver.workerId}`, { as, body: { tasks: [pickup.id, dropoff.id] } });
      expect((await start(pickup.id, driver.as)).status).toBe(200);
      const failed = await t.call('POST', `/api/v2/tasks/${pickup.id}/complete`, { as: driver.as, body: { completionDetails: { success: false, failureReason: 'CLOSED' } } });
      expect(failed.body.completionDetails.success).toBe(false);
      expectError(await start(dropoff.id, driver.as), 409, 1005);
      expect((await getTask(dropoff.id)).state).toBe(1);
    });

    it('refuses a dependency cycle (400)', async () => {
      const a = await createTask();
      const b = await createTask({ dependencies: [a.id] });
      const c = await createTask({ dependencies: [b.id] });
      const cycle = await t.call('PUT', `/api/v2/tasks/${a.id}`, { as, body: { dependencies: [c.id] } });
      expectError(cycle, 400, 1000);
      expectError(await t.call('PUT', `/api/v2/tasks/${a.id}`, { as, body: { dependencies: [b.id] } }), 400, 1000);
      expectError(await t.call('PUT', `/api/v2/tasks/${a.id}`, { as, body: { dependencies: [a.id] } }), 400, 1000);
      expect((await getTask(a.id)).dependencies).toEqual([]);
      // a non-cyclic change is fine
      const d = await createTask();
      const ok = await t.call('PUT', `/api/v2/tasks/${a.id}`, { as, body: { dependencies: [d.id] } });
      expect(ok.status).toBe(200);
      expect(ok.body.dependencies).toEqual([d.id]);
    });
  });

  describe('delete', () => {
    it('deletes an unassigned task (200, empty body), then it is gone', async () => {
      const task = await createTask();
      const res = await t.call('DELETE', `/api/v2/tasks/${task.id}`, { as });
      expect(res.status).toBe(200);
      expect(res.body).toBeNull();
      expect(res.headers['content-length']).toBe('0');
      expectError(await t.call('GET', `/api/v2/tasks/${task.id}`, { as }), 404, 1003);
      expectError(await t.call('GET', `/api/v2/tasks/shortId/${task.shortId}`, { as }), 404, 1003);
      expectError(await t.call('DELETE', `/api/v2/tasks/${task.id}`, { as }), 404, 1003);
      expect(await eventTypes(task.id)).toEqual(['task.created', 'task.deleted']);
    });

    it('refuses to delete an active or a completed task (409), or one others depend on', async () => {
      const driver = await newDriver('Keeper');
      const task = await createTask();
      await assign(task.id, driver.workerId);
      expect((await start(task.id, driver.as)).status).toBe(200);
      expectError(await t.call('DELETE', `/api/v2/tasks/${task.id}`, { as }), 409, 1005);
      expect((await t.call('POST', `/api/v2/tasks/${task.id}/complete`, { as: driver.as, body: { completionDetails: { success: true } } })).status).toBe(200);
      expectError(await t.call('DELETE', `/api/v2/tasks/${task.id}`, { as }), 409, 1005);
      expect((await getTask(task.id)).state).toBe(3);

      const base = await createTask();
      await createTask({ dependencies: [base.id] });
      expectError(await t.call('DELETE', `/api/v2/tasks/${base.id}`, { as }), 409, 1005);

      const assigned = await createTask();
      await assign(assigned.id, driver.workerId);
      expect((await t.call('DELETE', `/api/v2/tasks/${assigned.id}`, { as })).status).toBe(200);
    });
  });

  describe('clone', () => {
    it('clones a failed task into a new unassigned task with the same destination', async () => {
      const driver = await newDriver('Cloner');
      const task = await createTask({
        destination: { address: { unparsed: '9 Clone Court, Oakland' }, location: [-122.27, 37.8], notes: 'Side door' },
        recipients: [{ name: 'Cody', phone: '+14155550111' }],
        notes: 'second attempt please',
      });
      await assign(task.id, driver.workerId);
      expect((await start(task.id, driver.as)).status).toBe(200);
      const failed = await t.call('POST', `/api/v2/tasks/${task.id}/complete`, {
        as: driver.as,
        body: { completionDetails: { success: false, failureReason: 'NOBODY_HOME', notes: 'Nobody answered' } },
      });
      expect(failed.status, JSON.stringify(failed.body)).toBe(200);

      const res = await t.call('POST', `/api/v2/tasks/${task.id}/clone`, { as });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const copy = res.body;
      expect(copy.id).toMatch(ID);
      expect(copy.id).not.toBe(task.id);
      expect(copy.shortId).toMatch(SHORT_ID);
      expect(copy.shortId).not.toBe(task.shortId);
      expect(copy.trackingURL).toBe(`${PUBLIC_URL}/track/${copy.shortId}`);
      expect(copy).toMatchObject({
        state: 0,
        worker: null,
        container: { type: 'ORGANIZATION', organization: courier.organizationId },
        notes: 'second attempt please',
        completionDetails: { success: null, time: null, events: [], photoUploadIds: [] },
      });
      expect(copy.destination.address).toEqual(task.destination.address);
      expect(copy.destination.location).toEqual([-122.27, 37.8]);
      expect(copy.destination.notes).toBe('Side door');
      expect(copy.recipients.map((r: { phone: string }) => r.phone)).toEqual(['+14155550111']);
      expect(await getTask(task.id)).toMatchObject({ state: 3, completionDetails: { success: false, failureReason: 'NOBODY_HOME' } });
      expect(await eventTypes(copy.id)).toEqual(['task.cloned']);
    });
  });

  describe('force-complete and completed tasks', () => {
    it('completes only an active task, then refuses every change', async () => {
      const driver = await newDriver('Forced');
      const task = await createTask();
      const complete = (creds: Creds = as) => t.call('POST', `/api/v2/tasks/${task.id}/complete`, { as: creds, body: { completionDetails: { success: true, notes: 'Done by dispatch' } } });

      expectError(await complete(), 409, 1005);
      await assign(task.id, driver.workerId);
      expectError(await complete(), 409, 1005);
      expect((await getTask(task.id)).state).toBe(1);
      expectError(await t.call('POST', `/api/v2/tasks/${task.id}/start`, { as }), 403, 1103);

      const started = await start(task.id, driver.as);
      expect(started.status).toBe(200);
      expect(started.body).toMatchObject({ state: 2, worker: driver.workerId });
      expect(started.body.completionDetails.events.map((e: { name: string }) => e.name)).toEqual(['start']);
      // an active task cannot be reassigned or sent back
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { container: { type: 'ORGANIZATION' } } }), 409, 1005);

      const res = await complete();
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ state: 3, worker: driver.workerId, completionDetails: { success: true, notes: 'Done by dispatch', failureReason: 'NONE' } });
      expect(res.body.completionDetails.time).toEqual(expect.any(Number));
      expect(res.body.completionDetails.events.map((e: { name: string }) => e.name)).toEqual(['start', 'complete']);

      expectError(await complete(), 409, 1005);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { notes: 'too late' } }), 409, 1005);
      expectError(await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { container: { type: 'WORKER', worker: driver.workerId } } }), 409, 1005);
      expect(await getTask(task.id)).toMatchObject({ state: 3, notes: '', completionDetails: { success: true, notes: 'Done by dispatch' } });

      expect(await eventTypes(task.id)).toEqual(['task.created', 'task.assigned', 'task.started', 'task.completed']);
      const payload = await t.app.ctx.db.selectFrom('events').select(['payload', 'worker_id']).where('subject_id', '=', task.id).where('type', '=', 'task.completed').executeTakeFirstOrThrow();
      expect(payload.worker_id).toBe(driver.workerId);
      expect(JSON.parse(payload.payload).task).toMatchObject({ id: task.id, state: 3 });
    });

    it('another courier or an anonymous caller cannot force-complete', async () => {
      const other = await signUpCourier(t, 'Foreign Couriers');
      const task = await createTask();
      expectError(await t.call('POST', `/api/v2/tasks/${task.id}/complete`, { as: other.apiKey, body: { completionDetails: { success: true } } }), 404, 1003);
      expect((await t.call('POST', `/api/v2/tasks/${task.id}/complete`, { body: { completionDetails: { success: true } } })).status).toBe(401);
    });
  });

  describe('history', () => {
    it('lists who created, assigned, started and completed a task, oldest first, to its courier only', async () => {
      const task = await createTask({ notes: 'Ring twice' });
      const driver = await newDriver('History Driver');
      const w = driver.workerId;
      expect((await t.call('PUT', `/api/v2/containers/workers/${w}`, { as, body: { tasks: [task.id] } })).status).toBe(200);
      expect((await t.call('PUT', `/api/v2/tasks/${task.id}`, { as, body: { notes: 'Ring three times' } })).status).toBe(200);
      expect((await start(task.id, driver.as)).status).toBe(200);
      expect((await t.call('POST', `/api/v2/tasks/${task.id}/complete`, { as, body: { completionDetails: { success: true } } })).status).toBe(200);

      const res = await t.call('GET', `/api/v2/tasks/${task.id}/history`, { as });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const entries = res.body.entries as { action: string; actor: { id: string | null; label: string }; data: any; time: number }[];
      expect(entries.map((e) => e.action)).toEqual(['task.created', 'task.assigned', 'task.updated', 'task.started', 'task.completed']);
      expect(entries[3].actor.id).toBe(w);
      expect(entries[1].data).toEqual({ worker: w });
      expect(entries[2].data).toMatchObject({ notes: 'Ring three times' });
      expect(entries[4].data).toMatchObject({ success: true, by: 'dispatcher' });
      for (const e of entries) expect(e.actor.label.length).toBeGreaterThan(0);
      expect(entries.map((e) => e.time)).toEqual([...entries.map((e) => e.time)].sort((a, b) => a - b));

      const other = await signUpCourier(t, 'Other History Couriers');
      expectError(await t.call('GET', `/api/v2/tasks/${task.id}/history`, { as: other.apiKey }), 404, 1003);
      expect((await t.call('GET', `/api/v2/tasks/${task.id}/history`)).status).toBe(401);
    });
  });
});
