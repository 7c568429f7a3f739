import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, signedInDriver, type Courier } from '../helpers/world.ts';

/** Auto-assignment (POST /tasks/autoAssign) and team route optimisation (POST /teams/:id/dispatch), on both databases. */

const ds = await dialects();
const HUB: [number, number] = [-122.4194, 37.7749];

type Pt = [number, number];
const at = (lng: number, lat: number): Pt => [lng, lat];

describe.each(ds)('auto-dispatch (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let team: string;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Dispatch Couriers');
    const tm = await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Downtown', hubLocation: { location: HUB, address: '1 Hub Plaza' } } });
    expect(tm.status).toBe(200);
    expect(tm.body.hubLocation).toEqual({ location: HUB, address: '1 Hub Plaza' });
    team = tm.body.id;
    shop = await acceptedClient(t, courier, 'Bakery', { autoAssignTeam: team });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** An order of the shop (in the team's container) with both ends on the map. */
  async function placeOrder(pickup: Pt, dropoff: Pt, opts: { before?: number; after?: number; quantity?: number } = {}) {
    const res = await t.call('POST', '/api/v2/taskOrders', {
      as: shop.apiKey,
      body: {
        pickupTask: { destination: { address: { unparsed: 'Shop' }, location: pickup }, quantity: opts.quantity ?? 1 },
        dropoffTask: {
          destination: { address: { unparsed: 'Home' }, location: dropoff },
          recipient: { name: 'Rita', phone: '+14155550199' },
          quantity: opts.quantity ?? 1,
          ...(opts.before ? { completeBefore: opts.before } : {}),
          ...(opts.after ? { completeAfter: opts.after } : {}),
        },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return { pickup: res.body.pickupTask.id as string, dropoff: res.body.dropoffTask.id as string, shortId: res.body.shortId as string };
  }

  async function driverAt(name: string, where: Pt, extra: Record<string, unknown> = {}) {
    const d = await signedInDriver(t, courier, team, name);
    expect((await t.call('POST', '/api/v2/driver/location', { as: d.as, body: { location: where } })).status).toBe(200);
    if (Object.keys(extra).length) expect((await t.call('PUT', `/api/v2/workers/${d.workerId}`, { as: courier.apiKey, body: extra })).status).toBe(200);
    return d;
  }

  async function offDuty(workerId: string, as: Creds) {
    expect((await t.call('PUT', '/api/v2/driver/duty', { as, body: { onDuty: false } })).status).toBe(200);
    void workerId;
  }

  const task = async (id: string) => (await t.call('GET', `/api/v2/tasks/${id}`, { as: courier.apiKey })).body;
  const workerOf = async (id: string) => (await task(id)).worker as string | null;

  /** Sends every open task of the organization back to unassigned in the team, and everyone off duty. */
  async function reset() {
    const db = t.app.ctx.db;
    await db.updateTable('tasks').set({ state: 3 }).where('organization_id', '=', courier.organizationId).execute();
    await db.updateTable('workers').set({ on_duty: 0 }).where('organization_id', '=', courier.organizationId).execute();
  }

  describe('POST /tasks/autoAssign', () => {
    it('assigns only on-duty drivers, keeps each order with one driver, and picks the closest', async () => {
      await reset();
      const near = await driverAt('Near Nia', at(-122.40, 37.79));
      const far = await driverAt('Far Fred', at(-122.50, 37.70));
      const off = await driverAt('Off Otto', at(-122.401, 37.791));
      await offDuty(off.workerId, off.as);
      const o1 = await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78));
      const o2 = await placeOrder(at(-122.499, 37.701), at(-122.49, 37.71));
      const res = await t.call('POST', '/api/v2/tasks/autoAssign', {
        as: courier.apiKey,
        body: { tasks: [o1.pickup, o1.dropoff, o2.pickup, o2.dropoff], options: { mode: 'distance' } },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.assignedTasksCount).toBe(4);
      expect(res.body.assignedTasks).toEqual({ [o1.pickup]: near.workerId, [o1.dropoff]: near.workerId, [o2.pickup]: far.workerId, [o2.dropoff]: far.workerId });
      expect(await workerOf(o1.dropoff)).toBe(near.workerId);
      // the pickup comes first in the driver's list
      const w = (await t.call('GET', `/api/v2/workers/${near.workerId}`, { as: courier.apiKey })).body;
      expect(w.tasks).toEqual([o1.pickup, o1.dropoff]);
      // assignment is recorded like a dispatcher's: events and history
      const history = (await t.call('GET', `/api/v2/tasks/${o1.dropoff}/history`, { as: courier.apiKey })).body;
      expect(JSON.stringify(history)).toContain('task.assigned');
    });

    it('brings an order’s other task along with considerDependencies, and never splits an order', async () => {
      await reset();
      const d = await driverAt('Solo Sam', at(-122.40, 37.79));
      const o = await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78));
      const res = await t.call('POST', '/api/v2/tasks/autoAssign', { as: courier.apiKey, body: { tasks: [o.dropoff], options: { mode: 'load', considerDependencies: true } } });
      expect(res.status).toBe(200);
      expect(res.body.assignedTasks).toEqual({ [o.pickup]: d.workerId, [o.dropoff]: d.workerId });

      // without it, the dropoff alone still goes to its pickup's driver
      const o2 = await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78));
      const other = await driverAt('Other Olga', at(-122.401, 37.789));
      await t.call('POST', '/api/v2/tasks/autoAssign', { as: courier.apiKey, body: { tasks: [o2.pickup], options: { mode: 'distance', excludedWorkerIds: [other.workerId] } } });
      expect(await workerOf(o2.pickup)).toBe(d.workerId);
      const res2 = await t.call('POST', '/api/v2/tasks/autoAssign', { as: courier.apiKey, body: { tasks: [o2.dropoff], options: { mode: 'distance' } } });
      expect(res2.body.assignedTasks).toEqual({ [o2.dropoff]: d.workerId });
    });

    it('honours excludedWorkerIds and maxAssignedTaskCount', async () => {
      await reset();
      const a = await driverAt('Ann', at(-122.40, 37.79));
      const b = await driverAt('Bob', at(-122.45, 37.75));
      const orders = [];
      for (let i = 0; i < 3; i++) orders.push(await placeOrder(at(-122.40 + i * 0.001, 37.79), at(-122.41, 37.78)));
      const ids = orders.flatMap((o) => [o.pickup, o.dropoff]);
      const res = await t.call('POST', '/api/v2/tasks/autoAssign', {
        as: courier.apiKey,
        body: { tasks: ids, options: { mode: 'distance', excludedWorkerIds: [a.workerId], maxAssignedTaskCount: 4 } },
      });
      expect(res.status).toBe(200);
      expect(res.body.assignedTasksCount).toBe(4);
      expect(new Set(Object.values(res.body.assignedTasks))).toEqual(new Set([b.workerId]));
      // the third order stays unassigned as a whole
      const left = orders.find((o) => !(o.pickup in res.body.assignedTasks))!;
      expect((await task(left.pickup)).state).toBe(0);
      expect((await task(left.dropoff)).state).toBe(0);
    });

    it('refuses unknown tasks, other organizations’ tasks and malformed bodies, changing nothing', async () => {
      await reset();
      await driverAt('Dee', at(-122.40, 37.79));
      const o = await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78));
      const unknown = await t.call('POST', '/api/v2/tasks/autoAssign', { as: courier.apiKey, body: { tasks: [o.pickup, 'x'.repeat(24)], options: { mode: 'distance' } } });
      expect(unknown.status).toBe(404);
      expect(unknown.body.message.error).toBe(1003);
      expect((await task(o.pickup)).state).toBe(0);

      const other = await signUpCourier(t, 'Other Couriers');
      const theirs = await t.call('POST', '/api/v2/tasks/autoAssign', { as: other.apiKey, body: { tasks: [o.pickup], options: { mode: 'distance' } } });
      expect(theirs.status).toBe(404);
      expect((await task(o.pickup)).state).toBe(0);

      for (const body of [{ tasks: [o.pickup] }, { tasks: [o.pickup], options: { mode: 'fastest' } }, { tasks: [], options: { mode: 'load' } }, { tasks: ['nope'], options: { mode: 'load' } }]) {
        const r = await t.call('POST', '/api/v2/tasks/autoAssign', { as: courier.apiKey, body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.code).toBe('InvalidContent');
      }
      expect((await t.call('POST', '/api/v2/tasks/autoAssign', { as: shop.apiKey, body: { tasks: [o.pickup], options: { mode: 'load' } } })).status).toBe(403);
      expect((await task(o.pickup)).state).toBe(0);
    });
  });

  describe('POST /teams/:id/dispatch', () => {
    const HOUR = 3_600_000;

    async function runDispatch(body: Record<string, unknown>, as: Creds = courier.apiKey, teamId = team) {
      const res = await t.call('POST', `/api/v2/teams/${teamId}/dispatch`, { as, body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.status).toBe('pending');
      await t.app.ctx.jobs.drain();
      const d = await t.call('GET', `/api/v2/dispatches/${res.body.dispatchId}`, { as: courier.apiKey });
      expect(d.status).toBe(200);
      return d.body;
    }

    /** Checks a route against the task data: windows, pickup before dropoff on the same route, capacity. */
    async function checkRoutes(result: any, capacity: Record<string, number>) {
      const seen = new Map<string, { route: number; pos: number }>();
      result.routes.forEach((r: any, ri: number) => r.tasks.forEach((s: any, pos: number) => seen.set(s.id, { route: ri, pos })));
      for (const [ri, r] of result.routes.entries()) {
        let load = 0;
        let prev = 0;
        for (const s of r.tasks) {
          const full = await task(s.id);
          expect(s.arrival).toBeGreaterThanOrEqual(prev);
          prev = s.arrival;
          if (full.completeAfter) expect(s.arrival).toBeGreaterThanOrEqual(full.completeAfter);
          if (full.completeBefore) expect(s.arrival + 60_000 * (full.serviceTime || 2)).toBeLessThanOrEqual(full.completeBefore);
          if (full.pickupTask) load += full.quantity;
          else if (full.dependencies.length) {
            const p = seen.get(full.dependencies[0]);
            expect(p?.route, 'pickup on the same route').toBe(ri);
            expect(p!.pos).toBeLessThan(r.tasks.indexOf(s));
            load -= full.quantity;
          }
          if (capacity[r.worker]) expect(load).toBeLessThanOrEqual(capacity[r.worker]);
        }
      }
    }

    it('previews feasible routes (windows, capacity, pickup first on the same driver), reports progress, then applies them in route order', async () => {
      await reset();
      const now = Date.now();
      const a = await driverAt('Route Ria', at(-122.40, 37.79), { capacity: 2 });
      const b = await driverAt('Route Rob', at(-122.45, 37.76), { capacity: 2 });
      const orders = [
        await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78), { before: now + 2 * HOUR }),
        await placeOrder(at(-122.402, 37.788), at(-122.42, 37.77), { after: now + 30 * 60_000, before: now + 3 * HOUR }),
        await placeOrder(at(-122.451, 37.761), at(-122.46, 37.75), { quantity: 2 }),
        await placeOrder(at(-122.449, 37.759), at(-122.44, 37.77)),
      ];
      const d = await runDispatch({ preview: true, timeLimitSeconds: 2, maxTasksPerRoute: 20, serviceTime: 3 });
      expect(d.status).toBe('completed');
      expect(d.preview).toBe(true);
      expect(d.progress).toMatchObject({ fraction: expect.any(Number), vehicles: expect.any(Number) });
      expect(d.result.unassigned).toEqual([]);
      expect(d.result.drivers).toBe(2);
      expect(d.result.routes.flatMap((r: any) => r.tasks.map((s: any) => s.id)).sort()).toEqual(orders.flatMap((o) => [o.pickup, o.dropoff]).sort());
      expect(d.result.metric).toContain('straight line');
      for (const r of d.result.routes) {
        expect(r.end).toEqual(HUB);
        expect(r.distance).toBeGreaterThan(0);
      }
      await checkRoutes(d.result, { [a.workerId]: 2, [b.workerId]: 2 });
      // a preview assigns nothing
      for (const o of orders) expect((await task(o.pickup)).state).toBe(0);
      // the completion was announced
      const ev = await t.app.ctx.db.selectFrom('events').selectAll().where('type', '=', 'dispatch.completed').where('subject_id', '=', d.id).execute();
      expect(ev).toHaveLength(1);
      expect(JSON.parse(ev[0].payload)).toMatchObject({ dispatch: { id: d.id, team, status: 'completed', unassigned: 0 } });

      const applied = await t.call('POST', `/api/v2/dispatches/${d.id}/apply`, { as: courier.apiKey });
      expect(applied.status, JSON.stringify(applied.body)).toBe(200);
      expect(applied.body.status).toBe('applied');
      expect(applied.body.result.applied).toMatchObject({ assignedTasksCount: 8, skipped: [] });
      for (const r of d.result.routes) {
        const w = (await t.call('GET', `/api/v2/workers/${r.worker}`, { as: courier.apiKey })).body;
        expect(w.tasks).toEqual(r.tasks.map((s: any) => s.id));
      }
      expect((await t.call('POST', `/api/v2/dispatches/${d.id}/apply`, { as: courier.apiKey })).status).toBe(409);
      expect((await t.call('DELETE', `/api/v2/dispatches/${d.id}`, { as: courier.apiKey })).status).toBe(409);
    });

    it('keeps existing assignments and started tasks, planning new tasks after them; applies at once without preview', async () => {
      await reset();
      const a = await driverAt('Busy Bea', at(-122.40, 37.79));
      const kept = await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78));
      expect((await t.call('PUT', `/api/v2/containers/workers/${a.workerId}`, { as: courier.apiKey, body: { tasks: [kept.pickup, kept.dropoff] } })).status).toBe(200);
      expect((await t.call('POST', `/api/v2/tasks/${kept.pickup}/start`, { as: a.as })).status).toBe(200);
      const fresh = await placeOrder(at(-122.405, 37.785), at(-122.42, 37.77));
      const d = await runDispatch({ timeLimitSeconds: 1, routeEnd: null });
      expect(d.status).toBe('applied');
      expect(d.result.routes).toHaveLength(1);
      expect(d.result.routes[0].keptTasks).toEqual([kept.pickup, kept.dropoff]);
      expect(d.result.routes[0].end).toBeNull();
      const w = (await t.call('GET', `/api/v2/workers/${a.workerId}`, { as: courier.apiKey })).body;
      expect(w.tasks).toEqual([kept.pickup, kept.dropoff, fresh.pickup, fresh.dropoff]);
      expect((await task(kept.pickup)).state).toBe(2);
      const ev = await t.app.ctx.db.selectFrom('events').select('payload').where('type', '=', 'dispatch.completed').where('subject_id', '=', d.id).executeTakeFirstOrThrow();
      expect(JSON.parse(ev.payload).dispatch).toMatchObject({ status: 'applied', assignedTasksCount: 2 });
    });

    it('says why nothing was planned when no driver is on duty, and a discarded preview cannot be applied', async () => {
      await reset();
      const o = await placeOrder(at(-122.401, 37.789), at(-122.41, 37.78));
      const d = await runDispatch({ preview: true, timeLimitSeconds: 1 });
      expect(d.status).toBe('completed');
      expect(d.result.routes).toEqual([]);
      expect(d.result.drivers).toBe(0);
      expect(d.result.unassigned.map((u: any) => u.id).sort()).toEqual([o.pickup, o.dropoff].sort());
      expect(d.result.unassigned[0].reason).toMatch(/on-duty driver/);
      expect((await t.call('DELETE', `/api/v2/dispatches/${d.id}`, { as: courier.apiKey })).status).toBe(200);
      expect((await t.call('GET', `/api/v2/dispatches/${d.id}`, { as: courier.apiKey })).body.status).toBe('discarded');
      expect((await t.call('POST', `/api/v2/dispatches/${d.id}/apply`, { as: courier.apiKey })).status).toBe(409);
    });

    it('refuses bad parameters and other tenants', async () => {
      for (const body of [{ maxTasksPerRoute: 0 }, { maxTasksPerRoute: 201 }, { routeEnd: 'somewhere' }, { taskTimeWindow: [100, 50] }, { scheduleTimeWindow: [1, 2, 3] }, { timeLimitSeconds: 0 }]) {
        const r = await t.call('POST', `/api/v2/teams/${team}/dispatch`, { as: courier.apiKey, body });
        expect(r.status, JSON.stringify(body)).toBe(400);
      }
      const noHub = await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'No Hub' } });
      expect((await t.call('POST', `/api/v2/teams/${noHub.body.id}/dispatch`, { as: courier.apiKey, body: { routeEnd: 'teams://DEFAULT' } })).status).toBe(400);

      const other = await signUpCourier(t, 'Rival Couriers');
      expect((await t.call('POST', `/api/v2/teams/${team}/dispatch`, { as: other.apiKey, body: {} })).status).toBe(404);
      const mine = await t.call('POST', `/api/v2/teams/${team}/dispatch`, { as: courier.apiKey, body: { preview: true, timeLimitSeconds: 1 } });
      await t.app.ctx.jobs.drain();
      for (const [method, url] of [
        ['GET', `/api/v2/dispatches/${mine.body.id}`],
        ['POST', `/api/v2/dispatches/${mine.body.id}/apply`],
        ['DELETE', `/api/v2/dispatches/${mine.body.id}`],
      ] as const) {
        expect((await t.call(method, url, { as: other.apiKey })).status).toBe(404);
        expect((await t.call(method, url, { as: shop.apiKey })).status).toBe(403);
      }
      expect((await t.call('GET', `/api/v2/dispatches/${mine.body.id}`, { as: courier.apiKey })).body.status).toBe('completed');
    });
  });
});
