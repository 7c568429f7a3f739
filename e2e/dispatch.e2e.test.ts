import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { paths } from '../src/shared/paths.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';
import { apiCaller, type Auth } from './support/api.ts';

const STEP_TIMEOUT = 90_000;
const hasBrowser = browserAvailable();
const SHOTS = process.env.E2E_SCREENSHOTS;

const courier = {
  organizationName: 'Route Couriers',
  name: 'Rae Owner',
  email: 'rae@routes.example',
  password: 'correct horse battery staple',
  country: 'US',
  timezone: 'America/Los_Angeles',
};

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`optimize routes in the browser (${backend})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];
    let apiKey = '';
    const drivers: Record<string, string> = {};
    const taskIds: string[] = [];

    const api = apiCaller(() => server.url);
    /** This file's calls name the body before the caller, who is the organization's key unless told. */
    const call = (method: string, url: string, body?: unknown, auth: Auth = { key: apiKey }) => api(method, url, auth, body);

    beforeAll(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
      const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1500, height: 1000 } });
      ctx.setDefaultTimeout(20_000);
      await ctx.route((url) => url.origin !== server.url, (route) => route.abort());
      page = await ctx.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test(
      'set up: a team with a hub, two drivers on duty, three orders in the team’s queue, an empty team (API)',
      async () => {
        const setup = await call('POST', '/api/v2/setup', courier, null);
        expect(setup.status).toBe(201);
        const key = await call('POST', '/api/v2/apiKeys', { name: 'Set-up' }, { cookie: setup.cookie! });
        apiKey = key.body.key;
        const team = await call('POST', '/api/v2/teams', { name: 'Mission', hubLocation: { location: [-122.4194, 37.7749], address: 'Mission hub' } });
        expect(team.status).toBe(200);
        expect((await call('POST', '/api/v2/teams', { name: 'Quiet Team' })).status).toBe(200);
        for (const [name, phone, loc] of [
          ['Nia North', '+14155550111', [-122.41, 37.80]],
          ['Sam South', '+14155550122', [-122.42, 37.75]],
        ] as const) {
          const w = await call('POST', '/api/v2/workers', { name, phone, teams: [team.body.id], capacity: 4 });
          expect(w.status).toBe(200);
          drivers[name] = w.body.id;
          // on duty where they are, as the driver app would report
          await server.app.ctx.db.updateTable('workers').set({ on_duty: 1, location_lng: loc[0], location_lat: loc[1], time_last_seen: Date.now() }).where('id', '=', w.body.id).execute();
        }
        const container = { type: 'TEAM', team: team.body.id };
        const places: Array<[[number, number], [number, number]]> = [
          [[-122.408, 37.798], [-122.40, 37.79]],
          [[-122.421, 37.752], [-122.43, 37.76]],
          [[-122.412, 37.801], [-122.405, 37.785]],
        ];
        for (const [i, [p, d]] of places.entries()) {
          const pickup = await call('POST', '/api/v2/tasks', { destination: { address: { unparsed: `${i + 1} Pickup St, San Francisco` }, location: p }, pickupTask: true, quantity: 1, container });
          expect(pickup.status).toBe(200);
          const dropoff = await call('POST', '/api/v2/tasks', {
            destination: { address: { unparsed: `${i + 1} Dropoff Ave, San Francisco` }, location: d },
            dependencies: [pickup.body.id],
            quantity: 1,
            completeBefore: Date.now() + 3 * 3600_000,
            container,
          });
          expect(dropoff.status).toBe(200);
          taskIds.push(pickup.body.id, dropoff.body.id);
        }
      },
      STEP_TIMEOUT,
    );

    test(
      'the dispatcher optimizes the team’s routes, sees them on the map and in a list, and applies them',
      async () => {
        await page.goto(`${paths.login()}?next=${encodeURIComponent(paths.dispatch())}`);
        await page.getByLabel('Email').fill(courier.email);
        await page.getByLabel(/^Password/).fill(courier.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => url.pathname === paths.dispatch());

        // a team without drivers on duty says so and cannot be optimised
        await page.getByRole('button', { name: 'Optimize routes' }).click();
        const dialog = page.getByRole('dialog', { name: /Optimize routes/ });
        await dialog.getByRole('textbox', { name: 'Team' }).click();
        await page.getByRole('option', { name: 'Quiet Team' }).click();
        await dialog.getByText('Nothing to optimise yet').waitFor();
        await dialog.getByText('Quiet Team has no unassigned tasks in its queue.').waitFor();
        expect(await dialog.getByRole('button', { name: 'Optimize', exact: true }).isDisabled()).toBe(true);

        await dialog.getByRole('textbox', { name: 'Team' }).click();
        await page.getByRole('option', { name: 'Mission' }).click();
        await dialog.getByText('6 open tasks in the team’s queue, 2 drivers on duty.', { exact: false }).waitFor();
        await dialog.getByLabel('Time limit (seconds)').fill('2');
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/dispatch-settings-${backend}.png` });
        await dialog.getByRole('button', { name: 'Optimize', exact: true }).click();

        // progress, then the routes
        const list = dialog.getByRole('list', { name: 'Proposed routes' });
        await list.waitFor({ timeout: 30_000 });
        await dialog.getByText(/6 tasks on [12] routes?/).waitFor();
        const routes = list.getByRole('listitem', { name: /^Route of / });
        const n = await routes.count();
        expect(n).toBeGreaterThanOrEqual(1);
        // each route is a coloured line on the map, each stop a numbered marker
        const map = dialog.getByRole('region', { name: 'Map of the proposed routes' }).or(dialog.getByLabel('Map of the proposed routes'));
        await map.first().waitFor();
        await expect.poll(() => dialog.locator('.leaflet-overlay-pane path').count()).toBe(n);
        await expect.poll(() => dialog.getByRole('button', { name: /, stop 1: pickup / }).count()).toBe(n);
        await expect.poll(() => dialog.getByRole('button', { name: /, stop \d: (pickup|dropoff) / }).count()).toBe(6);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/dispatch-routes-${backend}.png` });

        // nothing is assigned before Apply
        for (const id of taskIds) expect((await call('GET', `/api/v2/tasks/${id}`)).body.state).toBe(0);
        await dialog.getByRole('button', { name: 'Apply', exact: true }).click();
        await page.getByText('6 tasks assigned along the optimised routes.').waitFor();
        await dialog.waitFor({ state: 'detached' });

        // every task is with a driver now, each order's two tasks with the same one
        const tasks = await Promise.all(taskIds.map(async (id) => (await call('GET', `/api/v2/tasks/${id}`)).body));
        for (const t of tasks) {
          expect(t.state).toBe(1);
          expect(Object.values(drivers)).toContain(t.worker);
        }
        for (let i = 0; i < tasks.length; i += 2) expect(tasks[i].worker).toBe(tasks[i + 1].worker);
        // the table shows the drivers' names
        await expect.poll(async () => (await page.getByRole('cell', { name: 'Nia North', exact: true }).count()) + (await page.getByRole('cell', { name: 'Sam South', exact: true }).count())).toBe(6);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/dispatch-applied-${backend}.png` });
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
