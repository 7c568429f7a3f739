/** Committed events are announced on this channel; the payload names the schema (installations may share a server). */
export const EVENTS_CHANNEL = 'baton_events';

/**
 * Announcements of one process start at least this far apart (each costs PostgreSQL a transaction and
 * every listener a wake-up; under load without a gap they came about as often as half the commits).
 */
const MIN_GAP_MS = 10;

/**
 * PostgreSQL: tells every instance listening on `channel` (their event buses, db/database.ts `listen`)
 * that something was committed, from outside the transaction that committed it; `send` runs a
 * statement on a connection of the caller's choosing.
 *
 * A `NOTIFY` inside a transaction takes a lock that is database-wide, at commit, and holds it until the
 * commit has been flushed to disk, so every transaction that notifies commits after the one before it
 * has been flushed: no two share a flush. Sent from every order's transaction (a trigger on `events`
 * until migration 0017) that queued order intake behind one disk flush at a time (docs/decisions/0018).
 * Here the transactions commit without it; each committed one asks for an announcement, and the
 * announcements are sent one at a time, at least MIN_GAP_MS apart, each of them for every commit asked
 * for before it started, in a transaction of their own that does not wait for its flush (a lost
 * announcement costs nothing: the buses poll anyway). The last commit is always followed by an
 * announcement sent after it.
 */
export function announcer(send: (text: string) => Promise<unknown>, channel: string): () => void {
  const text = `select set_config('synchronous_commit', 'off', true), pg_notify('${channel}', current_schema())`;
  let sending = false;
  let again = false;
  const announce = async () => {
    sending = true;
    try {
      do {
        again = false;
        const started = Date.now();
        // PostgreSQL unreachable or the pool closing: the buses' polling carries on without it
        await send(text).catch(() => undefined);
        const wait = started + MIN_GAP_MS - Date.now();
        if (again && wait > 0) await new Promise((r) => setTimeout(r, wait));
      } while (again);
    } finally {
      sending = false;
    }
  };
  return () => {
    if (sending) again = true;
    else void announce();
  };
}
