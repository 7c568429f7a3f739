import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, sql } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';
import { announcer, EVENTS_CHANNEL } from './announce.ts';
import { BatchingPostgresDialect } from './pg-batched-writes.ts';
import { usePreparedStatements } from './pg-prepared.ts';
import { BackgroundCheckpoints, type CheckpointStats } from './sqlite-checkpoints.ts';
import { GroupCommitSqliteDialect } from './sqlite-group-commit.ts';
import { orderSearchAtCommit } from './order-search-pending.ts';

export type Db = Kysely<Database>;
export type DialectName = 'sqlite' | 'postgres';

// PostgreSQL returns int8 (bigint) as strings; every bigint here is a Unix-ms time or a count that fits a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface DbHandle {
  db: Db;
  dialect: DialectName;
  /** where the SQLite file lives (null for PostgreSQL) */
  sqlitePath: string | null;
  /**
   * PostgreSQL only: calls `onNotify` whenever another connection (any instance) runs
   * `pg_notify(channel, <this schema>)`. The dedicated connection reconnects by itself.
   */
  listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  /** SQLite in a file: the checkpoints run beside the server's connection (db/sqlite-checkpoints.ts) */
  sqliteCheckpoints?: CheckpointStats;
  destroy(): Promise<void>;
}

export interface OpenDbOptions {
  databaseUrl: string | null;
  dataDir: string;
  /** PostgreSQL schema to use (tests give each run its own) */
  pgSchema?: string;
  /** SQLite file name inside dataDir, or ':memory:' */
  sqliteFile?: string;
  poolSize?: number;
  /** PostgreSQL: named prepared statements (default on) */
  preparedStatements?: boolean;
  /** SQLite in a file: when its log is checkpointed from a thread of its own (tests make it sooner) */
  sqliteCheckpoints?: { intervalMs?: number; minWalBytes?: number };
}

/** PostgreSQL: the `application_name` of the connection that listens for announced events */
export const LISTENER_NAME = 'baton events listener';

export function openDb(opts: OpenDbOptions): DbHandle {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
    });
    // A client losing its connection emits 'error', which would crash the process without a listener:
    // the pool handles idle clients', and this every client's while it is checked out (its query
    // fails with the error, and the pool drops the broken client when it comes back).
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    if (opts.preparedStatements !== false) usePreparedStatements(pool);
    // A transaction's plain inserts reach PostgreSQL together, as one statement (docs/decisions/0014);
    // a committed transaction that recorded events is announced to every instance after it (0018).
    // Announcements go out on the connection that listens for them, once there is one, rather than
    // waiting behind requests for a connection of the pool.
    let listening: pg.PoolClient | null = null;
    const committed = { tables: new Set(['events']), then: announcer((text) => (listening ?? pool).query(text), EVENTS_CHANNEL) };
    const db = new Kysely<Database>({ dialect: new BatchingPostgresDialect({ pool, committed }) });
    const listen = async (channel: string, onNotify: () => void) => {
      let stopped = false;
      let current: { release(): boolean } | null = null;
      const connect = async (): Promise<void> => {
        if (stopped) return;
        let c: pg.PoolClient | null = null;
        let released = false;
        // The connection is closed once, whatever ends it: a failure while connecting or listening,
        // the connection dropping later (then a new one is tried a second later), or stop.
        const release = () => {
          if (released) return false;
          released = true;
          if (current?.release === release) current = null;
          if (listening === c) listening = null;
          c?.release(true);
          return true;
        };
        const retry = () => {
          if (release() && !stopped) setTimeout(() => void connect(), 1000).unref();
        };
        try {
          c = await pool.connect();
          c.on('error', retry);
          const schema = (await c.query('select current_schema() as s')).rows[0].s as string;
          c.on('notification', (n) => {
            if (n.channel === channel && n.payload === schema) onNotify();
          });
          await c.query(`LISTEN ${channel}`);
          // named, so that it can be told apart in pg_stat_activity (it also sends the announcements)
          await c.query(`set application_name = '${LISTENER_NAME}'`);
          if (released) return;
          if (stopped) {
            release();
            return;
          }
          current = { release };
          listening = c;
          // Events committed while the connection was down are picked up by the caller's own polling.
          onNotify();
        } catch {
          retry();
        }
      };
      await connect();
      return async () => {
        stopped = true;
        current?.release();
      };
    };
    return { db, dialect: 'postgres', sqlitePath: null, listen, destroy: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? 'baton.sqlite';
  let sqlitePath: string | null = null;
  if (file !== ':memory:') {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    sqlitePath = path.join(opts.dataDir, file);
  }
  const database = new SQLite(sqlitePath ?? ':memory:');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  // Group commit runs each transaction in a savepoint, and SQLite saves a page that an earlier
  // transaction of the group already changed to the savepoint's sub-journal before changing it
  // again. That journal is a temporary file (written with a system call per page once it passes
  // 64 KiB) unless temporary storage is memory: order intake spent a fifth of its time there
  // (docs/decisions/0009).
  database.pragma('temp_store = MEMORY');
  // Checkpoint the write-ahead log every 10,000 pages (~40 MB) instead of 1,000: a busy hour rewrites
  // the same pages (the newest rows' leaves, the search index) commit after commit, and each
  // checkpoint copies a page once however often it changed. Group commits took about a third less
  // time (docs/decisions/0009 on what it means for durability).
  database.pragma('wal_autocheckpoint = 10000');
  // … and copy the log's pages into the database file from a thread of its own, so a commit seldom
  // has to (docs/decisions/0016).
  const checkpoints = sqlitePath ? new BackgroundCheckpoints(sqlitePath, opts.sqliteCheckpoints) : null;
  const db = new Kysely<Database>({ dialect: new GroupCommitSqliteDialect(database, { beforeCommit: orderSearchAtCommit(database) }) });
  const destroy = async () => {
    await checkpoints?.close();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', sqlitePath, ...(checkpoints ? { sqliteCheckpoints: checkpoints.stats } : {}), destroy };
}

export function openDbFromConfig(config: Config): DbHandle {
  return openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, preparedStatements: config.databasePreparedStatements, poolSize: config.databasePoolSize });
}

const postgresAdapters = new WeakMap<object, boolean>();
/** Which dialect a Kysely instance (or transaction) speaks, for the few queries that differ. */
export function isPostgresDb(db: Db): boolean {
  const adapter = db.getExecutor().adapter;
  let pg = postgresAdapters.get(adapter);
  if (pg === undefined) {
    pg = adapter.constructor.name.startsWith('Postgres');
    postgresAdapters.set(adapter, pg);
  }
  return pg;
}

export async function pingDb(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/** True when the error is a unique-constraint violation on either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
