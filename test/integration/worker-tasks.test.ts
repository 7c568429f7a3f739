import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { signedInDriver, type Courier } from '../helpers/world.ts';

const ds = await dialects();

describe.each(ds)("a driver's tasks (%s)", (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let teamId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t);
    teamId = (await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Night' } })).body.id;
  });
  afterAll(() => t.close());

  const task = async (container?: object) =>
    (await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '1 Main St' } }, ...(container ? { container } : {}) } })).body;

  it("lists open tasks on the worker and the team, and one active task at a time", async () => {
    const d = await signedInDriver(t, courier, teamId);
    const a = await task();
    const b = await task();
    await t.call('PUT', `/api/v2/containers/workers/${d.workerId}`, { as: courier.apiKey, body: { tasks: [a.id, b.id] } });
    const queued = await task({ type: 'TEAM', team: teamId });
    expect((await t.call('GET', `/api/v2/teams/${teamId}`, { as: courier.apiKey })).body.tasks).toEqual([queued.id]);
    expect((await t.call('POST', `/api/v2/tasks/${a.id}/start`, { as: d.as })).status).toBe(200);
    const w = (await t.call('GET', `/api/v2/workers/${d.workerId}`, { as: courier.apiKey })).body;
    expect(w.activeTask).toBe(a.id);
    expect(w.tasks).toEqual([a.id, b.id]);
    const second = await t.call('POST', `/api/v2/tasks/${b.id}/start`, { as: d.as });
    expect(second.status).toBe(409);
    expect(second.body.message.message).toMatch(/active task/);
  });

  it('refuses to delete a driver with an active task, and returns assigned tasks to the organization', async () => {
    const d = await signedInDriver(t, courier, teamId, 'Leaving Driver');
    const a = await task();
    const b = await task();
    await t.call('PUT', `/api/v2/containers/workers/${d.workerId}`, { as: courier.apiKey, body: { tasks: [a.id, b.id] } });
    await t.call('POST', `/api/v2/tasks/${a.id}/start`, { as: d.as });
    const refused = await t.call('DELETE', `/api/v2/workers/${d.workerId}`, { as: courier.apiKey });
    expect(refused.status).toBe(409);
    await t.call('POST', `/api/v2/tasks/${a.id}/complete`, { as: courier.apiKey, body: { completionDetails: { success: true } } });
    expect((await t.call('DELETE', `/api/v2/workers/${d.workerId}`, { as: courier.apiKey })).status).toBe(200);
    const back = (await t.call('GET', `/api/v2/tasks/${b.id}`, { as: courier.apiKey })).body;
    expect(back).toMatchObject({ state: 0, worker: null, container: { type: 'ORGANIZATION', organization: courier.organizationId } });
    expect((await t.call('GET', `/api/v2/tasks/${a.id}`, { as: courier.apiKey })).body.state).toBe(3);
  });
});

describe.each(ds)('driver-facing changes (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let teamId: string;
  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t);
    teamId = (await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Day' } })).body.id;
  });
  afterAll(() => t.close());

  it('tells the driver a task left its list, and lets it read its own tasks', async () => {
    const d = await signedInDriver(t, courier, teamId);
    const mk = async () => (await t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed: '2 Main St' } } } })).body;
    const a = await mk();
    const b = await mk();
    await t.call('PUT', `/api/v2/containers/workers/${d.workerId}`, { as: courier.apiKey, body: { tasks: [a.id, b.id] } });
    await t.call('PUT', `/api/v2/containers/workers/${d.workerId}`, { as: courier.apiKey, body: { tasks: [a.id] } });
    const events = await t.app.ctx.db.selectFrom('events').select(['type', 'subject_id', 'worker_id']).where('worker_id', '=', d.workerId).execute();
    expect(events).toContainEqual({ type: 'task.unassigned', subject_id: b.id, worker_id: d.workerId });
    expect(events.filter((e) => e.type === 'worker.route').length).toBeGreaterThanOrEqual(2);
    expect((await t.call('GET', `/api/v2/tasks/${a.id}`, { as: d.as })).status).toBe(200);
    expect((await t.call('GET', `/api/v2/tasks/${b.id}`, { as: d.as })).status).toBe(404);
  });

  it('answers a wrong password on account changes with 400 at the field, keeping the session', async () => {
    const res = await t.call('POST', '/api/v2/account/password', { as: courier.session, body: { currentPassword: 'not it at all', newPassword: 'a brand new password' } });
    expect(res.status).toBe(400);
    expect(res.body.message.cause).toEqual({ field: 'currentPassword' });
    expect((await t.call('GET', '/api/v2/session', { as: courier.session })).status).toBe(200);
  });

  it('names the task in errors about an order’s address and time window', async () => {
    const client = await (await import('../helpers/world.ts')).acceptedClient(t, courier, 'Field Shop');
    const { order } = await import('../helpers/world.ts');
    const body = order(1);
    body.dropoffTask.destination.address = { unparsed: '' } as never;
    const res = await t.call('POST', '/api/v2/taskOrders', { as: client.apiKey, body });
    expect(res.status).toBe(400);
    expect(res.body.message.cause.field).toBe('dropoffTask.destination.address');
  });
});
