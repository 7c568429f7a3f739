import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type OperationNode,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * PostgreSQL: inside a transaction, plain inserts are held back and sent together, as one statement,
 * when something needs them — a read of a table they write, any other kind of statement, or the
 * commit. A courier's order is six inserts (tasks, their dependency, the order, its events, their
 * webhook deliveries, the history); each alone is a round trip between Baton and PostgreSQL, which on
 * a busy hour cost more than the inserts themselves (docs/decisions/0014).
 *
 * Only what cannot change the transaction's course is held: an insert with no `returning`, no
 * `on conflict` and no `with` clause of its own. Its answer (the rows it adds) is known without
 * running it; an insert that fails makes the statement that carries it fail, and with it the
 * transaction, as it would have anyway (PostgreSQL aborts a transaction at its first error). Two
 * inserts into one table are never in one statement, so rows keep the order they were written in
 * (events' sequence numbers follow it). A read that touches none of the held tables runs first: it
 * would see the same rows either way. Outside transactions every statement runs at once.
 */
export class BatchingPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new BatchingDriver(super.createDriver());
  }
}

class BatchingDriver implements Driver {
  readonly #inner: Driver;
  readonly #wrappers = new WeakMap<DatabaseConnection, BatchingConnection>();

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init() {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    let wrapper = this.#wrappers.get(inner);
    if (!wrapper) {
      wrapper = new BatchingConnection(inner);
      this.#wrappers.set(inner, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const c = connection as BatchingConnection;
    await this.#inner.beginTransaction(c.inner, settings);
    c.holding = true;
  }

  async commitTransaction(connection: DatabaseConnection) {
    const c = connection as BatchingConnection;
    c.holding = false;
    await c.flush();
    await this.#inner.commitTransaction(c.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    const c = connection as BatchingConnection;
    c.holding = false;
    c.discard();
    await this.#inner.rollbackTransaction(c.inner);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    const c = connection as BatchingConnection;
    await c.flush();
    await this.#inner.savepoint!(c.inner, name, compileQuery);
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2]) {
    const c = connection as BatchingConnection;
    // what was held since the savepoint was never sent; what was held before it is lost with it too,
    // so it is sent first
    await c.flush();
    await this.#inner.rollbackToSavepoint!(c.inner, name, compileQuery);
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['releaseSavepoint']>>[2]) {
    const c = connection as BatchingConnection;
    await c.flush();
    await this.#inner.releaseSavepoint!(c.inner, name, compileQuery);
  }

  async releaseConnection(connection: DatabaseConnection) {
    const c = connection as BatchingConnection;
    c.holding = false;
    c.discard();
    await this.#inner.releaseConnection(c.inner);
  }

  destroy() {
    return this.#inner.destroy();
  }
}

/** PostgreSQL's limit on one statement's parameters (a bulk load's large inserts are sent apart beyond it) */
const MAX_PARAMETERS = 65_535;

interface Held {
  query: CompiledQuery;
  table: string;
}

class BatchingConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;
  holding = false;
  #held: Held[] = [];
  /** parameters of what is held */
  #parameters = 0;

  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.holding) {
      const table = holdableInsert(query);
      if (table !== null) {
        if (this.#held.some((h) => h.table === table) || this.#parameters + query.parameters.length > MAX_PARAMETERS) await this.flush();
        this.#parameters += query.parameters.length;
        this.#held.push({ query, table });
        return { rows: [], numAffectedRows: insertedRows(query.query) } as QueryResult<R>;
      }
      if (this.#held.length > 0 && !readsApartFrom(query.query, this.#held)) await this.flush();
    }
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.flush();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Sends what is held, as one statement. */
  async flush(): Promise<void> {
    const held = this.#held;
    if (held.length === 0) return;
    this.#held = [];
    this.#parameters = 0;
    await this.inner.executeQuery(held.length === 1 ? held[0].query : combine(held.map((h) => h.query)));
  }

  discard() {
    this.#held = [];
    this.#parameters = 0;
  }
}

/** The table a plain insert writes (one that may be held), or null. */
function holdableInsert(query: CompiledQuery): string | null {
  const node = query.query as OperationNode & {
    into?: { table: { identifier: { name: string } } };
    returning?: unknown;
    onConflict?: unknown;
    with?: unknown;
    values?: OperationNode;
  };
  if (node?.kind !== 'InsertQueryNode' || !node.into || node.returning || node.onConflict || node.with) return null;
  // the text is renumbered when combined: a `$` or a literal in it is left alone (Kysely's inserts have neither)
  if (query.sql.includes("'") || /\$\D/.test(query.sql)) return null;
  return node.into.table.identifier.name;
}

/** The rows a plain insert adds when it succeeds (unknown for an insert … select). */
function insertedRows(node: OperationNode): bigint | undefined {
  const values = (node as { values?: OperationNode & { values?: unknown[] } }).values;
  return values?.kind === 'ValuesNode' && Array.isArray(values.values) ? BigInt(values.values.length) : undefined;
}

/** True when `node` is a read whose tables are all known and none of them is written by what is held. */
function readsApartFrom(node: OperationNode, held: Held[]): boolean {
  if (node?.kind !== 'SelectQueryNode') return false;
  const tables = new Set<string>();
  if (!collectTables(node, tables)) return false;
  return !held.some((h) => tables.has(h.table));
}

/** Adds the tables `node` names to `into`; false when it holds raw SQL (whose tables are unknown). */
function collectTables(node: unknown, into: Set<string>): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (Array.isArray(node)) return node.every((n) => collectTables(n, into));
  const n = node as { kind?: string; table?: { identifier?: { name?: string } } };
  if (n.kind === 'RawNode') return false;
  if (n.kind === 'TableNode' && n.table?.identifier?.name) into.add(n.table.identifier.name);
  for (const key in n) {
    if (key === 'kind') continue;
    if (!collectTables((n as Record<string, unknown>)[key], into)) return false;
  }
  return true;
}

/**
 * One statement running every insert: all but the last as data-modifying `with` queries, their
 * parameters renumbered after the ones before them.
 */
export function combine(queries: CompiledQuery[]): CompiledQuery {
  const parameters: unknown[] = [];
  const texts = queries.map((q) => {
    const offset = parameters.length;
    for (const v of q.parameters) parameters.push(v);
    return offset === 0 ? q.sql : q.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = texts.pop()!;
  return CompiledQuery.raw(`with ${texts.map((t, i) => `baton_w${i} as (${t})`).join(', ')} ${last}`, parameters);
}
