import type pg from 'pg';

/** Distinct statements kept prepared (each connection prepares one on first use); others run unnamed. */
const MAX_STATEMENTS = 500;
/** longer texts (large multi-row inserts) are rarely repeated */
const MAX_TEXT_LENGTH = 8_000;
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

/**
 * Sends the queries of `pool`'s clients as named prepared statements: PostgreSQL parses and plans a
 * statement once per connection instead of on every execution. Kysely's queries are parameterised,
 * so there are few distinct texts; measured on the tracking page's query, PostgreSQL's CPU per
 * execution fell from about 750 µs to about 150 µs (docs/performance.md).
 *
 * A table changed under a prepared `select *` (a migration run by another instance) fails that
 * statement once with "cached plan must not change result type": the text then gets a new name
 * and the query is tried once more unnamed (inside a transaction that retry fails too, and the
 * original error is thrown; the next attempt prepares afresh).
 */
export function usePreparedStatements(pool: pg.Pool) {
  const names = new Map<string, string>();
  let next = 0;
  const nameFor = (text: string): string | null => {
    let name = names.get(text);
    if (name) return name;
    if (names.size >= MAX_STATEMENTS || text.length > MAX_TEXT_LENGTH || !PREPARABLE.test(text)) return null;
    name = `baton_${(next++).toString(36)}`;
    names.set(text, name);
    return name;
  };
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult>;
    const prepared = async (text: string, values: unknown[]) => {
      const name = nameFor(text);
      if (!name) return query(text, values);
      try {
        return await query({ name, text, values });
      } catch (err) {
        if ((err as { code?: string }).code !== '0A000') throw err;
        if (names.get(text) === name) names.delete(text);
        try {
          return await query(text, values);
        } catch {
          throw err;
        }
      }
    };
    client.query = ((...args: unknown[]) => {
      const [text, values, callback] = args;
      if (typeof text === 'string' && Array.isArray(values) && callback === undefined) return prepared(text, values);
      return query(...args);
    }) as typeof client.query;
  });
}
