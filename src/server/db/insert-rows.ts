import { createQueryId, type CompiledQuery, type Insertable } from 'kysely';
import { isPostgresDb, type Db } from './database.ts';
import type { Database } from './schema.ts';

/**
 * Statements built once per shape: the same insert (table, columns, number of rows) is built and
 * compiled by Kysely the first time only; later rows are bound to its SQL. During order intake,
 * building and compiling statements took more of the server's CPU than the PostgreSQL driver did
 * (docs/performance.md, decision 0015).
 */
const templates = new Map<string, CompiledQuery | null>();
/** Shapes kept at most (a bulk insert's row count varies; those go through the builder) */
const MAX_TEMPLATES = 200;
const MAX_ROWS = 16;

type Plain = string | number | bigint | boolean | null;
const isPlain = (v: unknown): v is Plain => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';

/**
 * Inserts `rows` into `table`. Rows of the same columns in the same order, holding only plain values
 * (strings, numbers, booleans, null), use the statement built for their shape; anything else (an
 * expression, a missing or undefined column, many rows) goes through Kysely's builder as usual.
 */
export async function insertRows<T extends keyof Database & string>(db: Db, table: T, rows: ReadonlyArray<Insertable<Database[T]>>): Promise<void> {
  if (rows.length === 0) return;
  const parameters = rows.length <= MAX_ROWS ? flatten(rows as ReadonlyArray<Record<string, unknown>>) : null;
  if (!parameters) {
    await db.insertInto(table).values(rows as never).execute();
    return;
  }
  const key = `${isPostgresDb(db) ? 'pg' : 'sqlite'} ${table} ${rows.length} ${Object.keys(rows[0]).join(',')}`;
  let template = templates.get(key);
  if (template === undefined) {
    const compiled = db.insertInto(table).values(rows as never).compile();
    // Kept only when its parameters are the rows' values in order (so binding new rows is the same statement).
    template = compiled.parameters.length === parameters.length && compiled.parameters.every((p, i) => p === parameters[i]) ? compiled : null;
    if (templates.size >= MAX_TEMPLATES) templates.clear();
    templates.set(key, template);
    await db.executeQuery(compiled);
    return;
  }
  if (template === null) {
    await db.insertInto(table).values(rows as never).execute();
    return;
  }
  await db.executeQuery({ query: template.query, queryId: createQueryId(), sql: template.sql, parameters });
}

/** The rows' values row by row, when every row has the first one's columns in its order and only plain values. */
function flatten(rows: ReadonlyArray<Record<string, unknown>>): Plain[] | null {
  const columns = Object.keys(rows[0]);
  const out: Plain[] = new Array(rows.length * columns.length);
  let at = 0;
  for (const row of rows) {
    let n = 0;
    for (const k in row) {
      if (k !== columns[n]) return null;
      const v = row[k];
      if (!isPlain(v)) return null;
      out[at++] = v;
      n++;
    }
    if (n !== columns.length) return null;
  }
  return out;
}
