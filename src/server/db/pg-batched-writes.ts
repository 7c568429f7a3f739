import {
  CompiledQuery,
  PostgresDialect,
  type DatabaseConnection,
  type Driver,
  type OperationNode,
  type PostgresDialectConfig,
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
 *
 * The transaction's `begin` is held too, until a statement needs it: a plain read before the
 * transaction's first write runs on its own — at PostgreSQL's read committed every statement of a
 * transaction takes a snapshot of its own anyway — and a transaction whose only writes are held
 * inserts sends them at commit as one statement by itself, which is as atomic as a transaction and
 * spares PostgreSQL the `begin` and `commit` round trips. Anything else (a write that is not held, a
 * read with `for update` or raw SQL, a savepoint, a transaction with an isolation level or access
 * mode of its own) sends `begin` first.
 */
export class BatchingPostgresDialect extends PostgresDialect {
  readonly #committed: CommittedWrites | undefined;

  constructor(config: PostgresDialectConfig & { committed?: CommittedWrites }) {
    super(config);
    this.#committed = config.committed;
  }

  override createDriver(): Driver {
    return new BatchingDriver(super.createDriver(), this.#committed);
  }
}

/**
 * Told after the fact that rows were added to one of `tables`: once per committed transaction that
 * inserted into any of them, and once per such insert run outside a transaction (after it succeeded).
 * Never for a transaction that rolled back.
 */
export interface CommittedWrites {
  tables: ReadonlySet<string>;
  then: () => void;
}

class BatchingDriver implements Driver {
  readonly #inner: Driver;
  readonly #committed: CommittedWrites | undefined;
  readonly #wrappers = new WeakMap<DatabaseConnection, BatchingConnection>();

  constructor(inner: Driver, committed?: CommittedWrites) {
    this.#inner = inner;
    this.#committed = committed;
  }

  init() {
    return this.#inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.#inner.acquireConnection();
    let wrapper = this.#wrappers.get(inner);
    if (!wrapper) {
      wrapper = new BatchingConnection(inner, this.#committed);
      this.#wrappers.set(inner, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const c = connection as BatchingConnection;
    c.begin = () => this.#inner.beginTransaction(c.inner, settings);
    if (settings.isolationLevel || settings.accessMode) await c.begun();
    c.holding = true;
  }

  async commitTransaction(connection: DatabaseConnection) {
    const c = connection as BatchingConnection;
    c.holding = false;
    // never begun: the held inserts go as one statement, atomic by itself (if it fails, `begin` is
    // still set and the rollback that follows sends nothing)
    await c.flush();
    if (c.begin) c.begin = null;
    else await this.#inner.commitTransaction(c.inner);
    c.committed();
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    const c = connection as BatchingConnection;
    c.holding = false;
    c.discard();
    if (c.begin) {
      // never begun (or its held inserts failed as a statement of their own): nothing to roll back
      c.begin = null;
      return;
    }
    await this.#inner.rollbackTransaction(c.inner);
  }

  async savepoint(connection: DatabaseConnection, name: string, compileQuery: Parameters<NonNullable<Driver['savepoint']>>[2]) {
    const c = connection as BatchingConnection;
    await c.begun();
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
    c.begin = null;
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
  readonly #watch: CommittedWrites | undefined;
  /** inside a transaction (which may not have begun yet) */
  holding = false;
  /** sends the transaction's `begin`, while it is held */
  begin: (() => Promise<void>) | null = null;
  /** the transaction inserted into a watched table */
  wrote = false;
  #held: Held[] = [];
  /** parameters of what is held */
  #parameters = 0;

  constructor(inner: DatabaseConnection, watch?: CommittedWrites) {
    this.inner = inner;
    this.#watch = watch;
  }

  /** The transaction committed: tells the watcher if it inserted into a watched table. */
  committed() {
    if (!this.wrote) return;
    this.wrote = false;
    this.#watch!.then();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const watched = this.#watch !== undefined && this.#watch.tables.has(insertedTable(query) ?? '');
    if (!this.holding) {
      // outside a transaction a statement commits by itself
      const result = await this.inner.executeQuery<R>(query);
      if (watched) this.#watch!.then();
      return result;
    }
    if (watched) this.wrote = true;
    const table = holdableInsert(query);
    if (table !== null) {
      if (this.#held.some((h) => h.table === table) || this.#parameters + query.parameters.length > MAX_PARAMETERS) await this.flush();
      this.#parameters += query.parameters.length;
      this.#held.push({ query, table });
      return { rows: [], numAffectedRows: insertedRows(query.query) } as QueryResult<R>;
    }
    // once begun with nothing held, a statement just runs: no need to look into it
    if (this.begin || this.#held.length > 0) {
      const reads = plainRead(query);
      if (!reads) await this.begun();
      if (this.#held.length > 0 && !(reads && readsApartFrom(reads, this.#held))) await this.flush();
    }
    return this.inner.executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.begun();
    await this.flush();
    yield* this.inner.streamQuery<R>(query, chunkSize);
  }

  /** Sends the transaction's `begin` if it is still held. */
  async begun(): Promise<void> {
    const begin = this.begin;
    if (!begin) return;
    this.begin = null;
    await begin();
  }

  /**
   * Sends what is held, as one statement: inside the transaction, which begins first if it has not;
   * at the commit of a transaction that never began (no longer holding), by itself.
   */
  async flush(): Promise<void> {
    const held = this.#held;
    if (held.length === 0) return;
    if (this.holding) await this.begun();
    this.#held = [];
    this.#parameters = 0;
    await this.inner.executeQuery(held.length === 1 ? held[0].query : combine(held.map((h) => h.query)));
  }

  /** Forgets what the transaction held and wrote (it rolled back, or its connection goes back to the pool). */
  discard() {
    this.#held = [];
    this.#parameters = 0;
    this.wrote = false;
  }
}

/** The table an insert writes, or null for any other statement. */
function insertedTable(query: CompiledQuery): string | null {
  const node = query.query as OperationNode & { into?: { table: { identifier: { name: string } } } };
  return node?.kind === 'InsertQueryNode' && node.into ? node.into.table.identifier.name : null;
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

/**
 * The tables a plain read reads: a select of known tables with no raw SQL, no locking clause and no
 * function that acts on the session or a sequence (it could run as well outside the transaction);
 * null for anything else.
 *
 * Remembered by the statement's text. The answer is a property of that text — the tables it names,
 * a `for update`, a function it calls all appear in it — so a statement of the same text built again
 * gets the same answer without its tree being walked. (Raw SQL is judged not plain from its tree; the
 * same text from a builder's tree is as plain as that tree says: PostgreSQL runs the text.)
 */
function plainRead(query: CompiledQuery): Set<string> | null {
  const known = readsByText.get(query.sql);
  if (known !== undefined) return known;
  const node = query.query;
  let reads: Set<string> | null = null;
  if (node?.kind === 'SelectQueryNode') {
    const tables = new Set<string>();
    if (collectTables(node, tables)) reads = tables;
  }
  if (readsByText.size >= MAX_REMEMBERED) readsByText.clear();
  readsByText.set(query.sql, reads);
  return reads;
}

/** statement texts remembered before the memo starts again (shapes are few; `in` lists of every length are not) */
const MAX_REMEMBERED = 2_000;
const readsByText = new Map<string, Set<string> | null>();

/** True when none of the tables `reads` names is written by what is held. */
function readsApartFrom(reads: Set<string>, held: Held[]): boolean {
  return !held.some((h) => reads.has(h.table));
}

/** select modifiers that do not lock (others — `for update` and its kin, raw ones — need the transaction) */
const PLAIN_MODIFIER = new Set(['Distinct']);

/** functions whose effects belong to a transaction or a session (locks, settings, sequences, large objects) */
const ACTING_FUNCTION = /^(pg_|set_config$|nextval$|setval$|lo_)/i;

/**
 * Adds the tables `node` names to `into`; false when it holds raw SQL (whose tables are unknown),
 * a locking clause or a function that acts.
 */
function collectTables(node: unknown, into: Set<string>): boolean {
  if (node === null || typeof node !== 'object') return true;
  if (Array.isArray(node)) return node.every((n) => collectTables(n, into));
  const n = node as { kind?: string; table?: { identifier?: { name?: string } }; func?: string };
  if (n.kind === 'RawNode') return false;
  if (n.kind === 'SelectModifierNode' && !PLAIN_MODIFIER.has((n as { modifier?: string }).modifier ?? '')) return false;
  if (n.kind === 'FunctionNode' && ACTING_FUNCTION.test(n.func ?? '')) return false;
  if (n.kind === 'TableNode' && n.table?.identifier?.name) into.add(n.table.identifier.name);
  for (const key in n) {
    if (key === 'kind') continue;
    if (!collectTables((n as Record<string, unknown>)[key], into)) return false;
  }
  return true;
}

/**
 * One statement running every insert: all but the last as data-modifying `with` queries, their
 * parameters renumbered after the ones before them. The text depends on the inserts' texts alone
 * (and a transaction's inserts are built once per shape, db/insert-rows.ts), so it is remembered.
 */
export function combine(queries: CompiledQuery[]): CompiledQuery {
  const parameters: unknown[] = [];
  for (const q of queries) for (const v of q.parameters) parameters.push(v);
  return CompiledQuery.raw(combinedText(queries), parameters);
}

/** combined texts by their inserts' parameter counts and texts (a few shapes of transaction in practice) */
const combinedTexts = new Map<string, string>();
const MAX_COMBINED = 500;

function combinedText(queries: CompiledQuery[]): string {
  // a count and a text per insert; no SQL text holds a NUL
  const key = queries.map((q) => `${q.parameters.length}\0${q.sql}`).join('\0');
  let text = combinedTexts.get(key);
  if (text === undefined) {
    text = buildCombinedText(queries);
    if (combinedTexts.size >= MAX_COMBINED) combinedTexts.clear();
    combinedTexts.set(key, text);
  }
  return text;
}

function buildCombinedText(queries: CompiledQuery[]): string {
  let offset = 0;
  const texts = queries.map((q) => {
    const at = offset;
    offset += q.parameters.length;
    return at === 0 ? q.sql : q.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + at}`);
  });
  const last = texts.pop()!;
  return `with ${texts.map((t, i) => `baton_w${i} as (${t})`).join(', ')} ${last}`;
}
