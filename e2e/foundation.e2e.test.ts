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

const owner = {
  organizationName: 'Swift Couriers',
  name: 'Ada Owner',
  email: 'ada@swift.example',
  password: 'correct horse battery staple',
};
const teamName = 'Downtown';
const driver = { name: 'Bob Rider', phone: '+14155550123' };

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`foundation in the browser (${backend})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    let apiKey = '';

    beforeAll(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
      context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test(
      'first run: set up the organization and its owner',
      async () => {
        // A fresh server sends every visitor to set-up.
        await page.goto(paths.login());
        await page.waitForURL((url) => url.pathname === paths.setup());
        await page.getByLabel('Organization name').fill(owner.organizationName);
        await page.getByLabel('Your name').fill(owner.name);
        await page.getByLabel('Email').fill(owner.email);
        await page.getByLabel(/^Password/).fill(owner.password);
        await page.getByRole('button', { name: 'Create organization' }).click();

        await page.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe(paths.dashboard());
        await page.getByRole('banner').getByText(owner.organizationName).waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'sign out, then sign in again',
      async () => {
        await page.getByRole('button', { name: /Account menu/ }).click();
        await page.getByRole('menuitem', { name: 'Sign out' }).click();
        await page.waitForURL((url) => url.pathname === paths.login());

        // Signed out: the dashboard sends you to sign in.
        await page.goto(paths.teams());
        await page.waitForURL((url) => url.pathname === paths.login());

        await page.getByLabel('Email').fill(owner.email);
        await page.getByLabel(/^Password/).fill('not the password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').getByText('The email or password is incorrect.').waitFor();

        await page.getByLabel(/^Password/).fill(owner.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // Back where the visit started.
        await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();
        expect(new URL(page.url()).pathname).toBe(paths.teams());
      },
      STEP_TIMEOUT,
    );

    test(
      'create a team',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Teams' }).click();
        await page.getByRole('heading', { name: 'No teams yet' }).waitFor();
        await page.getByRole('button', { name: 'Create team' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'Create team' });
        await dialog.getByLabel('Team name').fill(teamName);
        await dialog.getByRole('button', { name: 'Create team' }).click();

        await page.getByRole('cell', { name: teamName, exact: true }).waitFor();
        await dialog.waitFor({ state: 'detached' });
      },
      STEP_TIMEOUT,
    );

    test(
      'create a driver in that team',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Drivers' }).click();
        await page.getByRole('heading', { name: 'No drivers yet' }).waitFor();
        await page.getByRole('button', { name: 'Add driver' }).first().click();
        const dialog = page.getByRole('dialog', { name: 'Add driver' });
        await dialog.getByLabel(/^Name/).fill(driver.name);
        await dialog.getByLabel(/^Mobile phone/).fill(driver.phone);
        // The only team is chosen already; choose it explicitly when it is not.
        const teams = dialog.getByRole('textbox', { name: /^Teams/ });
        if ((await dialog.getByText(teamName, { exact: true }).count()) === 0) {
          await teams.click();
          await page.getByRole('option', { name: teamName }).click();
          await page.keyboard.press('Escape');
        }
        await dialog.getByRole('button', { name: 'Add driver' }).click();

        const row = page.getByRole('row').filter({ has: page.getByRole('cell', { name: driver.name, exact: true }) });
        await row.waitFor();
        await row.getByRole('cell', { name: driver.phone }).waitFor();
        await row.getByText(teamName, { exact: true }).waitFor();
        await row.getByText('Off duty').waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'create an API key, read it once, and use it',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Settings' }).click();
        await page.getByRole('tab', { name: 'API keys' }).click();
        await page.waitForURL((url) => url.pathname === paths.settings('api-keys'));
        await page.getByRole('heading', { name: 'No API keys' }).waitFor();
        await page.getByRole('button', { name: 'Create API key' }).first().click();
        await page.getByRole('dialog', { name: 'Create API key' }).getByLabel(/^Key name/).fill('Web shop');
        await page.getByRole('button', { name: 'Create key' }).click();

        const shown = page.getByRole('dialog', { name: 'Your new API key' });
        await shown.getByText('you won’t see it again', { exact: false }).waitFor();
        apiKey = await shown.getByRole('textbox', { name: /^API key/ }).inputValue();
        expect(apiKey.length).toBeGreaterThan(16);
        await shown.getByRole('button', { name: 'Done' }).click();
        await page.getByRole('cell', { name: 'Web shop', exact: true }).waitFor();

        const res = await fetch(`${server.url}/api/v2/auth/test`, {
          headers: { Authorization: `Basic ${btoa(`${apiKey}:`)}` },
        });
        expect(res.status).toBe(200);
      },
      STEP_TIMEOUT,
    );

    test(
      'the dashboard counts what was created',
      async () => {
        await page.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
        await page.getByRole('heading', { name: 'Getting started' }).waitFor();
        await page.getByText('0 of 1', { exact: true }).waitFor();
        const done = page.getByRole('img', { name: 'Done' });
        await expect.poll(() => done.count()).toBe(3);
        expect(pageErrors).toEqual([]);

        if (backend === backends()[0]) {
          // Dismiss the notifications (each one closes with an animation) before the picture.
          const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
          for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) {
            await dismiss.first().click({ timeout: 2_000 }).catch(() => {});
            await page.waitForTimeout(300);
          }
          await expect.poll(() => dismiss.count(), { timeout: 10_000 }).toBe(0);
          const file = path.join(repoRoot, 'docs/screenshots/dashboard.png');
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await page.screenshot({ path: file });
        }
      },
      STEP_TIMEOUT,
    );

    test(
      'forgotten password: a link by email, a new password, signed in here and signed out elsewhere',
      async () => {
        const other = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 } });
        try {
          const p2 = await other.newPage();
          p2.on('pageerror', (err) => pageErrors.push(err.message));
          await p2.goto(paths.login());
          await p2.getByRole('link', { name: 'Forgot your password?' }).click();
          await p2.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
          await p2.getByLabel('Email').fill(owner.email);
          await p2.getByRole('button', { name: 'Email me a link' }).click();
          await p2.getByRole('status').getByText(/If an account uses this email/).waitFor();

          const outbox = await (await fetch(`${server.url}/api/v2/outbox`, { headers: { Authorization: `Basic ${btoa(`${apiKey}:`)}` } })).json();
          const mail = outbox.messages.find((m: { subject: string }) => m.subject === 'Reset your Baton password');
          const link = (mail.links as string[]).find((l) => l.includes('/reset-password/'))!;
          await p2.goto(new URL(link).pathname);
          await p2.getByRole('heading', { name: 'Choose a new password' }).waitFor();
          await p2.getByLabel(/^New password/).fill('a brand new password');
          await p2.getByLabel(/^Repeat the new password/).fill('a different one!');
          await p2.getByRole('button', { name: 'Set the new password' }).click();
          await p2.getByText('The two passwords differ.').waitFor();
          await p2.getByLabel(/^Repeat the new password/).fill('a brand new password');
          await p2.getByRole('button', { name: 'Set the new password' }).click();
          await p2.getByRole('heading', { name: 'Dashboard', exact: true }).waitFor();

          // the first browser's session ended with the old password
          await page.goto(paths.teams());
          await page.waitForURL((url) => url.pathname === paths.login());
          await page.getByLabel('Email').fill(owner.email);
          await page.getByLabel(/^Password/).fill('a brand new password');
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByRole('heading', { name: 'Teams', exact: true }).waitFor();

          // the link worked once
          await p2.goto(new URL(link).pathname);
          await p2.getByLabel(/^New password/).fill('yet another password');
          await p2.getByLabel(/^Repeat the new password/).fill('yet another password');
          await p2.getByRole('button', { name: 'Set the new password' }).click();
          await p2.getByRole('heading', { name: 'This link was already used' }).waitFor();
          expect(pageErrors).toEqual([]);
        } finally {
          await other.close();
        }
      },
      STEP_TIMEOUT,
    );
  });
}
