import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The thread's code (plain CommonJS, run with `eval`, so it is the same from the TypeScript sources and
 * from the compiled server): its own connection to the database, and a PASSIVE checkpoint whenever
 * asked. PASSIVE neither waits for nor blocks the writer: pages committed meanwhile are left for the
 * next one.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const message = (err) => String((err && err.message) || err);
let db = null;
try {
  db = new Database(workerData.file, { fileMustExist: true });
} catch (err) {
  parentPort.postMessage({ error: 'cannot open ' + workerData.file + ': ' + message(err) });
}
parentPort.on('message', (m) => {
  if (m === 'close') {
    if (db) db.close();
    parentPort.close();
    return;
  }
  if (!db) return;
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (err) {
    parentPort.postMessage({ error: message(err) });
  }
});
`;

export interface CheckpointStats {
  /** checkpoints run in the background thread */
  runs: number;
  /** after the last one: pages in the log, and how many of them are in the database file */
  log: number;
  checkpointed: number;
  /** why background checkpoints stopped (the connection's own checkpoints carry on), or null */
  failed: string | null;
}

/**
 * Checkpoints the write-ahead log of a SQLite database from a thread of its own.
 *
 * SQLite copies the log's pages into the database file (a checkpoint) on the connection whose commit
 * takes the log past `wal_autocheckpoint` pages — here the server's one connection, on its main
 * thread, so every request waits while thousands of pages are copied and the file is synced: during
 * order intake a commit that checkpointed took ~46 ms against ~1.3 ms for one that did not, and those
 * pauses made the p99 (docs/performance.md). While the log grows, this checks it every `intervalMs`
 * and, once it is past `minWalBytes` and has been written since the last look, asks the thread to
 * checkpoint. The connection's own checkpoint stays as the backstop; it finds the pages already copied
 * and has little left to do. The thread starts on first need (a quiet database never starts it).
 */
export class BackgroundCheckpoints {
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout;
  private busy = false;
  private lastSeen = 0;
  private closing: Promise<void> | null = null;
  readonly stats: CheckpointStats = { runs: 0, log: 0, checkpointed: 0, failed: null };

  constructor(
    private readonly file: string,
    private readonly opts: { intervalMs?: number; minWalBytes?: number } = {},
  ) {
    this.timer = setInterval(() => this.look(), opts.intervalMs ?? 200);
    this.timer.unref();
  }

  /** Ends the thread (its connection closed first, so the server's close can remove the log). */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    clearInterval(this.timer);
    const worker = this.worker;
    this.worker = null;
    if (!worker) return (this.closing = Promise.resolve());
    this.closing = new Promise<void>((resolve) => {
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      worker.once('exit', () => {
        clearTimeout(timeout);
        resolve();
      });
      worker.postMessage('close');
    });
    return this.closing;
  }

  private look() {
    if (this.busy || this.stats.failed || this.closing) return;
    let wal: fs.Stats;
    try {
      wal = fs.statSync(`${this.file}-wal`);
    } catch {
      return; // no log yet
    }
    if (wal.size < (this.opts.minWalBytes ?? 4 * 1024 * 1024) || wal.mtimeMs === this.lastSeen) return;
    this.lastSeen = wal.mtimeMs;
    this.busy = true;
    this.thread().postMessage('checkpoint');
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(THREAD, { eval: true, workerData: { driver, file: this.file } });
    worker.unref();
    worker.on('message', (m: { log: number; checkpointed: number } | { error: string }) => {
      this.busy = false;
      if ('error' in m) return this.fail(m.error);
      this.stats.runs++;
      this.stats.log = m.log;
      this.stats.checkpointed = m.checkpointed;
    });
    worker.on('error', (err: unknown) => this.fail(String((err as Error)?.message ?? err)));
    worker.on('exit', () => {
      if (this.worker === worker && !this.closing) this.fail('the checkpoint thread stopped');
    });
    return (this.worker = worker);
  }

  private fail(reason: string) {
    this.busy = false;
    if (this.stats.failed) return;
    this.stats.failed = reason;
    clearInterval(this.timer);
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }
}
