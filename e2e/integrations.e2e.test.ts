import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paths } from '../src/shared/paths.ts';
import { startWebhookReceiver } from '../test/helpers/webhooks.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';

const STEP_TIMEOUT = 60_000;
const hasBrowser = browserAvailable();
const courier = { organizationName: 'Hook Couriers', name: 'Hana Owner', email: 'hana@hooks.example', password: 'correct horse battery staple', country: 'US', timezone: 'America/Los_Angeles' };

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`webhooks in the browser (${backend})`, () => {
    let server: RunningServer;
    let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    let apiKey = '';

    async function call(method: string, url: string, body?: unknown) {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { authorization: `Basic ${btoa(`${apiKey}:`)}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    }

    beforeAll(async () => {
      rx = await startWebhookReceiver();
      server = await startServer(backend, { ALLOW_PRIVATE_WEBHOOK_TARGETS: '1', WEBHOOK_RETRY_BASE_MS: '200' });
      browser = await launchBrowser();
      context = await browser.newContext({ baseURL: server.url, viewport: { width: 1400, height: 1000 } });
      context.setDefaultTimeout(15_000);
      await context.route((url) => url.origin !== server.url, (route) => route.abort());
      page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
      const setup = await fetch(`${server.url}/api/v2/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(courier) });
      expect(setup.status).toBe(201);
      const cookie = /baton_session=([^;]+)/.exec(setup.headers.getSetCookie().join(';'))![1];
      await context.addCookies([{ name: 'baton_session', value: cookie, url: server.url }]);
      const key = await fetch(`${server.url}/api/v2/apiKeys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `baton_session=${cookie}`, origin: server.url }, body: JSON.stringify({ name: 'e2e' }) });
      apiKey = (await key.json()).key;
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
      await rx?.close();
    });

    test(
      'a URL that fails the check is refused with what came back; one that passes is registered',
      async () => {
        await page.goto(paths.settings('webhooks'));
        await page.getByRole('heading', { name: 'Settings' }).waitFor();
        await page.getByText('No webhooks yet').waitFor();
        await page.getByRole('button', { name: 'Add webhook' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'Add webhook' });
        rx.answerChecks('wrong');
        await dialog.getByRole('textbox', { name: /^URL/ }).fill(rx.url('/e2e'));
        await dialog.getByRole('textbox', { name: /^Name/ }).fill('Completed deliveries');
        await dialog.getByRole('textbox', { name: /^Trigger/ }).click();
        await page.getByRole('option', { name: 'Task completed (3)' }).click();
        await dialog.getByRole('button', { name: 'Add webhook' }).click();
        await dialog.getByText(/hello there/).waitFor();

        rx.answerChecks('echo');
        await dialog.getByRole('textbox', { name: /^Trigger/ }).click();
        await page.getByRole('option', { name: /\(6\)$/ }).click();
        await dialog.getByRole('button', { name: 'Add webhook' }).click();
        await dialog.waitFor({ state: 'detached' });
        await page.getByRole('switch', { name: 'Send events to Completed deliveries' }).waitFor();
        expect((await call('GET', '/api/v2/webhooks')).body).toEqual([expect.objectContaining({ name: 'Completed deliveries', trigger: 6, isEnabled: true })]);
      },
      STEP_TIMEOUT,
    );

    test(
      'the secret is rotated and shown once; deliveries are signed and logged with every attempt, and can be sent again',
      async () => {
        await page.getByRole('button', { name: 'Rotate signing secret' }).click();
        await page.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
        const shown = page.getByRole('dialog', { name: 'Your new signing secret' });
        const secret = await shown.getByRole('textbox', { name: 'Signing secret' }).inputValue();
        expect(secret).toMatch(/^[0-9a-f]{64}$/);
        await shown.getByRole('button', { name: 'Done' }).click();

        rx.failNext(1);
        const task = await call('POST', '/api/v2/tasks', { destination: { address: { unparsed: '1 Hook Street' } } });
        expect(task.status).toBe(200);
        await expect.poll(() => rx.received.filter((r) => r.path === '/e2e').length, { timeout: 20_000 }).toBe(1);
        const got = rx.received.find((r) => r.path === '/e2e')!;
        const { createHmac } = await import('node:crypto');
        expect(got.signature).toBe(createHmac('sha512', Buffer.from(secret, 'hex')).update(got.body).digest('hex'));
        expect(got.json).toMatchObject({ triggerId: 6, taskId: task.body.id });

        await page.getByRole('button', { name: 'Delivery log of Completed deliveries' }).click();
        const drawer = page.getByRole('dialog', { name: /Delivery log: Completed deliveries/ });
        const item = drawer.getByRole('list', { name: 'Deliveries' }).getByRole('listitem').first();
        await item.getByText(/delivered/i).first().waitFor({ timeout: 20_000 });
        await item.getByRole('button', { name: /Attempt log \(2\)/ }).click();
        await item.getByText('receiver is down').waitFor();
        await item.getByText('500').first().waitFor();

        await item.getByRole('button', { name: 'Redeliver' }).click();
        await expect.poll(() => rx.received.filter((r) => r.path === '/e2e').length, { timeout: 20_000 }).toBe(2);
        await page.getByRole('button', { name: 'Close the delivery log' }).click();
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
