import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, type Courier } from '../helpers/world.ts';

const ds = await dialects();

function ok(res: Res, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  return res.body;
}

const HEADER = 'Reference,Pickup Address,Pickup Phone,Dropoff Address,Recipient Name,Recipient Phone,Dropoff Before,Quantity,Colour,Recipient Email';
const CSV = [
  HEADER,
  'A-100,1 Bakery Row,+14155550101,10 Main St,Ann Lee,+14155550111,2030-01-01T12:00:00Z,2,red,ann@example.test',
  'A-101,1 Bakery Row,,"11 Main St, Apt 2",Bob Ray,,,1,blue',
  'A-102,1 Bakery Row,,,Cy Dee,,,1,green', // no dropoff address
  'A-103,1 Bakery Row,,12 Main St,Di Eve,not a phone,,1,', // bad phone
  'A-104,1 Bakery Row,,13 Main St,Ed Fox,,tomorrow-ish,1,', // bad time
  'A-100,1 Bakery Row,+14155550101,10 Main St,Ann Lee,+14155550111,2030-01-01T12:00:00Z,2,red,ann@example.test', // repeated in the file
  ',1 Bakery Row,,14 Main St,Flo Gil,,,3,', // no reference: keyed by its content
].join('\n');

describe.each(ds)('bulk: async task batches and CSV order imports (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let shop: Awaited<ReturnType<typeof acceptedClient>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Bulk Couriers');
    shop = await acceptedClient(t, courier, 'Bulk Bakery');
  });
  afterAll(() => t?.close());

  const orderCount = async () => Number((await t.app.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);

  it('creates tasks in the background (batch-async) with per-item errors and progress', async () => {
    const tasks = [...Array.from({ length: 30 }, (_, i) => ({ destination: { address: { unparsed: `${i} Async Street` } } })), { notes: 'no destination' }];
    const started = ok(await t.call('POST', '/api/v2/tasks/batch-async', { as: courier.apiKey, body: { tasks } }), 'batch-async');
    expect(started).toEqual({ status: 'pending', jobId: expect.stringMatching(/^[A-Za-z0-9~*]{24}$/) });
    const pending = ok(await t.call('GET', `/api/v2/tasks/batch/${started.jobId}`, { as: courier.apiKey }), 'status');
    expect(pending).toMatchObject({ status: 'pending', tasksReceived: 31, tasksCreated: 0 });
    await t.app.ctx.jobs.drain();
    const done = ok(await t.call('GET', `/api/v2/tasks/batch/${started.jobId}`, { as: courier.apiKey }), 'status');
    expect(done).toMatchObject({ status: 'completedWithErrors', tasksReceived: 31, tasksProcessed: 31, tasksCreated: 30, tasksErrored: 1 });
    expect(done.newTasks).toHaveLength(30);
    expect(done.failedTasks).toEqual([{ notes: 'no destination' }]);
    expect(done.errors[0]).toMatchObject({ statusCode: 400, errorCode: 1000, taskData: { notes: 'no destination' } });
    const task = ok(await t.call('GET', `/api/v2/tasks/${done.newTasks[0].id}`, { as: courier.apiKey }), 'task');
    expect(task.destination.address.unparsed).toMatch(/Async Street/);
    // other organizations cannot see the job; clients cannot start one
    const other = await signUpCourier(t, 'Other Bulk Couriers');
    expect((await t.call('GET', `/api/v2/tasks/batch/${started.jobId}`, { as: other.apiKey })).status).toBe(404);
    expect((await t.call('POST', '/api/v2/tasks/batch-async', { as: shop.apiKey, body: { tasks } })).status).toBe(403);
    expect((await t.call('POST', '/api/v2/tasks/batch-async', { as: courier.apiKey, body: { tasks: Array.from({ length: 501 }, () => ({})) } })).status).toBe(400);
  });

  it('previews a CSV of orders row by row, creating nothing', async () => {
    const before = await orderCount();
    const preview = ok(await t.call('POST', '/api/v2/taskOrders/import/preview', { as: shop.session, body: { csv: CSV } }), 'preview');
    expect(await orderCount()).toBe(before);
    expect(preview.columns.ignored).toEqual(['Colour']);
    expect(preview.columns.used).toContain('recipient_email');
    expect(preview.summary).toEqual({ total: 7, ready: 3, invalid: 3, duplicate: 1 });
    const byLine = new Map(preview.rows.map((r: { line: number }) => [r.line, r]));
    expect(byLine.get(2)).toMatchObject({ status: 'ready', reference: 'A-100', dropoff: '10 Main St', recipient: 'Ann Lee', problems: [] });
    expect(byLine.get(4)).toMatchObject({ status: 'invalid', problems: [{ field: 'dropoff_address' }] });
    expect((byLine.get(5) as any).problems[0].message).toMatch(/phone/i);
    expect(byLine.get(6)).toMatchObject({ status: 'invalid', problems: [{ field: 'dropoff_before' }] });
    expect(byLine.get(7)).toMatchObject({ status: 'duplicate', duplicateOf: { line: 2 } });

    const broken = await t.call('POST', '/api/v2/taskOrders/import/preview', { as: shop.session, body: { csv: 'Pickup Address,Recipient Name\nx,y' } });
    expect(broken.status).toBe(400);
    expect(broken.body.message.message).toMatch(/dropoff_address/);
  });

  it('imports in the background with per-row results; running the same file again creates nothing new', async () => {
    const before = await orderCount();
    const started = ok(await t.call('POST', '/api/v2/taskOrders/import', { as: shop.apiKey, body: { csv: CSV } }), 'import');
    expect(started.total).toBe(7);
    await t.app.ctx.jobs.drain();
    const done = ok(await t.call('GET', `/api/v2/taskOrders/import/${started.jobId}`, { as: shop.apiKey }), 'status');
    expect(done).toMatchObject({ status: 'completedWithErrors', total: 7, processed: 7, created: 3, duplicates: 1, failed: 3 });
    expect(await orderCount()).toBe(before + 3);
    const created = done.rows.filter((r: { status: string }) => r.status === 'created');
    expect(created.map((r: { line: number }) => r.line)).toEqual([2, 3, 8]);
    const first = ok(await t.call('GET', `/api/v2/taskOrders/${created[0].orderShortId}`, { as: shop.apiKey }), 'order');
    expect(first).toMatchObject({ dropoffTask: { recipients: [{ name: 'Ann Lee', email: 'ann@example.test' }], quantity: 2 } });
    expect(first.metadata).toEqual([{ name: 'reference', type: 'string', value: 'A-100' }]);
    expect(done.rows.find((r: { line: number }) => r.line === 7)).toMatchObject({ status: 'duplicate', orderShortId: created[0].orderShortId });
    expect(done.rows.find((r: { line: number }) => r.line === 4).error).toMatch(/dropoff_address/);

    // the preview now knows these rows are in
    const again = ok(await t.call('POST', '/api/v2/taskOrders/import/preview', { as: shop.session, body: { csv: CSV } }), 'preview again');
    expect(again.summary).toMatchObject({ ready: 0, duplicate: 4 });
    const rerun = ok(await t.call('POST', '/api/v2/taskOrders/import', { as: shop.apiKey, body: { csv: CSV } }), 'rerun');
    await t.app.ctx.jobs.drain();
    const rerunDone = ok(await t.call('GET', `/api/v2/taskOrders/import/${rerun.jobId}`, { as: shop.apiKey }), 'rerun status');
    expect(rerunDone).toMatchObject({ created: 0, duplicates: 4, failed: 3 });
    expect(await orderCount()).toBe(before + 3);
  });

  it('lets the courier import for a client, and keeps each client’s imports apart', async () => {
    const other = await acceptedClient(t, courier, 'Other Bakery');
    const needsClient = await t.call('POST', '/api/v2/taskOrders/import', { as: courier.apiKey, body: { csv: CSV } });
    expect(needsClient.status).toBe(400);
    const started = ok(await t.call('POST', '/api/v2/taskOrders/import', { as: courier.apiKey, body: { csv: CSV, client: other.clientId } }), 'courier import');
    await t.app.ctx.jobs.drain();
    const done = ok(await t.call('GET', `/api/v2/taskOrders/import/${started.jobId}`, { as: courier.apiKey }), 'status');
    // the same rows were imported by Bulk Bakery, but these are Other Bakery's orders
    expect(done).toMatchObject({ created: 3, duplicates: 1, failed: 3 });
    const order = ok(await t.call('GET', `/api/v2/taskOrders/${done.rows[0].orderShortId}`, { as: other.apiKey }), 'order');
    expect(order.id).toBeTruthy();
    // a client cannot read another's import job
    expect((await t.call('GET', `/api/v2/taskOrders/import/${started.jobId}`, { as: shop.apiKey })).status).toBe(404);
  });
});
