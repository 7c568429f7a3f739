import Onfleet from '@onfleet/node-onfleet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startWebhookReceiver } from '../helpers/webhooks.ts';
import { signedInDriver } from '../helpers/world.ts';

/**
 * Onfleet's own SDK (@onfleet/node-onfleet), pointed at a running Baton: what an existing Onfleet
 * integration does, unchanged. docs/onfleet-compatibility.md lists every SDK method.
 */
const ds = await dialects();

const address = (n: number) => ({ address: { number: String(n), street: 'Market Street', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'United States' }, location: [-122.4 - n / 1000, 37.78] });

describe.each(ds)('Onfleet SDK against Baton (%s)', (dialect) => {
  let t: TestApp;
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let onfleet: any;
  let courier: Awaited<ReturnType<typeof signUpCourier>>;
  let base: string;

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    // Rate limits stay on: the SDK paces itself by Baton's X-RateLimit-Remaining header.
    t = await createTestApp(dialect, { ALLOW_PRIVATE_WEBHOOK_TARGETS: '1' });
    courier = await signUpCourier(t, 'SDK Couriers');
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    onfleet = new Onfleet((courier.apiKey as { apiKey: string }).apiKey, 20_000, null, base);
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
  });

  it('verifies its key, and refuses a wrong one', async () => {
    expect(await onfleet.verifyKey()).toBe(true);
    expect(await new Onfleet('not-a-real-key-at-all', 5000, null, base).verifyKey()).toBe(false);
  });

  it('reads the organization', async () => {
    const org = await onfleet.organization.get();
    expect(org).toMatchObject({ id: courier.organizationId, name: 'SDK Couriers' });
  });

  it('manages admins', async () => {
    const created = await onfleet.administrators.create({ name: 'SDK Dispatcher', email: `sdk.dispatcher.${Date.now()}@example.test`, type: 'standard' });
    expect(created).toMatchObject({ name: 'SDK Dispatcher', type: 'standard', organization: courier.organizationId });
    const list = await onfleet.administrators.get();
    expect(list.map((a: { id: string }) => a.id)).toContain(created.id);
    expect(await onfleet.administrators.update(created.id, { name: 'SDK Dispatcher Two' })).toMatchObject({ name: 'SDK Dispatcher Two' });
    expect(await onfleet.administrators.deleteOne(created.id)).toBe(200);
    expect((await onfleet.administrators.get()).map((a: { id: string }) => a.id)).not.toContain(created.id);
  });

  it('manages teams and workers, and reads their containers and tasks', async () => {
    const team = await onfleet.teams.create({ name: 'SDK Team' });
    expect(team).toMatchObject({ name: 'SDK Team', workers: [] });
    expect((await onfleet.teams.get()).map((x: { id: string }) => x.id)).toContain(team.id);
    expect(await onfleet.teams.get(team.id)).toMatchObject({ id: team.id, name: 'SDK Team' });
    expect(await onfleet.teams.update(team.id, { name: 'SDK Team Renamed' })).toMatchObject({ name: 'SDK Team Renamed' });

    const worker = await onfleet.workers.create({ name: 'SDK Driver', phone: '+14155550142', teams: [team.id], vehicle: { type: 'CAR', description: 'Blue hatchback', licensePlate: 'SDK123', color: 'blue' } });
    expect(worker).toMatchObject({ name: 'SDK Driver', phone: '+14155550142', teams: [team.id], vehicle: { type: 'CAR' } });
    expect((await onfleet.workers.get()).map((w: { id: string }) => w.id)).toContain(worker.id);
    expect(await onfleet.workers.get(worker.id)).toMatchObject({ id: worker.id, onDuty: false });
    expect(await onfleet.workers.update(worker.id, { name: 'SDK Driver Renamed', capacity: 4 })).toMatchObject({ name: 'SDK Driver Renamed', capacity: 4 });

    const task = await onfleet.tasks.create({ destination: address(1), recipients: [{ name: 'SDK Recipient', phone: '+14155550143' }], container: { type: 'WORKER', worker: worker.id } });
    expect(task).toMatchObject({ state: 1, worker: worker.id });
    const workerContainer = await onfleet.containers.get(worker.id, 'workers');
    expect(workerContainer).toMatchObject({ type: 'WORKER', worker: worker.id, tasks: [task.id] });
    expect(await onfleet.containers.get(team.id, 'teams')).toMatchObject({ type: 'TEAM', team: team.id });
    expect(await onfleet.containers.get(courier.organizationId, 'organizations')).toMatchObject({ type: 'ORGANIZATION' });
    const workerTasks = await onfleet.workers.getTasks(worker.id);
    expect(workerTasks.tasks.map((x: { id: string }) => x.id)).toEqual([task.id]);

    // a second task appended to the worker's list through the SDK's container call
    const second = await onfleet.tasks.create({ destination: address(2) });
    const updated = await onfleet.workers.insertTask(worker.id, { tasks: [task.id, second.id] });
    expect(updated.tasks).toEqual([task.id, second.id]);

    // a team with a driver cannot be deleted; an empty one can
    await expect(onfleet.teams.deleteOne(team.id)).rejects.toThrow();
    expect((await t.call('DELETE', `/api/v2/teams/${team.id}`, { as: courier.apiKey })).status).toBe(409);
    expect(await onfleet.tasks.deleteOne(task.id)).toBe(200);
    expect(await onfleet.tasks.deleteOne(second.id)).toBe(200);
    expect(await onfleet.workers.deleteOne(worker.id)).toBe(200);
    expect(await onfleet.teams.deleteOne(team.id)).toBe(200);
  });

  it('creates, reads, lists, updates, clones, batch-creates and deletes tasks', async () => {
    const created = await onfleet.tasks.create({ destination: address(3), recipients: [{ name: 'Ann Example', phone: '+14155550144', notes: 'Ring twice' }], notes: 'Fragile', completeAfter: Date.now() + 3_600_000, completeBefore: Date.now() + 7_200_000, quantity: 2 });
    expect(created.id).toMatch(/^[A-Za-z0-9~*]{24}$/);
    expect(created.shortId).toMatch(/^[0-9a-f]{8}$/);
    expect(created).toMatchObject({ state: 0, notes: 'Fragile', quantity: 2, recipients: [{ name: 'Ann Example', phone: '+14155550144' }] });

    expect(await onfleet.tasks.get(created.id)).toMatchObject({ id: created.id });
    expect(await onfleet.tasks.get(created.shortId, 'shortId')).toMatchObject({ id: created.id });
    expect(await onfleet.tasks.update(created.id, { notes: 'Very fragile' })).toMatchObject({ notes: 'Very fragile' });
    const clone = await onfleet.tasks.clone(created.id);
    expect(clone.id).not.toBe(created.id);
    expect(clone).toMatchObject({ notes: 'Very fragile', state: 0 });

    const batch = await onfleet.tasks.batchCreate({ tasks: [{ destination: address(4) }, { destination: address(5) }, { notes: 'no destination' }] });
    expect(batch.tasks).toHaveLength(2);
    expect(batch.errors).toHaveLength(1);

    // paging through /tasks/all with lastId, as integrations do
    for (let i = 0; i < 66; i++) await onfleet.tasks.create({ destination: address(10 + i) });
    const from = Date.now() - 3_600_000;
    const seen: string[] = [];
    let page = await onfleet.tasks.get({ from });
    for (;;) {
      seen.push(...page.tasks.map((x: { id: string }) => x.id));
      expect(page.tasks.length).toBeLessThanOrEqual(64);
      if (!page.lastId) break;
      page = await onfleet.tasks.get({ from, lastId: page.lastId });
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of [created.id, clone.id, ...batch.tasks.map((x: { id: string }) => x.id)]) expect(seen).toContain(id);
    expect(seen.length).toBeGreaterThanOrEqual(70);

    // force-completing a task that is not under way is refused with Onfleet's error shape
    // (SDK 1.4.0 turns every API error into a TypeError — see docs/onfleet-compatibility.md — so the
    // refusal itself is checked over plain HTTP.)
    await expect(onfleet.tasks.forceComplete(created.id, { completionDetails: { success: true } })).rejects.toThrow();
    const refused = await t.call('POST', `/api/v2/tasks/${created.id}/complete`, { as: courier.apiKey, body: { completionDetails: { success: true } } });
    expect(refused.body).toMatchObject({ code: 'InvalidContent', message: { error: 1005 } });
    expect(await onfleet.tasks.deleteOne(created.id)).toBe(200);
    await expect(onfleet.tasks.get(created.id)).rejects.toThrow();

    // a task under way is force-completed through the SDK
    const team = await onfleet.teams.create({ name: 'SDK Completion Team' });
    const driver = await signedInDriver(t, courier, team.id, 'SDK Completer');
    const active = await onfleet.tasks.create({ destination: address(90), container: { type: 'WORKER', worker: driver.workerId } });
    expect((await t.call('POST', `/api/v2/tasks/${active.id}/start`, { as: driver.as })).status).toBe(200);
    await onfleet.tasks.forceComplete(active.id, { completionDetails: { success: true, notes: 'Completed through the SDK' } });
    expect(await onfleet.tasks.get(active.id)).toMatchObject({ state: 3, completionDetails: { success: true, notes: 'Completed through the SDK' } });
    expect((await t.call('GET', `/api/v2/tasks/${created.id}`, { as: courier.apiKey })).status).toBe(404);
  });

  it('registers, lists and deletes webhooks (with the check handshake)', async () => {
    const hook = await onfleet.webhooks.create({ url: rx.url('/sdk'), name: 'SDK hook', trigger: 3 });
    expect(hook).toMatchObject({ url: rx.url('/sdk'), name: 'SDK hook', trigger: 3, isEnabled: true });
    expect((await onfleet.webhooks.get()).map((w: { id: string }) => w.id)).toContain(hook.id);
    rx.answerChecks('wrong');
    await expect(onfleet.webhooks.create({ url: rx.url('/sdk-bad'), name: 'Bad', trigger: 3 })).rejects.toThrow();
    expect((await onfleet.webhooks.get()).map((w: { name: string }) => w.name)).toEqual(['SDK hook']);
    rx.answerChecks('echo');
    expect(await onfleet.webhooks.deleteOne(hook.id)).toBe(200);
  });
});
