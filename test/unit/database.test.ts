import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../src/server/db/database.ts';

describe('the embedded SQLite database', () => {
  let handle: DbHandle | null = null;
  let dir = '';
  afterEach(async () => {
    await handle?.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens with a write-ahead log, checked foreign keys, savepoint journals in memory and checkpoints every 10,000 pages (group commit)', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-db-'));
    handle = openDb({ databaseUrl: null, dataDir: dir });
    const pragma = async (name: string) => Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(handle!.db)).rows[0])[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    // NORMAL: durable at each checkpoint, consistent always (WAL)
    expect(await pragma('synchronous')).toBe(1);
    // MEMORY: a savepoint's sub-journal is never a file written page by page
    expect(await pragma('temp_store')).toBe(2);
    expect(await pragma('wal_autocheckpoint')).toBe(10000);
    expect(fs.existsSync(path.join(dir, 'baton.sqlite'))).toBe(true);
  });
});
