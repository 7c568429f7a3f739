import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isPostgresDb, type Db } from './database.ts';

/**
 * `column in (values)` as one statement whatever the number of values: PostgreSQL is given the list
 * as one array parameter, SQLite as one JSON text. A list spelled out as `in ($1, $2, …)` makes a new
 * statement for every length — parsed again by SQLite, and on PostgreSQL prepared again per connection
 * and counted against the prepared statements kept (db/pg-prepared.ts).
 */
export function oneOf(db: Db, column: string, values: readonly string[]): RawBuilder<SqlBool> {
  return isPostgresDb(db)
    ? sql<SqlBool>`${sql.ref(column)} = any(cast(${values} as text[]))`
    : sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}
