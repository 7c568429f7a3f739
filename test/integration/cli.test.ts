import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/server/db/database.ts';
import { sha256 } from '../../src/server/lib/crypto.ts';
import { createTestApp, signUpCourier } from '../helpers/app.ts';
import { createTestSchema, dialects } from '../helpers/db.ts';
import { acceptedClient, order } from '../helpers/world.ts';

const run = promisify(execFile);
const ds = await dialects();
const BIN = path.resolve('bin/baton.mjs');

describe.each(ds)('the baton command (%s)', (dialect) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-cli-'));
  let schema: Awaited<ReturnType<typeof createTestSchema>> | null = null;
  const env = async () => {
    if (dialect === 'postgres' && !schema) schema = await createTestSchema();
    return { ...process.env, DATA_DIR: dataDir, ...(schema ? { DATABASE_URL: schema.url } : { DATABASE_URL: '' }), LOG_LEVEL: 'silent' };
  };
  afterAll(async () => {
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates, then org create --api-key --json prints only the ids and a working key', async () => {
    const m = await run('node', [BIN, 'migrate'], { env: await env() });
    expect(m.stderr).toMatch(/Applied: 0001_foundation|up to date/);
    const { stdout } = await run(
      'node',
      [BIN, 'org', 'create', '--name', 'Night Owl Couriers', '--email', 'owner@nightowl.test', '--password', 'a long enough password', '--api-key', '--json'],
      { env: await env() },
    );
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(['apiKey', 'organizationId', 'userId']);
    expect(out.organizationId).toMatch(/^[A-Za-z0-9~*]{24}$/);
    expect(stdout.trim().split('\n')).toHaveLength(1);

    const handle = openDb(
      dialect === 'postgres' ? { databaseUrl: schema!.url, dataDir } : { databaseUrl: null, dataDir },
    );
    try {
      const org = await handle.db.selectFrom('organizations').selectAll().where('id', '=', out.organizationId).executeTakeFirstOrThrow();
      expect(org.name).toBe('Night Owl Couriers');
      const keys = await handle.db.selectFrom('api_keys').select('key_hash').where('organization_id', '=', out.organizationId).execute();
      expect(keys).toHaveLength(1);
      // stored only as its hash, and the printed key is the one stored
      expect(keys[0].key_hash).toBe(sha256(out.apiKey));
    } finally {
      await handle.destroy();
    }
  });

  it('refuses a duplicate owner email and bad arguments with a message and a non-zero exit', async () => {
    const dup = await run(
      'node',
      [BIN, 'org', 'create', '--name', 'Again', '--email', 'owner@nightowl.test', '--password', 'a long enough password', '--json'],
      { env: await env() },
    ).catch((e) => e);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
    expect(dup.stdout).toBe('');
    const missing = await run('node', [BIN, 'org', 'create', '--name', 'X'], { env: await env() }).catch((e) => e);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--email/);
  });
});

describe('baton backup', () => {
  it('copies the SQLite database while orders pour in; the copy, restored, has every order answered before it began', async () => {
    const t = await createTestApp('sqlite', { RATE_LIMITS: 'off' });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-backup-'));
    try {
      const courier = await signUpCourier(t);
      const shop = await acceptedClient(t, courier, 'Backup Bakery');
      for (let i = 0; i < 30; i++) expect((await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(i) })).status).toBe(201);
      // orders keep arriving while the backup runs
      const before = new Set<string>((await t.call('GET', '/api/v2/taskOrders', { as: shop.apiKey })).body.orders.map((o: { shortId: string }) => o.shortId));
      expect(before.size).toBe(30);
      let writing = true;
      const writer = (async () => {
        let n = 0;
        while (writing) {
          expect((await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(100 + n++) })).status).toBe(201);
        }
        return n;
      })();
      const file = path.join(out, 'copy.sqlite');
      const res = await run('node', [BIN, 'backup', file], { env: { ...process.env, DATA_DIR: t.dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' } });
      writing = false;
      expect(await writer).toBeGreaterThan(0);
      expect(res.stderr).toMatch(/Backed up .* to .*copy\.sqlite/);
      expect(fs.existsSync(`${file}-wal`)).toBe(false);

      // a second backup to the same file is refused
      const again = await run('node', [BIN, 'backup', file], { env: { ...process.env, DATA_DIR: t.dataDir, DATABASE_URL: '' } }).catch((e) => e);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/exists already/);

      // restore: the copy becomes a data folder's database, and Baton serves it
      const restoredDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-restored-'));
      fs.copyFileSync(file, path.join(restoredDir, 'baton.sqlite'));
      const handle = openDb({ databaseUrl: null, dataDir: restoredDir });
      try {
        const orders = await handle.db.selectFrom('orders').select(['short_id', 'pickup_task_id', 'dropoff_task_id']).execute();
        const shortIds = new Set(orders.map((o) => o.short_id));
        for (const s of before) expect(shortIds.has(s)).toBe(true);
        // one moment's state: every order has both tasks, and every order task its order
        const tasks = await handle.db.selectFrom('tasks').select(['id', 'order_id']).where('order_id', 'is not', null).execute();
        const taskIds = new Set(tasks.map((x) => x.id));
        for (const o of orders) expect(taskIds.has(o.pickup_task_id) && taskIds.has(o.dropoff_task_id)).toBe(true);
        const orderIds = new Set((await handle.db.selectFrom('orders').select('id').execute()).map((o) => o.id));
        for (const x of tasks) expect(orderIds.has(x.order_id!)).toBe(true);
      } finally {
        await handle.destroy();
      }
      const restored = await run('node', [BIN, 'migrate'], { env: { ...process.env, DATA_DIR: restoredDir, DATABASE_URL: '' } });
      expect(restored.stderr).toMatch(/up to date/);
      fs.rmSync(restoredDir, { recursive: true, force: true });
    } finally {
      await t.close();
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('on PostgreSQL points to pg_dump', async () => {
    const res = await run('node', [BIN, 'backup', '/tmp/never.sqlite'], { env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' } }).catch((e) => e);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/pg_dump/);
  });
});
