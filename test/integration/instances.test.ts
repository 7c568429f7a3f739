import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';
import { openDb } from '../../src/server/db/database.ts';
import { createTestSchema, PG_URL, postgresAvailable } from '../helpers/db.ts';
import { startWebhookReceiver } from '../helpers/webhooks.ts';

/**
 * Two Baton processes' worth of server (two apps, two connection pools, their own background
 * workers) on one PostgreSQL, as behind a load balancer: live updates cross between them, and the
 * webhook outbox is shared without losing or repeating a delivery.
 */
const hasPg = await postgresAvailable();

describe.skipIf(!hasPg)('several instances on one PostgreSQL', () => {
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  const apps: Array<Awaited<ReturnType<typeof buildApp>>> = [];
  const handles: Array<ReturnType<typeof openDb>> = [];
  const urls: string[] = [];
  let rx: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let key = '';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-instances-'));

  const call = async (instance: number, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${urls[instance]}${url}`, {
      method,
      headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };

  beforeAll(async () => {
    rx = await startWebhookReceiver();
    schema = await createTestSchema();
    for (let i = 0; i < 2; i++) {
      const config = loadConfig(
        { DATA_DIR: dataDir, ALLOW_PRIVATE_WEBHOOK_TARGETS: '1', WEBHOOK_RETRY_BASE_MS: '50', RATE_LIMITS: 'off', LOG_LEVEL: 'silent' },
        { publicUrl: 'http://baton.test', passwordCost: 1024, logLevel: 'silent' },
      );
      const handle = openDb({ databaseUrl: PG_URL, dataDir, pgSchema: schema.schema, poolSize: 5 });
      handles.push(handle);
      // the first instance migrates; the second starts on the migrated schema
      const app = await buildApp(config, { db: handle, logger: false, migrate: i === 0 });
      apps.push(app);
      urls.push(await app.listen({ port: 0, host: '127.0.0.1' }));
    }
    const { createCourier } = await import('../../src/server/modules/auth/auth.service.ts');
    const created = await apps[0].ctx.db
      .transaction()
      .execute((trx) => createCourier(trx, { now: Date.now(), passwordCost: 1024 }, { organizationName: 'Twin Couriers', name: 'Owner', email: `twin.${Date.now()}@example.test`, password: 'correct horse battery staple' }, true));
    key = created.apiKey ?? '';
    expect(key, 'createCourier(…, true) returns an API key').not.toBe('');
  }, 60_000);

  afterAll(async () => {
    for (const app of apps) await app.close();
    for (const h of handles) await h.destroy();
    await schema?.drop();
    await rx?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('an event made on one instance reaches a live-updates client of the other', async () => {
    const abort = new AbortController();
    const res = await fetch(`${urls[1]}/api/v2/events`, { headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` }, signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => null);
        if (!chunk || chunk.done) return;
        text += Buffer.from(chunk.value).toString('utf8');
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const task = await call(0, 'POST', '/api/v2/tasks', { destination: { address: { unparsed: '1 Twin Street' } } });
    expect(task.status).toBe(200);
    const deadline = Date.now() + 5000;
    while (!text.includes(task.body.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await reading;
    expect(text).toContain('event: task.created');
    expect(text).toContain(task.body.id);
  });

  it('delivers 1,000 webhook events exactly once while both instances deliver', async () => {
    const hook = await call(1, 'POST', '/api/v2/webhooks', { url: rx.url('/twins'), name: 'Twins', trigger: 6 });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    // half the tasks through each instance, 100 per batch
    const created: string[] = [];
    await Promise.all(
      Array.from({ length: 10 }, async (_, b) => {
        const res = await call(b % 2, 'POST', '/api/v2/tasks/batch', { tasks: Array.from({ length: 100 }, (_, i) => ({ destination: { address: { unparsed: `${b * 100 + i} Batch Lane` } } })) });
        expect(res.status).toBe(200);
        expect(res.body.errors).toEqual([]);
        created.push(...res.body.tasks.map((x: { id: string }) => x.id));
      }),
    );
    expect(created).toHaveLength(1000);
    const deadline = Date.now() + 60_000;
    while (rx.received.filter((r) => r.path === '/twins').length < 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const got = rx.received.filter((r) => r.path === '/twins').map((r) => r.json.taskId as string);
    expect(got).toHaveLength(1000);
    expect(new Set(got)).toEqual(new Set(created));
    // one attempt per event: no delivery was claimed by both instances
    const attempts = await apps[0].ctx.db.selectFrom('webhook_attempts').select('id').execute();
    expect(attempts).toHaveLength(1000);
  }, 90_000);
});
