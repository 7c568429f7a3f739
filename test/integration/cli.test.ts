import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/server/db/database.ts';
import { sha256 } from '../../src/server/lib/crypto.ts';
import { createTestSchema, dialects } from '../helpers/db.ts';

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
