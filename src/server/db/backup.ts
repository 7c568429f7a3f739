import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';

/**
 * A consistent copy of a SQLite database that may be in use (SQLite's online backup: pages are
 * copied in steps, and restarted if a writer changes them meanwhile, so the copy is one moment's
 * state). Writers in the running server are never blocked for more than a step.
 */
export async function backupSqlite(source: string, target: string, onProgress?: (done: number, total: number) => void): Promise<{ bytes: number }> {
  if (!fs.existsSync(source)) throw new Error(`There is no database at ${source}.`);
  if (fs.existsSync(target)) throw new Error(`${target} exists already; name a new file.`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const db = new SQLite(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, {
      progress({ totalPages, remainingPages }) {
        onProgress?.(totalPages - remainingPages, totalPages);
        return 256;
      },
    });
  } finally {
    db.close();
  }
  // The copy stands alone: one file, no write-ahead log beside it.
  const copy = new SQLite(target);
  try {
    copy.pragma('journal_mode = DELETE');
    const ok = copy.pragma('quick_check', { simple: true });
    if (ok !== 'ok') throw new Error(`The copy failed its check: ${String(ok)}`);
  } finally {
    copy.close();
  }
  return { bytes: fs.statSync(target).size };
}
