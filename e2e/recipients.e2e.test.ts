import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { repoRoot } from '../scripts/build-web.mjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paths } from '../src/shared/paths.ts';
import { startSmsReceiver } from '../test/helpers/sms.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';
import { apiCaller } from './support/api.ts';

const STEP_TIMEOUT = 60_000;
const hasBrowser = browserAvailable();

const courier = { organizationName: 'Swift Couriers', name: 'Ada Owner', email: 'ada@swift.example', password: 'correct horse battery staple', country: 'US', timezone: 'America/Los_Angeles' };
const client = { name: 'Bright Bakes', email: 'orders@bright.example', adminName: 'Bea Baker', password: 'client password 123' };
const recipient = { name: 'Rosa Recipient', phone: '+14155550177' };
const BRAND = { hex: '#7b2cbf', rgb: 'rgb(123, 44, 191)', headline: 'Fresh bread is on its way' };

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`recipient notifications and the tracking page in the browser (${backend})`, () => {
    let server: RunningServer;
    let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
    let browser: Browser;
    let clientContext: BrowserContext;
    let phoneContext: BrowserContext;
    let clientPage: Page;
    let phonePage: Page;
    const pageErrors: string[] = [];
    let apiKey = '';
    let clientCookie = '';
    let driverToken = '';
    let order: any;
    let trackingLink = '';

    const call = apiCaller(() => server.url);
    const asCourier = () => ({ key: apiKey });

    /** A screenshot for the README, once notifications have gone. */
    async function shoot(page: Page, name: string) {
      const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
      for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) await dismiss.first().click({ timeout: 2_000 }).catch(() => {});
      const file = path.join(repoRoot, 'docs/screenshots', name);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file });
    }
    const asDriver = () => ({ bearer: driverToken });

    beforeAll(async () => {
      sms = await startSmsReceiver();
      server = await startServer(backend, sms.env());
      browser = await launchBrowser();
      clientContext = await browser.newContext({ baseURL: server.url, viewport: { width: 1400, height: 1000 } });
      // The recipient opens the link on a phone.
      phoneContext = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      for (const ctx of [clientContext, phoneContext]) {
        ctx.setDefaultTimeout(15_000);
        await ctx.route((url) => url.origin !== server.url, (route) => route.abort());
      }
      clientPage = await clientContext.newPage();
      phonePage = await phoneContext.newPage();
      for (const page of [clientPage, phonePage]) page.on('pageerror', (err) => pageErrors.push(err.message));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await sms?.close();
    });

    test(
      'set up a courier, a driver on duty and a client that accepted its invitation (API)',
      async () => {
        const setup = await call('POST', '/api/v2/setup', null, courier);
        expect(setup.status).toBe(201);
        apiKey = (await call('POST', '/api/v2/apiKeys', { cookie: setup.cookie! }, { name: 'Test set-up' })).body.key;
        const team = await call('POST', '/api/v2/teams', asCourier(), { name: 'Bakery run' });
        const worker = await call('POST', '/api/v2/workers', asCourier(), { name: 'Bob Rider', phone: '+14155550123', teams: [team.body.id] });
        expect(worker.status).toBe(200);
        const link = await call('POST', `/api/v2/workers/${worker.body.id}/loginLink`, asCourier(), {});
        const session = await call('POST', '/api/v2/driver/session', null, { token: decodeURIComponent(new URL(link.body.url).pathname.split('/').pop()!) });
        driverToken = session.body.sessionToken;
        expect((await call('PUT', '/api/v2/driver/duty', asDriver(), { onDuty: true })).status).toBe(200);

        const created = await call('POST', '/api/v2/clients', asCourier(), { name: client.name, email: client.email });
        expect((await call('POST', `/api/v2/clients/${created.body.id}/invite`, asCourier())).status).toBe(200);
        await server.app.ctx.messages.flush();
        const mail = await server.app.ctx.db.selectFrom('messages').select(['body_text']).where('to_address', '=', client.email).execute();
        const token = decodeURIComponent(mail.map((m) => /\/invite\/(\S+)/.exec(m.body_text)?.[1]).find(Boolean)!);
        const accepted = await call('POST', `/api/v2/invitations/${encodeURIComponent(token)}/accept`, null, { name: client.adminName, password: client.password });
        expect(accepted.status).toBe(201);
        clientCookie = accepted.cookie!;
        await clientContext.addCookies([{ name: 'baton_session', value: clientCookie, url: server.url }]);
      },
      STEP_TIMEOUT,
    );

    test(
      'the client brands its tracking page in the portal',
      async () => {
        const page = clientPage;
        await page.goto(paths.portalTracking());
        await page.getByRole('heading', { name: 'Tracking page', level: 1 }).waitFor();
        const colour = page.getByRole('textbox', { name: 'Primary colour' });
        // the form shows the settings it inherited from the courier before it is edited
        await expect.poll(() => colour.inputValue()).toMatch(/^#[0-9a-f]{6}$/i);
        await colour.fill(BRAND.hex);
        await page.getByRole('textbox', { name: 'Headline' }).fill(BRAND.headline);
        // the preview follows the form before it is saved
        await page.getByRole('region', { name: 'Preview of the tracking page' }).getByText(BRAND.headline).waitFor();
        await page.getByRole('button', { name: 'Save changes' }).click();
        await page.getByText('Recipients now see the new tracking page.').waitFor();
        const saved = await call('GET', '/api/v2/trackingPage', { cookie: clientCookie });
        expect(saved.body).toMatchObject({ inherited: false, primaryColor: BRAND.hex, headline: BRAND.headline });
      },
      STEP_TIMEOUT,
    );

    test(
      'the client writes a “driver is on the way” SMS with a live preview',
      async () => {
        const page = clientPage;
        await page.getByRole('link', { name: 'Notifications' }).click();
        await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
        await page.getByRole('button', { name: 'Add message' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'Add message' });
        await dialog.getByRole('textbox', { name: 'When' }).click();
        await page.getByRole('option', { name: 'Driver is on the way' }).click();
        await dialog.getByText('Dropoffs', { exact: true }).click();
        const message = dialog.getByRole('textbox', { name: 'Message' });
        await message.fill('Hi {{recipientName}}, {{driverName}} is bringing your {{merchantName}} order: {{trackingLink}}');
        // the preview renders the tags (sample data: no order exists yet)
        await dialog.getByText(/is bringing your .* order: https?:\/\//).waitFor();
        await message.fill('Hi {{recipientName}}, {{driverName}} is bringing your {{merchantName}} order: {{trackingLink}} {{price}}');
        await dialog.getByText(/\{\{price\}\}/).first().waitFor();
        await message.fill('Hi {{recipientName}}, {{driverName}} is bringing your {{merchantName}} order: {{trackingLink}}');
        await dialog.getByRole('button', { name: 'Add message' }).click();
        await dialog.waitFor({ state: 'detached' });
        await page.getByRole('region', { name: 'Driver is on the way' }).getByText('is bringing your', { exact: false }).waitFor();
        if (backend === backends()[0]) await shoot(page, 'notifications.png');
        const rules = await call('GET', '/api/v2/notifications', { cookie: clientCookie });
        expect(rules.body.rules).toEqual([expect.objectContaining({ trigger: 'taskStarted', appliesTo: 'dropoff', channels: ['sms'], enabled: true })]);
      },
      STEP_TIMEOUT,
    );

    test(
      'an order is started by the driver: the SMS arrives with a tracking link',
      async () => {
        const created = await call('POST', '/api/v2/taskOrders', { cookie: clientCookie }, {
          pickupTask: { destination: { address: { unparsed: '1 Oven Street, San Francisco' }, location: [-122.41, 37.785] }, recipient: { name: 'Counter', phone: '+14155550100' } },
          dropoffTask: { destination: { address: { unparsed: '77 Crumb Avenue, San Francisco' }, location: [-122.43, 37.765] }, recipient },
        });
        expect(created.status).toBe(201);
        order = created.body;
        const worker = (await call('GET', '/api/v2/workers', asCourier())).body[0].id;
        expect((await call('PUT', `/api/v2/containers/workers/${worker}`, asCourier(), { tasks: [order.pickupTask.id, order.dropoffTask.id] })).status).toBe(200);
        expect((await call('POST', '/api/v2/driver/location', asDriver(), { location: [-122.41, 37.785] })).status).toBe(200);
        expect((await call('POST', `/api/v2/tasks/${order.pickupTask.id}/start`, asDriver())).status).toBe(200);
        expect((await call('POST', `/api/v2/tasks/${order.pickupTask.id}/complete`, asDriver(), { completionDetails: { success: true } })).status).toBe(200);
        expect((await call('POST', `/api/v2/tasks/${order.dropoffTask.id}/start`, asDriver())).status).toBe(200);
        expect((await call('POST', '/api/v2/driver/location', asDriver(), { location: [-122.42, 37.775] })).status).toBe(200);

        await expect.poll(() => sms.received.filter((m) => m.to === recipient.phone).length, { timeout: 15_000 }).toBe(1);
        const text = sms.received.find((m) => m.to === recipient.phone)!.body;
        trackingLink = `${server.url}/track/${order.dropoffTask.shortId}`;
        expect(text).toBe(`Hi ${recipient.name}, Bob is bringing your ${client.name} order: ${trackingLink}`);
      },
      STEP_TIMEOUT,
    );

    test(
      'the tracking page shows the client’s brand and the driver on the map, and follows the delivery to the end',
      async () => {
        const page = phonePage;
        await page.goto(trackingLink);
        await page.getByRole('heading', { name: 'On the way', level: 1 }).waitFor();
        await page.getByText('Bob is on the way').waitFor();
        await page.getByRole('heading', { name: BRAND.headline }).waitFor();
        await page.getByText(client.name).first().waitFor();
        const headerColour = await page.locator('header').first().evaluate((el) => getComputedStyle(el).backgroundColor);
        expect(headerColour).toBe(BRAND.rgb);
        const driverMarker = page.locator('[aria-label="Bob: current position"]');
        await driverMarker.waitFor();
        if (backend === backends()[0]) await shoot(page, 'tracking.png');
        // nothing private on the page
        const body = await page.locator('body').innerText();
        expect(body).not.toContain(recipient.phone);
        expect(body).not.toContain('Counter');
        // the page fits the phone: no sideways scrolling
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

        expect((await call('POST', `/api/v2/tasks/${order.dropoffTask.id}/complete`, asDriver(), { completionDetails: { success: true, notes: 'Handed to Rosa' } })).status).toBe(200);
        // no reload: the page follows by itself
        await page.getByRole('heading', { name: 'Delivered', level: 1 }).waitFor({ timeout: 20_000 });
        await expect.poll(() => driverMarker.count()).toBe(0);
        await page.getByText('Handed to Rosa').waitFor();

        // a one-time rating, which the client then sees on the order
        // keyboard, as a screen-reader user would: focus the fifth star and select it
        await page.getByRole('radio', { name: /^5/ }).first().focus();
        await page.keyboard.press('Space');
        await page.getByRole('button', { name: 'Send feedback' }).click();
        await page.getByText(/thank/i).first().waitFor();
        await clientPage.goto(paths.portalOrder(order.shortId));
        await clientPage.getByRole('region', { name: 'Recipient feedback' }).getByRole('img', { name: 'Rated 5 out of 5' }).or(clientPage.getByLabel('Rated 5 out of 5')).first().waitFor();
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
