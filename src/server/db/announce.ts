import type pg from 'pg';

/** Committed events are announced on this channel; the payload names the schema (installations may share a server). */
export const EVENTS_CHANNEL = 'baton_events';

/**
 * PostgreSQL: tells every instance listening on `channel` (their event buses, db/database.ts `listen`)
 * that something was committed, from outside the transaction that committed it.
 *
 * A `NOTIFY` inside a transaction takes a lock that is database-wide, at commit, and holds it until the
 * commit has been flushed to disk, so every transaction that notifies commits after the one before it
 * has been flushed: no two share a flush. Sent from every order's transaction (a trigger on `events`
 * until migration 0017) that queued order intake behind one disk flush at a time (docs/decisions/0018).
 * Here the transactions commit without it; each committed one asks for an announcement, and the
 * announcements are sent one at a time, each of them for every commit asked for before it started,
 * in a transaction of their own that does not wait for its flush (a lost announcement costs nothing:
 * the buses poll anyway). The last commit is always followed by an announcement sent after it.
 */
export function announcer(pool: pg.Pool, channel: string): () => void {
  const text = `select set_config('synchronous_commit', 'off', true), pg_notify('${channel}', current_schema())`;
  let sending = false;
  let again = false;
  const send = async () => {
    sending = true;
    try {
      do {
        again = false;
        // PostgreSQL unreachable or the pool closing: the buses' polling carries on without it
        await pool.query(text).catch(() => undefined);
      } while (again);
    } finally {
      sending = false;
    }
  };
  return () => {
    if (sending) again = true;
    else void send();
  };
}
