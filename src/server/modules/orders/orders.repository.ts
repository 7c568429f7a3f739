import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { isPostgresDb, type Db } from '../../db/database.ts';
import { likePattern } from '../../db/like.ts';
import type { OrderTable } from '../../db/schema.ts';
import { clientWithCourier, type ClientOf } from '../clients/clients.repository.ts';
import { builtOnce } from '../../db/built-once.ts';
import { insertRows } from '../../db/insert-rows.ts';

export type OrderRow = Selectable<OrderTable>;

export async function insertOrder(db: Db, row: Insertable<OrderTable>) {
  await insertRows(db, 'orders', [row]);
}

export async function findOrderByShortId(db: Db, courierId: string, shortId: string) {
  return db.selectFrom('orders').selectAll().where('courier_id', '=', courierId).where('short_id', '=', shortId).executeTakeFirst();
}

export async function findOrder(db: Db, id: string) {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of these candidates are taken: the order's among the courier's orders, the tasks' among all tasks (one read). */
export async function orderShortIdsTaken(db: Db, courierId: string, orderShortId: string, taskShortIds: string[]) {
  return (await shortIdsTaken(db, courierId, orderShortId, taskShortIds)).map((r) => r.short_id);
}

const shortIdsTaken = builtOnce((db, courierId: string, orderShortId: string, taskShortIds: readonly string[]) =>
  db
    .selectFrom('orders')
    .select('short_id')
    .where('courier_id', '=', courierId)
    .where('short_id', '=', orderShortId)
    .unionAll(db.selectFrom('tasks').select('short_id').where('short_id', 'in', taskShortIds)),
);

/** A client and its courier's country, by the client's organization or by its courier and id. */
const clientByOrganization = builtOnce((db, organizationId: string) => clientWithCourier(db, { organizationId }));
const clientByCourier = builtOnce((db, courierId: string, id: string) => clientWithCourier(db, { courierId, id }));

/** The same, with whether any of an order's candidate short ids is taken (one read, for PostgreSQL). */
function withShortIdsTaken(db: Db, by: ClientOf, order: string, tasks: readonly string[]) {
  return clientWithCourier(db, by).select((eb) =>
    eb
      .or([
        eb.exists(eb.selectFrom('orders').select('orders.short_id').whereRef('orders.courier_id', '=', 'clients.courier_id').where('orders.short_id', '=', order)),
        eb.exists(eb.selectFrom('tasks').select('tasks.short_id').where('tasks.short_id', 'in', tasks)),
      ])
      .as('short_ids_taken'),
  );
}
const clientForOrderByOrganization = builtOnce((db, organizationId: string, order: string, tasks: readonly string[]) => withShortIdsTaken(db, { organizationId }, order, tasks));
const clientForOrderByCourier = builtOnce((db, courierId: string, id: string, order: string, tasks: readonly string[]) => withShortIdsTaken(db, { courierId, id }, order, tasks));

/**
 * The client a new order is for (with its courier's country) and whether any of the order's candidate
 * short ids is taken — among the courier's orders for the order's, among all tasks for the tasks'. On
 * PostgreSQL one read (a round trip fewer per order). On SQLite, where a statement is no round trip,
 * two: the one read with its subqueries measured no faster there (docs/performance.md). Each is built
 * once per shape (db/built-once.ts).
 */
export async function findClientForOrder(db: Db, by: ClientOf, candidates: { order: string; tasks: string[] }) {
  if (!isPostgresDb(db)) {
    const [client] = 'organizationId' in by ? await clientByOrganization(db, by.organizationId) : await clientByCourier(db, by.courierId, by.id);
    if (!client) return undefined;
    const taken = await shortIdsTaken(db, client.courier_id, candidates.order, candidates.tasks);
    return { ...client, short_ids_taken: taken.length > 0 };
  }
  const [row] =
    'organizationId' in by
      ? await clientForOrderByOrganization(db, by.organizationId, candidates.order, candidates.tasks)
      : await clientForOrderByCourier(db, by.courierId, by.id, candidates.order, candidates.tasks);
  return row && { ...row, short_ids_taken: Boolean(row.short_ids_taken) };
}

export async function updateOrder(db: Db, id: string, patch: Updateable<OrderTable>) {
  await db.updateTable('orders').set(patch).where('id', '=', id).execute();
}

export interface OrderFilter {
  courierId?: string;
  clientOrgId?: string;
  clientId?: string;
  statuses?: string[];
  q?: string;
  from?: number;
  to?: number;
  after?: { time: number; id: string };
  direction: 'asc' | 'desc';
  limit: number;
  /** SQLite search tuning (tests shrink them): orders looked at before the index, and index matches before scanning */
  recentWindow?: number;
  maxIndexMatches?: number;
}

/** Orders the SQLite search first looks for among the newest (a common word fills a page there). */
const RECENT_WINDOW = 2000;
/** Matches of the text index beyond which the search scans instead (the word is common after all). */
const MAX_INDEX_MATCHES = 5000;

export async function listOrders(db: Db, f: OrderFilter) {
  // `byRowid`: the filters written so that no index on them can be chosen (`+column`), leaving
  // SQLite the rowids the text index found (rather than scanning the client's orders for them).
  const filtered = (byRowid = false) => {
    const c = <K extends 'client_org_id' | 'courier_id' | 'client_id' | 'status' | 'time_created'>(k: K) => (byRowid ? sql<string | number>`+${sql.ref(k)}` : sql<string | number>`${sql.ref(k)}`);
    let q = db.selectFrom('orders').selectAll();
    if (f.clientOrgId) q = q.where(c('client_org_id'), '=', f.clientOrgId);
    if (f.courierId) q = q.where(c('courier_id'), '=', f.courierId);
    if (f.clientId) q = q.where(c('client_id'), '=', f.clientId);
    if (f.statuses?.length) q = q.where(c('status'), 'in', f.statuses);
    if (f.from !== undefined) q = q.where(c('time_created'), '>=', f.from);
    if (f.to !== undefined) q = q.where(c('time_created'), '<=', f.to);
    if (f.after) {
      const { time, id } = f.after;
      const cmp = f.direction === 'desc' ? '<' : '>';
      q = q.where((eb) => eb.or([eb(c('time_created'), cmp, time), eb.and([eb(c('time_created'), '=', time), eb('id', cmp, id)])]));
    }
    return q.orderBy('time_created', f.direction).orderBy('id', f.direction);
  };
  if (!f.q) return filtered().limit(f.limit).execute();
  const pattern = likePattern(f.q);
  const like = sql<SqlBool>`search_text like ${pattern} escape '\\'`;
  // PostgreSQL: the pg_trgm index and the planner choose; patterns under 3 characters scan.
  if (isPostgresDb(db) || !/^[^%_\\]{3,}$/.test(f.q.toLowerCase())) return filtered().where(like).limit(f.limit).execute();
  // SQLite: a word found in many orders fills the page from the newest ones at once (the window
  // carries only what the match and the order need; the page's rows are read by rowid after) …
  const window = filtered()
    .clearSelect()
    .select([sql<number>`orders.rowid`.as('r'), 'search_text', 'time_created', 'id'])
    .limit(f.recentWindow ?? RECENT_WINDOW);
  const recent = await db
    .selectFrom('orders')
    .selectAll()
    .where(sql<number>`orders.rowid`, 'in', (eb) =>
      eb
        .selectFrom(window.as('o'))
        .select('o.r')
        .where(sql<SqlBool>`o.search_text like ${pattern} escape '\\'`)
        .orderBy('o.time_created', f.direction)
        .orderBy('o.id', f.direction)
        .limit(f.limit),
    )
    .orderBy('time_created', f.direction)
    .orderBy('id', f.direction)
    .execute();
  if (recent.length >= f.limit) return recent;
  // … a rare one is found through the FTS5 trigram index.
  const maxMatches = f.maxIndexMatches ?? MAX_INDEX_MATCHES;
  const matches = await sql<{ rowid: number }>`select rowid from orders_search where search_text like ${pattern} limit ${maxMatches + 1}`.execute(db);
  if (matches.rows.length > maxMatches) return filtered().where(like).limit(f.limit).execute();
  const ids = JSON.stringify(matches.rows.map((r) => r.rowid));
  return filtered(true)
    .where(sql<SqlBool>`orders.rowid in (select value from json_each(${ids}))`)
    .limit(f.limit)
    .execute();
}
