import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureWebBuild, repoRoot } from '../../scripts/build-web.mjs';
import { buildApp } from '../../src/server/app.ts';
import { loadConfig } from '../../src/server/config.ts';

export type Backend = 'sqlite' | 'postgres';

export interface RunningServer {
  url: string;
  backend: Backend;
  app: Awaited<ReturnType<typeof buildApp>>;
  close(): Promise<void>;
}

/** Backends to run the browser suite against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set. */
export function backends(): Backend[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A free TCP port on 127.0.0.1 (the OS picks one; it is closed again before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('Could not find a free port.'))));
    });
  });
}

/**
 * Starts a real Baton server in this process on its own data folder (SQLite) or its own
 * PostgreSQL schema. It serves the built web app from dist/web, built first when stale.
 */
export async function startServer(backend: Backend = 'sqlite', extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  // The global setup builds the app; this only checks (and builds when run without it).
  await ensureWebBuild({ log: (m) => console.log(m) });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let dropSchema: (() => Promise<void>) | null = null;
  const env: Record<string, string> = { DATA_DIR: dataDir, PORT: '0', RATE_LIMITS: 'off', LOG_LEVEL: 'warn', ...extraEnv };
  if (backend === 'postgres') {
    const { createTestSchema } = await import('../../test/helpers/db.ts');
    const schema = await createTestSchema();
    dropSchema = schema.drop;
    env.DATABASE_URL = schema.url;
  }
  const config = loadConfig(env, { publicUrl: url, passwordCost: 1024, webDir: path.join(repoRoot, 'dist/web') });
  const app = await buildApp(config);
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (err) {
    await app.close();
    throw err;
  }
  return {
    url,
    backend,
    app,
    async close() {
      await app.close();
      if (dropSchema) await dropSchema();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
