import type SQLite from 'better-sqlite3';

/**
 * SQLite: moves orders waiting for the text index (`orders_search_pending`, filled by the orders'
 * insert trigger, migration 0015) into it, in one statement — run by group commit just before each
 * COMMIT, so a group's orders become one FTS5 segment instead of one each (docs/decisions/0017).
 * Before migration 0015 has run (or after it is undone) there is nothing to move.
 */
export function orderSearchAtCommit(database: SQLite.Database): () => void {
  let move: { index: SQLite.Statement; clear: SQLite.Statement } | null = null;
  return () => {
    if (!move) {
      if (!database.prepare(`select 1 from sqlite_master where type = 'table' and name = 'orders_search_pending'`).get()) return;
      move = {
        index: database.prepare('insert into orders_search(rowid, search_text) select rowid, search_text from orders_search_pending'),
        clear: database.prepare('delete from orders_search_pending'),
      };
    }
    try {
      if (move.index.run().changes > 0) move.clear.run();
    } catch (err) {
      // the table was dropped meanwhile (the migration undone): look again next time
      if (/no such table/i.test(String((err as Error).message))) {
        move = null;
        return;
      }
      throw err;
    }
  };
}
