import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDb, type DbHandle } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';

/**
 * PostgreSQL for tests: TEST_DATABASE_URL, or the local server at 127.0.0.1:5432 (database "test").
 * Locally a missing server skips the PostgreSQL half of the suite with a loud warning; under CI it fails.
 */
export const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

let probed: Promise<boolean> | null = null;

export function postgresAvailable(): Promise<boolean> {
  probed ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (process.env.CI) {
        throw new Error(`PostgreSQL is required in CI but ${PG_URL} is unreachable: ${(err as Error).message}`);
      }
      console.warn(
        `\n!!! PostgreSQL at ${PG_URL} is unreachable (${(err as Error).message}).\n!!! The PostgreSQL half of the integration tests is SKIPPED. Set TEST_DATABASE_URL to run it.\n`,
      );
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return probed;
}

export type Dialect = 'sqlite' | 'postgres';

export async function dialects(): Promise<Dialect[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A fresh schema for one test run; drop() removes it. */
export async function createTestSchema(): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    async drop() {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/** A migrated database of its own on either dialect (a fresh SQLite folder, or a fresh PostgreSQL schema); close() removes it. */
export async function openMigratedDb(dialect: Dialect): Promise<{ handle: DbHandle; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-db-'));
  const schema = dialect === 'postgres' ? await createTestSchema() : null;
  const handle = schema ? openDb({ databaseUrl: PG_URL, dataDir: dir, pgSchema: schema.schema, poolSize: 2 }) : openDb({ databaseUrl: null, dataDir: dir });
  await migrateToLatest(handle.db);
  return {
    handle,
    async close() {
      await handle.destroy();
      await schema?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
