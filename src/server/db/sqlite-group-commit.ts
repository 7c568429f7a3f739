import type SQLite from 'better-sqlite3';
import { CompiledQuery, SelectQueryNode, SqliteDialect, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';

/**
 * SQLite with group commit.
 *
 * SQLite has one writer, and most of the cost of a small write transaction is its commit (the
 * pages it changed are appended to the WAL). When transactions queue up behind each other — many
 * orders arriving at once — this driver runs them back to back inside one SQLite transaction, each
 * in its own savepoint, and commits once at the end of the event loop's turn (or when the group
 * holds MAX_GROUP transactions or is MAX_GROUP_MS old):
 *
 * - a transaction that fails rolls back to its savepoint; the others are untouched;
 * - a transaction's `execute()` resolves only after the COMMIT that contains it, so nothing is
 *   acknowledged before it is durable; if that COMMIT fails, every transaction in it fails;
 * - a write outside a transaction first commits the open group (its caller is answered only after
 *   its own write is durable); a read outside a transaction runs inside the open group and may see
 *   rows of transactions whose commit is microseconds away — and that roll back only if the COMMIT
 *   itself fails (an I/O error);
 * - with one request at a time (light load) each transaction commits on its own, one turn of the
 *   event loop later;
 * - `beforeCommit` runs on the connection just before every COMMIT (a group's, or a write's outside a
 *   transaction, which then runs in a transaction of its own); if it throws, what would have been
 *   committed is rolled back and its callers fail.
 */
export class GroupCommitSqliteDialect extends SqliteDialect {
  constructor(
    private readonly database: SQLite.Database,
    private readonly opts: GroupCommitOptions = {},
  ) {
    super({ database });
  }

  override createDriver(): Driver {
    return new GroupCommitSqliteDriver(this.database, this.opts);
  }
}

export interface GroupCommitOptions {
  /** work to do in every transaction just before it commits (see migration 0015: the order search's pending rows) */
  beforeCommit?: () => void;
}

/** Statements that change rows (others, such as `pragma` or `vacuum`, must not be put in a transaction). */
const DML = /^\s*(insert|update|delete|replace|with)\b/i;

/** A group commits at the end of the event loop's turn, or once it holds this many transactions or is this old. */
const MAX_GROUP = 200;
const MAX_GROUP_MS = 20;

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

/** Makes row objects from the arrays a reading statement returns, with its column names as keys. */
class RowMaker {
  private build!: (values: unknown[]) => Record<string, unknown>;
  private width = -1;
  constructor(private readonly stmt: SQLite.Statement) {
    this.refresh();
  }

  /** (arrow: passed to `map` as it is) */
  make = (values: unknown[]): Record<string, unknown> => {
    // SQLite prepares a statement again by itself after a schema change, and `select *` may then
    // return other columns.
    if (values.length !== this.width) this.refresh();
    return this.build(values);
  };

  private refresh() {
    const names = this.stmt.columns().map((c) => c.name);
    this.width = names.length;
    // An object literal of fixed shape (quoted keys; a later column of the same name wins, as it
    // does in better-sqlite3's own objects). A column named __proto__ would set the prototype in a
    // literal: such a statement gets its objects from `Object.fromEntries`, which defines own keys.
    this.build = names.includes('__proto__')
      ? (values) => Object.fromEntries(names.map((n, i) => [n, values[i]]))
      : (new Function('v', `return {${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')}};`) as (values: unknown[]) => Record<string, unknown>);
  }
}

/** One holder of the single connection (a query, or a transaction from begin to commit). */
class Lease implements DatabaseConnection {
  /** between begin and commit/rollback */
  inTransaction = false;
  /** handed the connection on before its group committed */
  handedOn = false;
  constructor(private readonly driver: GroupCommitSqliteDriver) {}

  executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
    return Promise.resolve(this.driver.run<R>(this, q));
  }

  async *streamQuery<R>(q: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(q.query)) throw new Error('SQLite streams only select queries');
    const stmt = this.driver.statement(q.sql);
    this.driver.beforeStatement(this, stmt);
    const rows = this.driver.rowsOf(stmt);
    for (const row of stmt.iterate(q.parameters as unknown[])) yield { rows: [rows.make(row as unknown[]) as R] };
  }
}

export class GroupCommitSqliteDriver implements Driver {
  /** callers waiting for the connection, first come first served */
  private readonly queue: Array<{ lease: Lease; go: () => void }> = [];
  /**
   * Prepared statements by SQL text. Kysely prepares every query anew; its queries are
   * parameterised, so there are few distinct texts and each keeps its statement.
   */
  private readonly statements = new Map<string, SQLite.Statement>();
  /** how each reading statement's rows become objects (see `rowsOf`) */
  private readonly rowMakers = new WeakMap<SQLite.Statement, RowMaker>();
  private readonly controls = new Map<string, SQLite.Statement>();
  private holder: Lease | null = null;
  /** a SQLite transaction holding finished transactions that are not committed yet */
  private groupOpen = false;
  private waiters: Waiter[] = [];
  private groupStartedAt = 0;
  private commitScheduled = false;
  /** a commit is due when the transaction running now ends */
  private commitPending = false;

  constructor(
    private readonly db: SQLite.Database,
    private readonly opts: GroupCommitOptions = {},
  ) {}

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const lease = new Lease(this);
    if (!this.holder) {
      this.holder = lease;
      return lease;
    }
    await new Promise<void>((go) => this.queue.push({ lease, go }));
    return lease;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (lease.handedOn) return;
    this.handOn(lease);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    if (!this.groupOpen) {
      this.control('begin');
      this.groupOpen = true;
      this.groupStartedAt = performance.now();
    }
    this.control('savepoint baton_tx');
    lease.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    lease.inTransaction = false;
    this.control('release baton_tx');
    // Answer only once the group holding this transaction is committed. Until then, let the next
    // caller in: requests that arrive meanwhile join the same commit.
    const committed = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    lease.handedOn = true;
    this.handOn(lease);
    if (this.waiters.length >= MAX_GROUP || performance.now() - this.groupStartedAt > MAX_GROUP_MS) this.tryCommit();
    else this.scheduleCommit();
    await committed;
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const lease = connection as Lease;
    // A transaction whose group failed to commit was already rolled back with it.
    if (lease.handedOn) return;
    lease.inTransaction = false;
    if (this.db.inTransaction) {
      this.control('rollback to baton_tx');
      this.control('release baton_tx');
      if (this.commitPending) this.tryCommit();
    } else {
      // SQLite rolled the whole transaction back itself (e.g. an I/O error): the group is lost.
      this.failGroup(new Error('The database rolled back the transaction.'));
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.run(connection as Lease, CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.run(connection as Lease, CompiledQuery.raw(`rollback to "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    this.run(connection as Lease, CompiledQuery.raw(`release "${name}"`));
  }

  async destroy(): Promise<void> {
    this.tryCommit();
    this.db.close();
  }

  /** A write outside a transaction commits the open group first (it is answered as durable at once). */
  beforeStatement(lease: Lease, stmt: SQLite.Statement) {
    if (this.groupOpen && !lease.inTransaction && !stmt.reader) this.commitGroup();
  }

  /** Transaction control, prepared once (exec would parse it every time). */
  private control(sqlText: 'begin' | 'savepoint baton_tx' | 'release baton_tx' | 'rollback to baton_tx' | 'commit' | 'rollback') {
    let stmt = this.controls.get(sqlText);
    if (!stmt) {
      stmt = this.db.prepare(sqlText);
      this.controls.set(sqlText, stmt);
    }
    stmt.run();
  }

  /**
   * Rows of a reading statement come from SQLite as arrays and become objects in a function made
   * for its columns: better-sqlite3 builds an object property by property through V8's API, which
   * took about twice as long for a page of 64 tasks (38 columns) as reading the arrays and
   * building the objects from an object literal of fixed shape (docs/performance.md).
   */
  rowsOf(stmt: SQLite.Statement): RowMaker {
    let rows = this.rowMakers.get(stmt);
    if (!rows) {
      stmt.raw(true);
      rows = new RowMaker(stmt);
      this.rowMakers.set(stmt, rows);
    }
    return rows;
  }

  statement(sqlText: string): SQLite.Statement {
    let stmt = this.statements.get(sqlText);
    if (!stmt) {
      stmt = this.db.prepare(sqlText);
      // Schema changes (migrations) invalidate prepared statements.
      if (/^\s*(create|alter|drop)\b/i.test(sqlText)) {
        this.statements.clear();
        return stmt;
      }
      if (this.statements.size >= 2000) this.statements.clear();
      this.statements.set(sqlText, stmt);
    }
    return stmt;
  }

  run<R>(lease: Lease, q: CompiledQuery): QueryResult<R> {
    const stmt = this.statement(q.sql);
    this.beforeStatement(lease, stmt);
    const params = q.parameters as unknown[];
    if (stmt.reader) {
      const rows = this.rowsOf(stmt);
      return { rows: (stmt.all(params) as unknown[][]).map(rows.make) as R[] };
    }
    const { changes, lastInsertRowid } = this.opts.beforeCommit && !lease.inTransaction && DML.test(stmt.source) ? this.runAlone(stmt, params) : stmt.run(params);
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    };
  }

  /** A write outside a transaction, in a transaction of its own so that `beforeCommit` runs with it. */
  private runAlone(stmt: SQLite.Statement, params: unknown[]): SQLite.RunResult {
    if (this.db.inTransaction) return stmt.run(params); // (SQL `begin` run by the caller itself)
    this.control('begin');
    try {
      const result = stmt.run(params);
      this.opts.beforeCommit!();
      this.control('commit');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.control('rollback');
      throw err;
    }
  }

  private handOn(lease: Lease) {
    if (this.holder !== lease) return;
    const next = this.queue.shift();
    if (next) {
      this.holder = next.lease;
      next.go();
      return;
    }
    this.holder = null;
    if (this.commitPending) this.tryCommit();
  }

  /** Commits at the end of this turn of the event loop (after the requests that have arrived). */
  private scheduleCommit() {
    if (this.commitScheduled) return;
    this.commitScheduled = true;
    setImmediate(() => {
      this.commitScheduled = false;
      this.tryCommit();
    });
  }

  /** Commits now, or as soon as the transaction running now ends. */
  private tryCommit() {
    if (!this.groupOpen) return;
    if (this.holder?.inTransaction) {
      this.commitPending = true;
      return;
    }
    this.commitPending = false;
    this.commitGroup();
  }

  /**
   * Commits the open group and settles the transactions waiting for it. Returns the error when the
   * commit failed (everything in the group is rolled back and its waiters fail with it).
   */
  private commitGroup(): unknown {
    const waiters = this.waiters;
    this.waiters = [];
    this.groupOpen = false;
    try {
      this.opts.beforeCommit?.();
      this.control('commit');
    } catch (err) {
      try {
        if (this.db.inTransaction) this.control('rollback');
      } catch {
        /* nothing more to undo */
      }
      for (const w of waiters) w.reject(err);
      return err;
    }
    for (const w of waiters) w.resolve();
    return null;
  }

  private failGroup(err: unknown) {
    const waiters = this.waiters;
    this.waiters = [];
    this.groupOpen = false;
    for (const w of waiters) w.reject(err);
  }
}
