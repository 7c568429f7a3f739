import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/build-web.mjs';
import { paths } from '../src/shared/paths.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';

const STEP_TIMEOUT = 60_000;
const hasBrowser = browserAvailable();

const courier = {
  organizationName: 'Swift Couriers',
  name: 'Ada Owner',
  email: 'ada@swift.example',
  password: 'correct horse battery staple',
};
const teamName = 'Downtown';
const client = { name: 'Corner Bakery', email: 'orders@bakery.example', newEmail: 'hello@bakery.example' };
const clientPerson = { name: 'Bea Baker', password: 'fresh bread every day' };
const otherClient = { name: 'Green Grocer', email: 'shop@grocer.example' };

/** Opens the newest Outbox message whose subject matches, and returns its link to this site's path. */
async function linkFromOutbox(page: Page, subject: RegExp, pathPrefix: string): Promise<string> {
  await page.getByRole('navigation').getByRole('link', { name: 'Outbox' }).click();
  await page.getByRole('heading', { name: 'Outbox', exact: true }).waitFor();
  await page.getByRole('button', { name: subject }).first().click();
  const dialog = page.getByRole('dialog', { name: subject });
  const href = await dialog.getByRole('link', { name: new RegExp(pathPrefix) }).first().getAttribute('href');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  expect(href).toBeTruthy();
  return new URL(href!).pathname;
}

/** The status row of the client page's details. */
const statusOnPage = (page: Page) =>
  page.getByRole('region', { name: 'Details' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Status' }) });

/** The row of the clients table that names the client. */
const clientRow = (page: Page, name: string) =>
  page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`courier clients and the client portal in the browser (${backend})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let courierContext: BrowserContext;
    let clientContext: BrowserContext;
    let page: Page;
    let portal: Page;
    const pageErrors: string[] = [];
    let clientPath = '';

    beforeAll(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
      courierContext = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
      courierContext.setDefaultTimeout(15_000);
      page = await courierContext.newPage();
      page.on('pageerror', (err) => pageErrors.push(`courier: ${err.message}`));
      // The client works in its own browser: its own cookies.
      clientContext = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
      clientContext.setDefaultTimeout(15_000);
      portal = await clientContext.newPage();
      portal.on('pageerror', (err) => pageErrors.push(`client: ${err.message}`));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test(
      'the courier signs up and creates a team',
      async () => {
        await page.goto(paths.setup());
        await page.getByLabel('Organization name').fill(courier.organizationName);
        await page.getByLabel('Your name').fill(courier.name);
        await page.getByLabel('Email').fill(courier.email);
        await page.getByLabel(/^Password/).fill(courier.password);
        await page.getByRole('button', { name: 'Create organization' }).click();
        await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();

        await page.getByRole('navigation').getByRole('link', { name: 'Teams' }).click();
        await page.getByRole('button', { name: 'Create team' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'Create team' });
        await dialog.getByLabel('Team name').fill(teamName);
        await dialog.getByRole('button', { name: 'Create team' }).click();
        await page.getByRole('cell', { name: teamName, exact: true }).waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'Clients → Invite Client creates a Pending client and opens its page',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Clients' }).click();
        await page.getByRole('heading', { name: 'No clients yet' }).waitFor();
        await page.getByRole('button', { name: 'Invite Client' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'Create client' });
        // Both fields are required; the problems show at the fields.
        await dialog.getByRole('button', { name: 'Create client' }).click();
        await dialog.getByText('Enter the client’s organization name.').waitFor();
        await dialog.getByLabel(/^Organization name/).fill(client.name);
        await dialog.getByLabel(/^Email/).fill(client.email);
        await dialog.getByRole('button', { name: 'Create client' }).click();

        await page.getByRole('heading', { name: client.name, exact: true }).waitFor();
        clientPath = new URL(page.url()).pathname;
        expect(clientPath).toMatch(/^\/clients\//);
        await statusOnPage(page).getByText('Pending', { exact: true }).waitFor();
        await page.getByRole('region', { name: 'Invitation' }).getByText('has not been invited yet', { exact: false }).waitFor();
        await page.getByRole('region', { name: 'Activity' }).getByText('created the client', { exact: false }).waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'the courier sends the client’s orders to a team automatically',
      async () => {
        const card = page.getByRole('region', { name: 'Automatic assignment' });
        const toggle = card.getByRole('switch', { name: 'Automatically assign orders for this client to a team' });
        expect(await toggle.isChecked()).toBe(false);
        await toggle.check({ force: true });
        await card.getByRole('textbox', { name: 'Team' }).click();
        await page.getByRole('option', { name: teamName }).click();
        await card.getByRole('button', { name: 'Save' }).click();
        await page.getByText(`New orders from ${client.name} go to ${teamName} automatically.`).waitFor();
        await page.getByRole('region', { name: 'Activity' }).getByText(`turned on automatic assignment to ${teamName}`).waitFor();

        await page.reload();
        await card.getByRole('textbox', { name: 'Team' }).waitFor();
        expect(await card.getByRole('switch', { name: /Automatically assign/ }).isChecked()).toBe(true);
        // the team's name shows once the teams have loaded
        await expect.poll(() => card.getByRole('textbox', { name: 'Team' }).inputValue()).toBe(teamName);
      },
      STEP_TIMEOUT,
    );

    test(
      'the courier invites the client',
      async () => {
        await page.getByRole('region', { name: 'Invitation' }).getByRole('button', { name: 'Invite', exact: true }).click();
        await page.getByText(`An invitation was sent to ${client.email}.`).waitFor();
        await statusOnPage(page).getByText('Invited', { exact: true }).waitFor();
        await page.getByRole('region', { name: 'Invitation' }).getByRole('button', { name: 'Resend invitation' }).waitFor();
        await page.getByRole('region', { name: 'Invitation' }).getByText('just now').waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'the client follows the link from the email, accepts, and lands in its portal',
      async () => {
        const invitePath = await linkFromOutbox(page, new RegExp(`invites ${client.name}`), '/invite/');

        await portal.goto(invitePath);
        await portal.getByRole('heading', { name: `Join ${courier.organizationName}’s client portal` }).waitFor();
        expect(await portal.getByLabel('Email').inputValue()).toBe(client.email);
        expect(await portal.getByLabel(/^Organization name/).inputValue()).toBe(client.name);
        await portal.getByLabel(/^Your name/).fill(clientPerson.name);
        await portal.getByLabel(/^Password/).fill(clientPerson.password);
        await portal.getByRole('button', { name: 'Accept invitation' }).click();

        await portal.waitForURL((url) => url.pathname.startsWith(paths.portal()));
        const banner = portal.getByRole('banner');
        await banner.getByText(client.name, { exact: true }).waitFor();
        await banner.getByText(`served by ${courier.organizationName}`).waitFor();
        const nav = portal.getByRole('navigation');
        for (const name of ['Orders', 'Notifications', 'Tracking page', 'Settings']) await nav.getByRole('link', { name }).waitFor();

        // The link works once.
        const again = await browser.newContext({ baseURL: server.url });
        const reuse = await again.newPage();
        await reuse.goto(invitePath);
        await reuse.getByRole('heading', { name: 'This invitation was already accepted' }).waitFor();
        await again.close();

        // The courier sees the client as Active.
        await page.goto(clientPath);
        await statusOnPage(page).getByText('Active', { exact: true }).waitFor();
        await page.getByRole('region', { name: 'Activity' }).getByText(`${clientPerson.name}`).waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'the courier changes the client’s email: it awaits the client’s confirmation',
      async () => {
        // A second client, still Pending, for a fuller list.
        await page.getByRole('navigation').getByRole('link', { name: 'Clients' }).click();
        await page.getByRole('button', { name: 'Invite Client' }).click();
        const create = page.getByRole('dialog', { name: 'Create client' });
        await create.getByLabel(/^Organization name/).fill(otherClient.name);
        await create.getByLabel(/^Email/).fill(otherClient.email);
        await create.getByRole('button', { name: 'Create client' }).click();
        await page.getByRole('heading', { name: otherClient.name, exact: true }).waitFor();

        await page.getByRole('link', { name: 'All clients' }).click();
        const row = clientRow(page, client.name);
        await row.getByText('Active', { exact: true }).waitFor();
        await row.getByRole('button', { name: `Edit ${client.name}` }).click();
        const dialog = page.getByRole('dialog', { name: `Edit ${client.name}` });
        await dialog.getByText('a new address takes effect only after the client confirms it', { exact: false }).waitFor();
        await dialog.getByLabel(/^Email/).fill(client.newEmail);
        await dialog.getByRole('button', { name: 'Save' }).click();
        await dialog.waitFor({ state: 'detached' });

        await row.getByText(`New: ${client.newEmail}`).waitFor();
        await row.getByText('Awaiting confirmation').waitFor();
        await row.getByText(client.email, { exact: true }).waitFor();
        await clientRow(page, otherClient.name).getByText('Pending', { exact: true }).waitFor();

        // The picture for the documentation: the clients table.
        if (backend === backends()[0]) {
          const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
          for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) {
            await dismiss.first().click({ timeout: 2_000 }).catch(() => {});
            await page.waitForTimeout(300);
          }
          await expect.poll(() => dismiss.count(), { timeout: 10_000 }).toBe(0);
          const file = path.join(repoRoot, 'docs/screenshots/clients.png');
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await page.screenshot({ path: file });
        }
      },
      STEP_TIMEOUT,
    );

    test(
      'the client confirms the new address from the email; the courier sees it',
      async () => {
        const confirmPath = await linkFromOutbox(page, new RegExp(`Confirm the new email address for ${client.name}`), '/confirm-email/');

        await portal.goto(confirmPath);
        // Opening the page changes nothing: it waits for the button.
        await portal.getByRole('heading', { name: 'Confirm your new email address' }).waitFor();
        await portal.getByRole('button', { name: 'Confirm my new email address' }).click();
        await portal.getByRole('heading', { name: 'Email address confirmed' }).waitFor();
        await portal.getByText(`${client.newEmail} is now your organization’s email address`, { exact: false }).waitFor();

        await page.getByRole('navigation').getByRole('link', { name: 'Clients' }).click();
        const row = clientRow(page, client.name);
        await row.getByText(client.newEmail, { exact: true }).waitFor();
        expect(await row.getByText('Awaiting confirmation').count()).toBe(0);
      },
      STEP_TIMEOUT,
    );

    test(
      'the courier deletes the client; it can no longer sign in',
      async () => {
        const row = clientRow(page, client.name);
        await row.getByRole('button', { name: `Delete ${client.name}` }).click();
        const dialog = page.getByRole('dialog', { name: `Delete ${client.name}?` });
        await dialog.getByText('will no longer be able to sign in', { exact: false }).waitFor();
        await dialog.getByText('Its orders and their tasks stay in your account', { exact: false }).waitFor();
        await dialog.getByRole('button', { name: 'Delete client' }).click();
        await row.getByText('Deleted', { exact: true }).waitFor();

        // Its session ended with the deletion: the portal sends it to sign in, where it is told why.
        await portal.goto(paths.portal());
        await portal.waitForURL((url) => url.pathname === paths.login());
        await portal.getByLabel('Email').fill(client.newEmail);
        await portal.getByLabel(/^Password/).fill(clientPerson.password);
        await portal.getByRole('button', { name: 'Sign in' }).click();
        await portal.getByRole('alert').getByText('removed by the courier', { exact: false }).waitFor();
        expect(new URL(portal.url()).pathname).toBe(paths.login());
      },
      STEP_TIMEOUT,
    );

    test(
      'the courier still sees the deleted client and its page, read-only',
      async () => {
        await page.getByRole('radiogroup', { name: 'Status' }).getByText('Deleted', { exact: true }).click();
        await page.waitForURL((url) => url.searchParams.get('status') === 'deleted');
        const row = clientRow(page, client.name);
        await row.getByText('Deleted', { exact: true }).waitFor();
        await expect.poll(() => clientRow(page, otherClient.name).count()).toBe(0);

        await row.getByRole('link', { name: client.name, exact: true }).click();
        await page.getByRole('heading', { name: client.name, exact: true }).waitFor();
        await page.getByRole('alert').filter({ hasText: 'This client was deleted' }).waitFor();
        expect(await page.getByRole('button', { name: 'Edit', exact: true }).count()).toBe(0);
        expect(await page.getByRole('button', { name: /^(Invite|Resend invitation)$/ }).count()).toBe(0);
        await page.getByRole('region', { name: 'Orders' }).getByText('No orders yet').waitFor();
        await page.getByRole('region', { name: 'Activity' }).getByText('deleted the client').waitFor();
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
