import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paths } from '../src/shared/paths.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';

const STEP_TIMEOUT = 60_000;
const hasBrowser = browserAvailable();
const courier = { organizationName: 'Import Couriers', name: 'Ivo Owner', email: 'ivo@import.example', password: 'correct horse battery staple', country: 'US', timezone: 'America/Los_Angeles' };
const CSV = [
  'reference;pickup_address;dropoff_address;recipient_name;recipient_email;quantity',
  'R-1;1 Oven St;10 Main St;Ann Lee;ann@example.test;2',
  'R-2;1 Oven St;11 Main St;Bob Ray;;1',
  'R-3;1 Oven St;;Cy Dee;;1',
  'R-1;1 Oven St;10 Main St;Ann Lee;ann@example.test;2',
].join('\n');

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`CSV order import in the browser (${backend})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    let clientCookie = '';

    beforeAll(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
      context = await browser.newContext({ baseURL: server.url, viewport: { width: 1400, height: 1000 } });
      context.setDefaultTimeout(15_000);
      await context.route((url) => url.origin !== server.url, (route) => route.abort());
      page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));

      const json = { 'content-type': 'application/json' };
      const setup = await fetch(`${server.url}/api/v2/setup`, { method: 'POST', headers: json, body: JSON.stringify(courier) });
      const courierCookie = /baton_session=([^;]+)/.exec(setup.headers.getSetCookie().join(';'))![1];
      const asCourier = { ...json, cookie: `baton_session=${courierCookie}`, origin: server.url };
      const client = await (await fetch(`${server.url}/api/v2/clients`, { method: 'POST', headers: asCourier, body: JSON.stringify({ name: 'Crumb Bakery', email: 'orders@crumb.example' }) })).json();
      await fetch(`${server.url}/api/v2/clients/${client.id}/invite`, { method: 'POST', headers: { cookie: asCourier.cookie, origin: server.url } });
      await server.app.ctx.messages.flush();
      const mail = await server.app.ctx.db.selectFrom('messages').select(['body_text']).where('to_address', '=', 'orders@crumb.example').execute();
      const token = decodeURIComponent(mail.map((m) => /\/invite\/(\S+)/.exec(m.body_text)?.[1]).find(Boolean)!);
      const accepted = await fetch(`${server.url}/api/v2/invitations/${encodeURIComponent(token)}/accept`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Cora Crumb', password: 'client password 123' }) });
      expect(accepted.status).toBe(201);
      clientCookie = /baton_session=([^;]+)/.exec(accepted.headers.getSetCookie().join(';'))![1];
      await context.addCookies([{ name: 'baton_session', value: clientCookie, url: server.url }]);
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test(
      'the client checks a CSV row by row and imports it in the background; the same file again creates nothing',
      async () => {
        await page.goto(paths.portalOrders());
        await page.getByRole('link', { name: 'Import CSV' }).click();
        await page.getByRole('heading', { name: 'Import orders' }).waitFor();
        await page.getByRole('tab', { name: 'Paste CSV text' }).click();
        await page.getByRole('textbox', { name: 'CSV text' }).fill(CSV);
        const rows = page.getByRole('table', { name: 'Rows of the file' });
        await rows.getByText('Same as line 2').waitFor();
        await rows.getByText(/Delivery address is missing/).waitFor();
        await page.getByRole('button', { name: 'Import 2 orders' }).click();
        await page.getByRole('heading', { name: 'Import finished with errors' }).waitFor({ timeout: 30_000 });
        await page.getByText('2 created').waitFor();
        const results = page.getByRole('table', { name: 'What became of each row' });
        expect(await results.getByText('Created', { exact: true }).count()).toBe(2);
        const count = Number((await server.app.ctx.db.selectFrom('orders').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow()).n);
        expect(count).toBe(2);

        await page.getByRole('button', { name: 'Import another file' }).click();
        await page.getByRole('tab', { name: 'Paste CSV text' }).click();
        await page.getByRole('textbox', { name: 'CSV text' }).fill(CSV);
        await rows.getByText(/Already imported as order/).first().waitFor();
        expect(await rows.getByText(/Already imported as order/).count()).toBe(3);
        expect(await page.getByRole('button', { name: /^Import \d+ order/ }).isDisabled()).toBe(true);

        await page.goto(paths.portalOrders());
        await page.getByRole('cell', { name: 'Ann Lee' }).first().waitFor();
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
