import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/build-web.mjs';
import { paths } from '../src/shared/paths.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';
import { apiCaller } from './support/api.ts';

const STEP_TIMEOUT = 60_000;
const hasBrowser = browserAvailable();

const courier = {
  organizationName: 'Swift Couriers',
  name: 'Ada Owner',
  email: 'ada@swift.example',
  password: 'correct horse battery staple',
  country: 'US',
  timezone: 'America/Los_Angeles',
};
const client = { name: 'Corner Bakery', email: 'orders@bakery.example', adminName: 'Cora Baker', password: 'client password 123' };
const driver = { name: 'Bob Rider', phone: '+14155550123' };

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`client orders and dispatch in the browser (${backend})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let clientContext: BrowserContext;
    let courierContext: BrowserContext;
    let clientPage: Page;
    let courierPage: Page;
    const pageErrors: string[] = [];
    let apiKey = '';
    let workerId = '';
    let shortId = '';

    const call = apiCaller(() => server.url);
    const asCourier = () => ({ key: apiKey });

    async function signIn(page: Page, email: string, password: string, next: string) {
      await page.goto(`${paths.login()}?next=${encodeURIComponent(next)}`);
      await page.getByLabel('Email').fill(email);
      await page.getByLabel(/^Password/).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((url) => url.pathname === next);
    }

    beforeAll(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
      clientContext = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
      // Wide enough for the split view of table and map.
      courierContext = await browser.newContext({ baseURL: server.url, viewport: { width: 1600, height: 1000 } });
      for (const ctx of [clientContext, courierContext]) {
        ctx.setDefaultTimeout(15_000);
        // Nothing leaves the test machine (e.g. map tiles): only the Baton server answers.
        await ctx.route((url) => url.origin !== server.url, (route) => route.abort());
      }
      clientPage = await clientContext.newPage();
      courierPage = await courierContext.newPage();
      for (const page of [clientPage, courierPage]) page.on('pageerror', (err) => pageErrors.push(err.message));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test(
      'set up a courier with a team and a driver, and a client that accepted its invitation (API)',
      async () => {
        const setup = await call('POST', '/api/v2/setup', null, courier);
        expect(setup.status).toBe(201);
        const key = await call('POST', '/api/v2/apiKeys', { cookie: setup.cookie! }, { name: 'Test set-up' });
        expect(key.status).toBeLessThan(300);
        apiKey = key.body.key;

        const team = await call('POST', '/api/v2/teams', asCourier(), { name: 'Downtown' });
        expect(team.status).toBe(200);
        const worker = await call('POST', '/api/v2/workers', asCourier(), { ...driver, teams: [team.body.id] });
        expect(worker.status).toBe(200);
        workerId = worker.body.id;

        const created = await call('POST', '/api/v2/clients', asCourier(), { name: client.name, email: client.email });
        expect(created.status).toBe(201);
        expect((await call('POST', `/api/v2/clients/${created.body.id}/invite`, asCourier())).status).toBe(200);
        await server.app.ctx.messages.flush();
        const mail = await server.app.ctx.db.selectFrom('messages').select(['body_text']).where('to_address', '=', client.email).execute();
        const link = mail.map((m) => /https?:\/\/\S+\/invite\/(\S+)/.exec(m.body_text)?.[1]).find(Boolean);
        expect(link).toBeTruthy();
        const token = decodeURIComponent(link!);
        const accepted = await call('POST', `/api/v2/invitations/${encodeURIComponent(token)}/accept`, null, {
          name: client.adminName,
          password: client.password,
        });
        expect(accepted.status).toBe(201);
      },
      STEP_TIMEOUT,
    );

    test(
      'the client creates an order with the New order form; it is listed as Unassigned',
      async () => {
        const page = clientPage;
        await signIn(page, client.email, client.password, paths.portalOrders());
        await page.getByRole('heading', { name: 'No orders yet' }).waitFor();
        await page.getByRole('link', { name: 'New order' }).first().click();
        await page.waitForURL((url) => url.pathname === paths.portalNewOrder());

        // The browser checks the required fields first.
        await page.getByRole('button', { name: 'Create order' }).click();
        await page.getByText('Enter the pickup address.').waitFor();

        await page.getByLabel(/^Pickup address/).fill('1 Ferry Building, San Francisco, CA');
        await page.getByLabel(/^Pickup coordinates/).fill('37.7955, -122.3937');
        await page.getByLabel(/^Contact name/).fill('Shop Counter');
        await page.getByLabel(/^Contact phone/).fill('+14155550100');
        await page.getByLabel(/^Pickup notes/).fill('Two boxes at the counter');
        await page.getByLabel(/^Dropoff address/).fill('500 Castro St, San Francisco, CA');
        await page.getByLabel(/^Dropoff coordinates/).fill('37.7609, -122.4350');
        await page.getByLabel(/^Recipient name/).fill('Rita Recipient');
        // The server refuses this number; its message appears at the field.
        await page.getByLabel(/^Recipient phone/).fill('555-12');
        await page.getByLabel(/^Your reference/).fill('PO-1001');
        await page.getByRole('button', { name: 'Create order' }).click();
        await expect.poll(() => page.getByLabel(/^Recipient phone/).getAttribute('aria-invalid')).toBe('true');
        await page.getByText('is not a valid phone number', { exact: false }).first().waitFor();

        await page.getByLabel(/^Recipient phone/).fill('(415) 555-0199');
        await page.getByRole('button', { name: 'Create order' }).click();
        await page.waitForURL((url) => /^\/portal\/orders\/[0-9a-f]{8}$/.test(url.pathname));
        shortId = new URL(page.url()).pathname.split('/').pop()!;
        await page.getByRole('heading', { name: `Order ${shortId}` }).waitFor();

        await page.getByRole('link', { name: 'All orders' }).click();
        await page.waitForURL((url) => url.pathname === paths.portalOrders());
        const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Order ${shortId}` }) });
        await row.getByText('Unassigned', { exact: true }).waitFor();
        await row.getByText('Rita Recipient').waitFor();
        await row.getByText('PO-1001').waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'the courier sees the two linked tasks in Dispatch and assigns both to the driver',
      async () => {
        const page = courierPage;
        await signIn(page, courier.email, courier.password, paths.dispatch());
        await page.getByRole('heading', { name: 'Dispatch', exact: true }).waitFor();

        // The order's pickup and dropoff are listed together under the order.
        const head = page.getByRole('row').filter({ has: page.getByRole('link', { name: shortId, exact: true }) });
        await head.getByText(client.name).waitFor();
        await expect.poll(() => page.getByRole('button', { name: /^Open pickup / }).count()).toBe(1);
        await expect.poll(() => page.getByRole('button', { name: /^Open dropoff / }).count()).toBe(1);

        await page.getByRole('checkbox', { name: `Select the tasks of order ${shortId}` }).check();
        await page.getByText('2 tasks selected').waitFor();
        await page.getByRole('button', { name: 'Assign to…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Assign 2 tasks' });
        await dialog.getByRole('textbox', { name: 'Assign to' }).click();
        await page.getByRole('option', { name: new RegExp(driver.name) }).click();
        await dialog.getByRole('button', { name: 'Assign', exact: true }).click();
        await page.getByText(`2 tasks assigned to ${driver.name}.`).waitFor();
        await expect.poll(() => page.getByRole('cell', { name: driver.name, exact: true }).count()).toBe(2);

        // The pickup's details tell who created and who assigned it.
        await page.getByRole('button', { name: /^Open pickup / }).click();
        const activity = page.getByRole('region', { name: 'Activity' });
        await activity.getByText('created the task').waitFor();
        await activity.getByText(`assigned it to ${driver.name}`).waitFor();
        await page.getByRole('button', { name: 'Close the task' }).click();

        // The client's list follows, without reloading: status and driver both read "Assigned".
        const clientRow = clientPage.getByRole('row').filter({ has: clientPage.getByRole('link', { name: `Order ${shortId}` }) });
        await expect.poll(() => clientRow.getByText('Assigned', { exact: true }).count(), { timeout: 15_000 }).toBe(2);
      },
      STEP_TIMEOUT,
    );

    test(
      'the driver goes on duty and delivers; the client sees the order completed live, with the notes',
      async () => {
        const link = await call('POST', `/api/v2/workers/${workerId}/loginLink`, asCourier(), {});
        expect(link.status).toBe(200);
        const token = decodeURIComponent(new URL(link.body.url).pathname.split('/').pop()!);
        const session = await call('POST', '/api/v2/driver/session', null, { token });
        expect(session.status).toBe(200);
        const asDriver = { bearer: session.body.sessionToken as string };
        expect((await call('PUT', '/api/v2/driver/duty', asDriver, { onDuty: true })).status).toBe(200);
        expect((await call('POST', '/api/v2/driver/location', asDriver, { location: [-122.4075, 37.7880] })).status).toBe(200);

        // The driver appears on the dispatch map as it goes on duty (live).
        await courierPage.getByRole('button', { name: `Driver ${driver.name} (on duty)` }).waitFor();
        if (backend === backends()[0]) {
          const dismiss = courierPage.getByRole('button', { name: 'Dismiss notification' });
          for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) {
            await dismiss.first().click({ timeout: 2_000 }).catch(() => {});
            await courierPage.waitForTimeout(300);
          }
          await expect.poll(() => dismiss.count(), { timeout: 10_000 }).toBe(0);
          // the task drawer closed earlier may still be sliding out
          await courierPage.getByRole('dialog').waitFor({ state: 'hidden' });
          const file = path.join(repoRoot, 'docs/screenshots/dispatch.png');
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await courierPage.screenshot({ path: file });
        }

        // No reload on the client's page from here on: a marker on its window must survive.
        await clientPage.evaluate(() => Object.assign(window, { __stillHere: true }));

        const order = await call('GET', `/api/v2/taskOrders/${shortId}`, asCourier());
        const { pickupTask, dropoffTask } = order.body as { pickupTask: { id: string }; dropoffTask: { id: string } };
        for (const [task, notes] of [
          [pickupTask.id, 'Collected two boxes'],
          [dropoffTask.id, 'Left with the concierge'],
        ] as const) {
          expect((await call('POST', `/api/v2/tasks/${task}/start`, asDriver)).status).toBe(200);
          const done = await call('POST', `/api/v2/tasks/${task}/complete`, asDriver, { completionDetails: { success: true, notes } });
          expect(done.status).toBe(200);
        }

        const row = clientPage.getByRole('row').filter({ has: clientPage.getByRole('link', { name: `Order ${shortId}` }) });
        await row.getByText('Completed', { exact: true }).waitFor({ timeout: 15_000 });
        expect(await clientPage.evaluate(() => (window as unknown as { __stillHere?: boolean }).__stillHere)).toBe(true);

        await row.getByRole('link', { name: `Order ${shortId}` }).click();
        await clientPage.getByRole('heading', { name: `Order ${shortId}` }).waitFor();
        const dropoff = clientPage.getByRole('region', { name: 'Dropoff' });
        await dropoff.getByText('Left with the concierge').waitFor();
        await dropoff.getByText('Proof of delivery').waitFor();
        await clientPage.getByRole('region', { name: 'Pickup' }).getByText('Collected two boxes').waitFor();

        // Dispatch shows open tasks by default: the finished pair has left the list.
        await expect.poll(() => courierPage.getByRole('button', { name: /^Open (pickup|dropoff) / }).count(), { timeout: 15_000 }).toBe(0);
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
