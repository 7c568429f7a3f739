import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../src/server/db/database.ts';
import { migrateToLatest } from '../../src/server/db/migrate.ts';
import { BackgroundCheckpoints } from '../../src/server/db/sqlite-checkpoints.ts';

/**
 * SQLite's write-ahead log is copied into the database file from a thread of its own
 * (db/sqlite-checkpoints.ts): the server's connection, whose commits would otherwise stop every
 * request while it checkpoints, is left with little to do.
 */
const dirs: string[] = [];
function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-wal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function until(what: string, check: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SQLite checkpoints beside the server’s connection', () => {
  it('copies committed pages into the database file before the connection’s own threshold, and the data reads whole', async () => {
    const dir = tempDir();
    const handle = openDb({ databaseUrl: null, dataDir: dir, sqliteCheckpoints: { intervalMs: 20, minWalBytes: 256 * 1024 } });
    const file = path.join(dir, 'baton.sqlite');
    try {
      await migrateToLatest(handle.db);
      const before = fs.statSync(file).size;
      // ~2 MB of history in 20 transactions: far below the connection's own 10,000 pages (~40 MB)
      const note = 'x'.repeat(1_000);
      for (let t = 0; t < 20; t++) {
        await handle.db.transaction().execute(async (trx) => {
          const rows = Array.from({ length: 100 }, (_, i) => ({
            id: `wal-${String(t * 100 + i).padStart(6, '0')}`.padEnd(24, '0'),
            organization_id: 'org',
            actor_id: null,
            actor_label: 'test',
            action: 'task.updated',
            subject_type: 'task',
            subject_id: `task-${t}-${i}`,
            data: note,
            time_created: t * 100 + i,
          }));
          await trx.insertInto('audit_log').values(rows).execute();
        });
      }
      const stats = handle.sqliteCheckpoints!;
      await until('a background checkpoint caught up with the log', () => stats.runs > 0 && stats.checkpointed === stats.log && stats.log > 0);
      expect(stats.failed).toBeNull();
      // the database file itself now holds the rows' pages
      expect(fs.statSync(file).size).toBeGreaterThan(before + 1_500_000);
      const { n } = await handle.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBe(2_000);
    } finally {
      await handle.destroy();
    }
    // the thread closed its connection first: the server's close was the last and removed the log
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    const again = openDb({ databaseUrl: null, dataDir: dir });
    try {
      const { n } = await again.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(n)).toBe(2_000);
    } finally {
      await again.destroy();
    }
  });

  it('stops by itself when its thread cannot open the database, without stopping the server', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'missing.sqlite');
    // a log with no database beside it: the thread's connection cannot open the file
    fs.writeFileSync(`${file}-wal`, Buffer.alloc(64 * 1024));
    const checkpoints = new BackgroundCheckpoints(file, { intervalMs: 20, minWalBytes: 1024 });
    try {
      await until('the failure is recorded', () => checkpoints.stats.failed !== null);
      expect(checkpoints.stats.failed).toMatch(/^cannot open .*missing\.sqlite/);
      expect(checkpoints.stats.runs).toBe(0);
    } finally {
      await checkpoints.close();
    }
  });
});
