import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paths } from '../src/shared/paths.ts';
import { accessibilityViolations, type Violation } from './support/axe.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { startServer, type RunningServer } from './support/server.ts';
import { apiCaller } from './support/api.ts';

const STEP_TIMEOUT = 120_000;
const hasBrowser = browserAvailable();

const courier = { organizationName: 'Able Couriers', name: 'Ann Owner', email: 'ann@able.example', password: 'correct horse battery staple', country: 'US', timezone: 'America/New_York' };
const client = { name: 'Good Grocer', email: 'orders@grocer.example', adminName: 'Gus Grocer', password: 'client password 123' };
/** The map's tiles and attribution are drawn by the map library, not by Baton. */
const THIRD_PARTY = ['.leaflet-control-attribution'];

/** What each page failed, one line per rule and element, for a readable assertion message. */
function report(failures: Record<string, Violation[]>): string[] {
  return Object.entries(failures).flatMap(([where, vs]) => vs.flatMap((v) => v.nodes.map((n) => `${where}: ${v.rule} (${v.impact}) ${v.help}: ${n}`)));
}

// The pages are the same on either database; one backend is enough for how they render.
describe.skipIf(!hasBrowser)('every page meets WCAG 2.1 A and AA as axe-core checks it', () => {
  let server: RunningServer;
  let browser: Browser;
  let desk: BrowserContext;
  let phone: BrowserContext;
  let apiKey = '';
  let clientCookie = '';
  let courierCookie = '';
  let clientId = '';
  let driverLink = '';
  let order: any;
  const pageErrors: string[] = [];
  const setupFailures: Record<string, Violation[]> = {};

  const call = apiCaller(() => server.url);
  const asCourier = () => ({ key: apiKey });

  /** Audits the page as it is now, recording what fails under `where`. */
  async function check(page: Page, where: string, failures: Record<string, Violation[]>) {
    await page.waitForLoadState('networkidle').catch(() => {});
    const found = await accessibilityViolations(page, { exclude: THIRD_PARTY });
    // a status badge is a word or two: it is shown whole, never cut short with an ellipsis
    const cut = await page.locator('.mantine-Badge-label').evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? ''));
    if (cut.length) found.push({ rule: 'badge-cut-short', impact: 'moderate', help: 'Badges show their whole label', nodes: cut });
    if (found.length) failures[where] = found;
  }
  /** Opens `path`, waits for its level-1 heading (or `ready`) and audits it. */
  async function audit(page: Page, path: string, ready: (p: Page) => Promise<unknown>, failures: Record<string, Violation[]>) {
    await page.goto(path);
    await ready(page);
    await check(page, path, failures);
  }
  /**
   * From a freshly loaded page, the first Tab reaches "Skip to main content", which is shown while it has
   * the focus; Enter moves the focus to the main area, so the next Tab lands inside it, past the header
   * and the navigation.
   */
  async function skipsToContent(page: Page, path: string) {
    await page.goto(path);
    await h1()(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect.poll(() => skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.width > 20 && box.height > 10).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('main') && document.activeElement?.tagName !== 'MAIN')).toBe(true);
  }
  /** a page whose first heading may be a level-2 one (error pages, finished driver tasks) */
  const anyHeading = (p: Page) => p.locator('h1, h2').first().waitFor();
  const h1 = (name?: string | RegExp) => (p: Page) => p.getByRole('heading', { level: 1, ...(name ? { name } : {}) }).first().waitFor();

  beforeAll(async () => {
    server = await startServer('sqlite');
    browser = await launchBrowser();
    desk = await browser.newContext({ baseURL: server.url, viewport: { width: 1400, height: 1000 } });
    phone = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    for (const ctx of [desk, phone]) {
      ctx.setDefaultTimeout(20_000);
      await ctx.route((url) => url.origin !== server.url, (route) => route.abort());
      ctx.on('page', (p) => p.on('pageerror', (err) => pageErrors.push(err.message)));
    }
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test(
    'set up a courier with a team, a driver and an active client with an order on its way (API); the set-up and invitation pages',
    async () => {
      // the first page of a new installation, before anything exists
      const first = await desk.newPage();
      await audit(first, paths.setup(), h1(), setupFailures);
      await first.close();
      const setup = await call('POST', '/api/v2/setup', null, courier);
      expect(setup.status).toBe(201);
      courierCookie = setup.cookie!;
      apiKey = (await call('POST', '/api/v2/apiKeys', { cookie: courierCookie }, { name: 'Set-up' })).body.key;
      const team = await call('POST', '/api/v2/teams', asCourier(), { name: 'Downtown' });
      const worker = await call('POST', '/api/v2/workers', asCourier(), { name: 'Dee Driver', phone: '+14155550131', teams: [team.body.id] });
      expect(worker.status).toBe(200);
      driverLink = (await call('POST', `/api/v2/workers/${worker.body.id}/loginLink`, asCourier(), {})).body.url;

      // a second client, still pending, with a long name and address that squeeze the clients table
      expect((await call('POST', '/api/v2/clients', asCourier(), { name: 'Northern Farmhouse Bakery and Wholesale Pantry', email: 'deliveries.and.wholesale.orders@northern-farmhouse-bakery.example' })).status).toBe(201);
      const created = await call('POST', '/api/v2/clients', asCourier(), { name: client.name, email: client.email });
      clientId = created.body.id;
      expect((await call('POST', `/api/v2/clients/${clientId}/invite`, asCourier())).status).toBe(200);
      await server.app.ctx.messages.flush();
      const mail = await server.app.ctx.db.selectFrom('messages').select(['body_text']).where('to_address', '=', client.email).execute();
      const token = decodeURIComponent(mail.map((m) => /\/invite\/(\S+)/.exec(m.body_text)?.[1]).find(Boolean)!);
      // the page the invitation's link opens, audited before it is used
      const invitation = await desk.newPage();
      await audit(invitation, paths.clientInvitation(token), h1(), setupFailures);
      await invitation.close();
      const accepted = await call('POST', `/api/v2/invitations/${encodeURIComponent(token)}/accept`, null, { name: client.adminName, password: client.password });
      expect(accepted.status).toBe(201);
      clientCookie = accepted.cookie!;

      const made = await call('POST', '/api/v2/taskOrders', { cookie: clientCookie }, {
        pickupTask: { destination: { address: { unparsed: '1 Market Street, San Francisco' }, location: [-122.41, 37.785] }, recipient: { name: 'Stock room', phone: '+14155550100' } },
        dropoffTask: { destination: { address: { unparsed: '9 Hill Road, San Francisco' }, location: [-122.43, 37.765] }, recipient: { name: 'Rita Recipient', phone: '+14155550177' } },
      });
      expect(made.status).toBe(201);
      order = made.body;
      expect((await call('PUT', `/api/v2/containers/workers/${worker.body.id}`, asCourier(), { tasks: [order.pickupTask.id, order.dropoffTask.id] })).status).toBe(200);
      expect(report(setupFailures)).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  test(
    'the signed-out pages, the courier’s pages and the client portal; a skip link past the navigation',
    async () => {
      const failures: Record<string, Violation[]> = {};
      const out = await desk.newPage();
      await audit(out, paths.login(), (p) => p.getByRole('button', { name: /sign in/i }).waitFor(), failures);
      await audit(out, paths.forgotPassword(), h1(), failures);
      // links that lead nowhere: their pages say so, and are as accessible as the rest
      await audit(out, paths.resetPassword('no-such-token'), anyHeading, failures);
      await audit(out, paths.clientInvitation('no-such-token'), anyHeading, failures);
      await audit(out, paths.track('00000000'), anyHeading, failures);
      await audit(out, '/no-such-page', anyHeading, failures);
      await out.close();

      await desk.addCookies([{ name: 'baton_session', value: courierCookie, url: server.url }]);
      const page = await desk.newPage();
      await skipsToContent(page, paths.dispatch());
      for (const path of [paths.dashboard(), paths.dispatch(), paths.clients(), paths.client(clientId), paths.teams(), paths.drivers(), paths.outbox(), paths.courierOrder(order.shortId), paths.courierImportOrders()]) {
        await audit(page, path, h1(), failures);
      }
      for (const tab of ['organization', 'people', 'api-keys', 'webhooks', 'notifications', 'tracking-page'] as const) await audit(page, paths.settings(tab), h1(), failures);
      // open dialogs, drawers and menus
      await page.goto(paths.clients());
      await page.getByRole('button', { name: 'Invite Client' }).click();
      await page.getByRole('dialog').waitFor();
      await check(page, 'the invite-a-client dialog', failures);
      await page.goto(paths.dispatch());
      await page.getByRole('button', { name: /^Open pickup / }).click();
      await page.getByRole('dialog').waitFor();
      await check(page, 'the task drawer on the dispatch page', failures);
      await page.keyboard.press('Escape');
      await page.getByRole('checkbox', { name: `Select the tasks of order ${order.shortId}` }).check();
      await page.getByRole('button', { name: 'Assign to…' }).click();
      await page.getByRole('dialog', { name: 'Assign 2 tasks' }).waitFor();
      await check(page, 'the assign dialog', failures);
      await page.goto(paths.dashboard());
      await page.getByRole('button', { name: /Account menu/ }).click();
      await page.getByRole('menu').waitFor();
      await check(page, 'the account menu', failures);
      await page.close();

      await desk.clearCookies();
      await desk.addCookies([{ name: 'baton_session', value: clientCookie, url: server.url }]);
      const portal = await desk.newPage();
      await skipsToContent(portal, paths.portalOrders());
      for (const path of [paths.portalOrders(), paths.portalNewOrder(), paths.portalOrder(order.shortId), paths.portalImportOrders(), paths.portalNotifications(), paths.portalTracking()]) {
        await audit(portal, path, h1(), failures);
      }
      for (const tab of ['organization', 'account', 'people', 'api-keys', 'webhooks'] as const) await audit(portal, paths.portalSettings(tab), h1(), failures);
      // a form that was sent without its required fields shows its errors
      await portal.goto(paths.portalNewOrder());
      await portal.getByRole('button', { name: 'Create order' }).click();
      await portal.getByText('Enter the pickup address.').waitFor();
      await check(portal, 'the new-order form with its errors', failures);
      await portal.close();

      expect(report(failures)).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    STEP_TIMEOUT,
  );

  test(
    'the driver app through a delivery and the recipient’s tracking page, on a phone',
    async () => {
      const failures: Record<string, Violation[]> = {};
      const page = await phone.newPage();
      await page.goto(driverLink);
      await page.waitForURL((u) => u.pathname === paths.driver());
      await h1()(page);
      await check(page, 'the driver app, off duty', failures);
      await skipsToContent(page, paths.driver());
      await page.getByRole('switch', { name: 'On duty' }).tap();
      await expect.poll(() => page.getByRole('switch', { name: 'On duty' }).isChecked()).toBe(true);
      await check(page, 'the driver app, on duty with two tasks', failures);

      for (const [task, kind] of [[order.pickupTask, 'pickup'], [order.dropoffTask, 'dropoff']] as const) {
        await audit(page, paths.driverTask(task.id), h1(), failures);
        await page.getByRole('button', { name: `Start ${kind}` }).click();
        await page.getByText('In progress', { exact: true }).waitFor();
        if (kind === 'dropoff') {
          const tracking = await phone.newPage();
          await audit(tracking, paths.track(task.shortId), h1('On the way'), failures);
          await tracking.close();
        }
        await page.getByRole('button', { name: 'Complete', exact: true }).click();
        await page.getByRole('heading', { name: `Complete the ${kind}` }).waitFor();
        await check(page, `the driver's ${kind} completion form`, failures);
        await page.getByRole('button', { name: `Complete ${kind}` }).click();
        await page.waitForURL((u) => u.pathname === paths.driver());
      }
      await audit(page, paths.track(order.dropoffTask.shortId), h1('Delivered'), failures);

      // Reflow (WCAG 1.4.10): at 320 CSS pixels wide nothing needs scrolling sideways.
      await page.setViewportSize({ width: 320, height: 640 });
      const wide: string[] = [];
      for (const path of [paths.track(order.dropoffTask.shortId), paths.driver(), paths.driverTask(order.dropoffTask.id)]) {
        await page.goto(path);
        await anyHeading(page);
        await page.waitForLoadState('networkidle').catch(() => {});
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 320) wide.push(`${path}: ${width} px`);
      }
      expect(wide).toEqual([]);
      await page.close();
      expect(report(failures)).toEqual([]);
      expect(pageErrors).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});
