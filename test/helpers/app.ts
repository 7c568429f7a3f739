import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { openDb } from '../../src/server/db/database.ts';
import { createTestSchema, PG_URL, type Dialect } from './db.ts';

export const PUBLIC_URL = 'http://baton.test';

export type Creds = { apiKey: string } | { cookie: string } | { bearer: string } | null;

export interface TestApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  dialect: Dialect;
  config: Readonly<Config>;
  dataDir: string;
  /** an HTTP call through inject(); `as` picks the credentials */
  call(method: InjectOptions['method'], url: string, opts?: { as?: Creds; body?: unknown; headers?: Record<string, string> }): Promise<Res>;
  close(): Promise<void>;
}

export interface Res {
  status: number;
  body: any;
  headers: LightMyRequestResponse['headers'];
  cookies: LightMyRequestResponse['cookies'];
}

export function authHeaders(as: Creds | undefined): Record<string, string> {
  if (!as) return {};
  if ('apiKey' in as) return { authorization: `Basic ${Buffer.from(`${as.apiKey}:`).toString('base64')}` };
  if ('bearer' in as) return { authorization: `Bearer ${as.bearer}` };
  return { cookie: `baton_session=${as.cookie}`, origin: PUBLIC_URL };
}

/** Where a test app keeps its data, when not on a fresh database of its own; what is given here is kept on close. */
export interface TestAppPlace {
  /** an existing data folder (its SQLite file) */
  dataDir?: string;
  /** an existing PostgreSQL schema */
  pgSchema?: string;
  /** PostgreSQL at another address than PG_URL (e.g. through a proxy) */
  pgUrl?: string;
  /** run the background loops (delivery, jobs) on their timers; by default tests drive them with flush() */
  background?: boolean;
}

/** Builds a real app on a fresh database of the given dialect (its own SQLite file or PostgreSQL schema). */
export async function createTestApp(dialect: Dialect, env: Record<string, string> = {}, overrides: Partial<Config> = {}, place: TestAppPlace = {}): Promise<TestApp> {
  const dataDir = place.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-'));
  const config = loadConfig(
    { DATA_DIR: dataDir, RATE_LIMITS: 'on', ...env },
    { publicUrl: PUBLIC_URL, passwordCost: 1024, logLevel: 'silent', ...overrides },
  );
  let dropSchema: (() => Promise<void>) | null = null;
  let handle;
  if (dialect === 'postgres') {
    let pgSchema = place.pgSchema;
    if (!pgSchema) {
      const s = await createTestSchema();
      dropSchema = s.drop;
      pgSchema = s.schema;
    }
    handle = openDb({ databaseUrl: place.pgUrl ?? PG_URL, dataDir, pgSchema, poolSize: 5 });
  } else {
    handle = openDb({ databaseUrl: null, dataDir });
  }
  const app = await buildApp(config, { db: handle, logger: false, background: place.background ?? false });
  await app.ready();
  return {
    app,
    dialect,
    config,
    dataDir,
    async call(method, url, opts = {}) {
      const res = await app.inject({
        method,
        url,
        headers: { ...authHeaders(opts.as), ...(opts.headers ?? {}) },
        ...(opts.body !== undefined ? { payload: opts.body as InjectOptions['payload'] } : {}),
      });
      let body: unknown = res.body;
      if ((res.headers['content-type'] ?? '').toString().includes('json') && res.body) body = JSON.parse(res.body);
      else if (res.body === '' || res.body === 'null') body = null;
      return { status: res.statusCode, body, headers: res.headers, cookies: res.cookies };
    },
    async close() {
      await app.close();
      await handle.destroy();
      if (dropSchema) await dropSchema();
      if (!place.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}.${process.pid}.${++seq}.${Date.now()}@example.test`;

/** Creates a courier organization through the real sign-up path; returns its owner's cookie and an API key. */
export async function signUpCourier(t: TestApp, name = 'Acme Couriers') {
  const email = uniqueEmail('owner');
  const password = 'correct horse battery staple';
  let res: Res;
  const { createCourier } = await import('../../src/server/modules/auth/auth.service.ts');
  const created = await t.app.ctx.db
    .transaction()
    .execute((trx) => createCourier(trx, { now: Date.now(), passwordCost: 1024 }, { organizationName: name, name: 'Owner', email, password }, true));
  res = await t.call('POST', '/api/v2/session', { body: { email, password } });
  if (res.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(res.body)}`);
  const cookie = res.cookies.find((c) => c.name === 'baton_session')!.value;
  return {
    organizationId: created.organizationId,
    userId: created.userId,
    email,
    password,
    apiKey: { apiKey: created.apiKey! } as Creds,
    session: { cookie } as Creds,
  };
}
