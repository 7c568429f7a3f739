import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { isPostgresDb, type Db } from '../../db/database.ts';
import { likePattern } from '../../db/like.ts';
import type { OrderTable } from '../../db/schema.ts';

export type OrderRow = Selectable<OrderTable>;

export async function insertOrder(db: Db, row: Insertable<OrderTable>) {
  await db.insertInto('orders').values(row).execute();
}

export async function findOrderByShortId(db: Db, courierId: string, shortId: string) {
  return db.selectFrom('orders').selectAll().where('courier_id', '=', courierId).where('short_id', '=', shortId).executeTakeFirst();
}

export async function findOrder(db: Db, id: string) {
  return db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function shortIdTaken(db: Db, courierId: string, shortId: string) {
  return !!(await db.selectFrom('orders').select('id').where('courier_id', '=', courierId).where('short_id', '=', shortId).executeTakeFirst());
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
}

export async function listOrders(db: Db, f: OrderFilter) {
  let q = db.selectFrom('orders').selectAll();
  if (f.clientOrgId) q = q.where('client_org_id', '=', f.clientOrgId);
  if (f.courierId) q = q.where('courier_id', '=', f.courierId);
  if (f.clientId) q = q.where('client_id', '=', f.clientId);
  if (f.statuses?.length) q = q.where('status', 'in', f.statuses);
  if (f.from !== undefined) q = q.where('time_created', '>=', f.from);
  if (f.to !== undefined) q = q.where('time_created', '<=', f.to);
  if (f.q) {
    const pattern = likePattern(f.q);
    if (!isPostgresDb(db) && /^[^%_\\]{3,}$/.test(f.q.toLowerCase())) {
      // The FTS5 trigram index answers substring matches of 3 characters or more (the ones that
      // can be rare); shorter or escaped patterns scan the caller's orders newest first.
      q = q.where(sql<SqlBool>`orders.rowid in (select rowid from orders_search where search_text like ${pattern})`);
    } else {
      q = q.where(sql<SqlBool>`search_text like ${pattern} escape '\\'`);
    }
  }
  if (f.after) {
    const { time, id } = f.after;
    const cmp = f.direction === 'desc' ? '<' : '>';
    q = q.where((eb) => eb.or([eb('time_created', cmp, time), eb.and([eb('time_created', '=', time), eb('id', cmp, id)])]));
  }
  return q.orderBy('time_created', f.direction).orderBy('id', f.direction).limit(f.limit).execute();
}
