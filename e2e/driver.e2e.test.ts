import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { repoRoot } from '../scripts/build-web.mjs';
import { paths } from '../src/shared/paths.ts';
import { browserAvailable, launchBrowser } from './support/browser.ts';
import { backends, startServer, type RunningServer } from './support/server.ts';

const STEP_TIMEOUT = 60_000;
const hasBrowser = browserAvailable();

/** Where the phone says it is: [longitude, latitude]. */
const HERE = { latitude: 37.7749, longitude: -122.4194 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A small RGB PNG with a gradient, made here so the test needs no image file. */
function makePng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const row = width * 3 + 1;
  const pixels = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = y * row + 1 + x * 3;
      pixels[o] = Math.round((x * 255) / width);
      pixels[o + 1] = Math.round((y * 255) / height);
      pixels[o + 2] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(pixels)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

interface Task {
  id: string;
  state: number;
  pickupTask: boolean;
  completionDetails: {
    success: boolean | null;
    notes: string;
    failureReason: string;
    photoUploadIds: string[];
    signatureUploadId: string | null;
  };
}

for (const backend of backends()) {
  describe.skipIf(!hasBrowser)(`driver app on a phone (${backend})`, () => {
    let server: RunningServer;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    const pageErrors: string[] = [];
    let apiKey = '';
    let workerId = '';
    let pickupId = '';
    let dropoffId = '';
    let loginUrl = '';

    /** Calls the API with the organization's key; fails the test on an error status. */
    async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { Authorization: `Basic ${btoa(`${apiKey}:`)}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      expect(res.ok, `${method} ${url} → ${res.status} ${text}`).toBe(true);
      return (text ? JSON.parse(text) : undefined) as T;
    }

    /** Dismisses the notifications on screen (each closes with an animation). */
    async function dismissNotifications() {
      const dismiss = page.getByRole('button', { name: 'Dismiss notification' });
      for (let i = 0; i < 10 && (await dismiss.count()) > 0; i++) {
        await dismiss
          .first()
          .click({ timeout: 2_000 })
          .catch(() => {});
        await page.waitForTimeout(300);
      }
      await expect.poll(() => dismiss.count(), { timeout: 10_000 }).toBe(0);
    }

    beforeAll(async () => {
      server = await startServer(backend);
      browser = await launchBrowser();
      // A phone: small screen, touch, and the location allowed.
      context = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        permissions: ['geolocation'],
        geolocation: HERE,
      });
      context.setDefaultTimeout(15_000);
      page = await context.newPage();
      page.on('pageerror', (err) => pageErrors.push(err.message));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    test(
      'a courier, a driver and a pickup with its dropoff, through the API',
      async () => {
        // First run: the courier organization and its owner; then an API key.
        const setup = await fetch(`${server.url}/api/v2/setup`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            organizationName: 'Swift Couriers',
            name: 'Ada Owner',
            email: 'ada@swift.example',
            password: 'correct horse battery staple',
          }),
        });
        expect(setup.status, await setup.clone().text()).toBe(201);
        const cookie = setup.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
        const key = await fetch(`${server.url}/api/v2/apiKeys`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Cookie: cookie, Origin: server.url },
          body: JSON.stringify({ name: 'Dispatch' }),
        });
        expect(key.status, await key.clone().text()).toBe(201);
        apiKey = ((await key.json()) as { key: string }).key;

        const team = await api<{ id: string }>('POST', '/api/v2/teams', { name: 'Downtown' });
        const worker = await api<{ id: string }>('POST', '/api/v2/workers', { name: 'Bob Rider', phone: '+14155550123', teams: [team.id] });
        workerId = worker.id;

        const pickup = await api<Task>('POST', '/api/v2/tasks', {
          destination: { address: { unparsed: '500 Market Street, San Francisco' }, notes: 'Loading dock at the back' },
          recipients: [{ name: 'Corner Bakery', phone: '+14155550100' }],
          pickupTask: true,
        });
        const dropoff = await api<Task>('POST', '/api/v2/tasks', {
          destination: { address: { unparsed: '1200 Valencia Street, San Francisco' }, notes: 'Gate code 4321' },
          recipients: [{ name: 'Jane Doe', phone: '+14155550199' }],
          notes: 'Fragile: keep upright',
          dependencies: [pickup.id],
          requirements: { photo: true, signature: true },
        });
        pickupId = pickup.id;
        dropoffId = dropoff.id;
        await api('PUT', `/api/v2/containers/workers/${workerId}`, { tasks: [pickupId, dropoffId] });

        const link = await api<{ url: string; expiresAt: number }>('POST', `/api/v2/workers/${workerId}/loginLink`, {});
        expect(link.expiresAt).toBeGreaterThan(Date.now());
        loginUrl = new URL(link.url).pathname;
        expect(loginUrl.startsWith(`${paths.driver()}/login/`)).toBe(true);
      },
      STEP_TIMEOUT,
    );

    test(
      'the sign-in link opens the driver app, and works only once',
      async () => {
        // Before signing in, the app says how to.
        await page.goto(paths.driver());
        await page.getByText('Open the sign-in link your dispatcher sent you.').waitFor();

        await page.goto(loginUrl);
        await page.waitForURL((url) => url.pathname === paths.driver());
        await page.getByRole('heading', { name: 'My tasks' }).waitFor();
        await page.getByRole('banner').getByText('Swift Couriers').waitFor();
        await page.getByRole('banner').getByText('Bob Rider').waitFor();

        // The same link again: refused, with what to do.
        await page.goto(loginUrl);
        await page.getByRole('heading', { name: 'This sign-in link has expired or was already used' }).waitFor();
        await page.getByRole('link', { name: 'Open my tasks' }).click();
        await page.getByRole('heading', { name: 'My tasks' }).waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'go on duty: the location is shared',
      async () => {
        await page.getByText('You are off duty', { exact: true }).waitFor();
        const duty = page.getByRole('switch', { name: 'On duty' });
        expect(await duty.isChecked()).toBe(false);
        // A tap, as on a phone.
        await duty.tap();
        await page.getByText('You are on duty', { exact: true }).waitFor();
        await page.getByText('Sharing location', { exact: true }).waitFor();
        expect(await duty.isChecked()).toBe(true);

        const worker = await api<{ onDuty: boolean; location: [number, number] | null }>('GET', `/api/v2/workers/${workerId}`);
        expect(worker.onDuty).toBe(true);
        expect(worker.location).not.toBeNull();
        expect(worker.location![0]).toBeCloseTo(HERE.longitude, 4);
        expect(worker.location![1]).toBeCloseTo(HERE.latitude, 4);
      },
      STEP_TIMEOUT,
    );

    test(
      'both tasks in order; the dropoff cannot start before the pickup',
      async () => {
        const cards = page.getByRole('list', { name: 'Tasks in order' }).getByRole('listitem');
        await expect.poll(() => cards.count()).toBe(2);
        await cards.nth(0).getByText('Pickup', { exact: true }).waitFor();
        await cards.nth(0).getByText('500 Market Street, San Francisco').waitFor();
        await cards.nth(0).getByText('Corner Bakery').waitFor();
        await cards.nth(1).getByText('Dropoff', { exact: true }).waitFor();
        await cards.nth(1).getByText('1200 Valencia Street, San Francisco').waitFor();
        await cards.nth(1).getByText('Jane Doe').waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

        await cards.nth(1).getByRole('link').click();
        await page.waitForURL((url) => url.pathname === paths.driverTask(dropoffId));
        await page.getByRole('heading', { name: /1200 Valencia Street/ }).waitFor();
        await page.getByText('Gate code 4321').waitFor();
        const call = page.getByRole('link', { name: /^Call \+14155550199 \(Jane Doe\)$/ });
        expect(await call.getAttribute('href')).toBe('tel:+14155550199');
        const navigate = page.getByRole('link', { name: /Navigate/ });
        expect(await navigate.getAttribute('href')).toContain('https://www.google.com/maps/dir/?api=1&destination=');
        expect(await navigate.getAttribute('target')).toBe('_blank');

        await page.getByRole('button', { name: 'Start dropoff' }).click();
        await page.getByRole('alert').getByText('must be completed successfully first').waitFor();
        expect((await api<Task>('GET', `/api/v2/tasks/${dropoffId}`)).state).toBe(1);
      },
      STEP_TIMEOUT,
    );

    test(
      'start and complete the pickup',
      async () => {
        await page.getByRole('link', { name: 'All tasks' }).click();
        await page.getByRole('list', { name: 'Tasks in order' }).getByRole('link').first().click();
        await page.waitForURL((url) => url.pathname === paths.driverTask(pickupId));
        await page.getByRole('button', { name: 'Start pickup' }).click();
        await page.getByText('In progress', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Complete', exact: true }).click();
        await page.getByRole('button', { name: 'Complete pickup' }).click();

        await page.waitForURL((url) => url.pathname === paths.driver());
        await page.getByText('The pickup is done.').waitFor();
        const cards = page.getByRole('list', { name: 'Tasks in order' }).getByRole('listitem');
        await expect.poll(() => cards.count()).toBe(1);
        await cards.first().getByText('1200 Valencia Street, San Francisco').waitFor();
        const pickup = await api<Task>('GET', `/api/v2/tasks/${pickupId}`);
        expect(pickup.state).toBe(3);
        expect(pickup.completionDetails.success).toBe(true);
      },
      STEP_TIMEOUT,
    );

    test(
      'complete the dropoff with notes, a photo and a signature',
      async () => {
        await dismissNotifications();
        await page.getByRole('list', { name: 'Tasks in order' }).getByRole('link').first().click();
        await page.waitForURL((url) => url.pathname === paths.driverTask(dropoffId));
        await page.getByRole('button', { name: 'Start dropoff' }).click();
        await page.getByText('In progress', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Complete', exact: true }).waitFor();

        if (backend === backends()[0]) {
          const file = path.join(repoRoot, 'docs/screenshots/driver.png');
          fs.mkdirSync(path.dirname(file), { recursive: true });
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.screenshot({ path: file });
        }

        await page.getByRole('button', { name: 'Complete', exact: true }).click();
        // Without the required proof, the form says what is missing.
        await page.getByRole('button', { name: 'Complete dropoff' }).click();
        await page.getByText('This task needs a photo.').waitFor();
        await page.getByText('This task needs the recipient’s signature.').waitFor();

        await page.getByRole('textbox', { name: 'Notes' }).fill('Left with Jane at the door.');
        await page.locator('input[type="file"]').setInputFiles({ name: 'proof.png', mimeType: 'image/png', buffer: makePng(320, 240) });
        await page.getByRole('img', { name: 'The photo you took' }).waitFor();

        // Sign: a stroke with the mouse, then one with a finger.
        const pad = page.getByRole('img', { name: 'Recipient’s signature' });
        await pad.scrollIntoViewIfNeeded();
        const box = (await pad.boundingBox())!;
        await page.mouse.move(box.x + 30, box.y + 110);
        await page.mouse.down();
        for (let i = 1; i <= 15; i++) await page.mouse.move(box.x + 30 + i * 12, box.y + 110 - Math.sin(i / 2) * 30);
        await page.mouse.up();
        await page.getByText('Signed', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Clear signature' }).click();
        await page.getByText('Not signed yet').waitFor();

        const cdp = await context.newCDPSession(page);
        const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
          cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
        // Clicking Clear may have scrolled the page: measure the pad again.
        await pad.scrollIntoViewIfNeeded();
        const again = (await pad.boundingBox())!;
        const start = { x: again.x + 40, y: again.y + 120 };
        await touch('touchStart', start.x, start.y);
        for (let i = 1; i <= 15; i++) await touch('touchMove', start.x + i * 14, start.y - Math.cos(i / 2) * 35);
        await touch('touchEnd', 0, 0);
        await page.getByText('Signed', { exact: true }).waitFor();

        await page.getByRole('button', { name: 'Complete dropoff' }).click();
        await page.waitForURL((url) => url.pathname === paths.driver());
        await page.getByText('The dropoff is done.').waitFor();
        await page.getByRole('heading', { name: 'No tasks assigned — stay on duty' }).waitFor();
      },
      STEP_TIMEOUT,
    );

    test(
      'the API has the proof of delivery and the driver’s location',
      async () => {
        const dropoff = await api<Task>('GET', `/api/v2/tasks/${dropoffId}`);
        expect(dropoff.state).toBe(3);
        expect(dropoff.completionDetails.success).toBe(true);
        expect(dropoff.completionDetails.notes).toBe('Left with Jane at the door.');
        expect(dropoff.completionDetails.photoUploadIds).toHaveLength(1);
        expect(dropoff.completionDetails.signatureUploadId).toEqual(expect.any(String));

        // The proof images are stored as uploaded: the photo as the PNG sent, the signature as a PNG.
        for (const id of [dropoff.completionDetails.photoUploadIds[0], dropoff.completionDetails.signatureUploadId!]) {
          const res = await fetch(`${server.url}/files/${encodeURIComponent(id)}`, {
            headers: { Authorization: `Basic ${btoa(`${apiKey}:`)}` },
          });
          expect(res.status).toBe(200);
          expect(res.headers.get('content-type')).toContain('image/png');
        }

        const worker = await api<{ location: [number, number] | null; onDuty: boolean }>('GET', `/api/v2/workers/${workerId}`);
        expect(worker.location).not.toBeNull();
        expect(worker.onDuty).toBe(true);
      },
      STEP_TIMEOUT,
    );

    test(
      'a task assigned now appears without reloading',
      async () => {
        const task = await api<Task>('POST', '/api/v2/tasks', {
          destination: { address: { unparsed: '1 Ferry Building, San Francisco' } },
          recipients: [{ name: 'Sam Reed' }],
        });
        await api('PUT', `/api/v2/containers/workers/${workerId}`, { tasks: [task.id] });
        // Live events bring it well before the 30-second refresh.
        await page.getByText('1 Ferry Building, San Francisco').waitFor({ timeout: 10_000 });
        expect(pageErrors).toEqual([]);
      },
      STEP_TIMEOUT,
    );
  });
}
