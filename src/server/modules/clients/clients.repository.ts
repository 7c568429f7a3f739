import { sql, type Insertable, type Selectable, type SqlBool, type Updateable } from 'kysely';
import { likePattern } from '../../db/like.ts';
import type { Db } from '../../db/database.ts';
import type { ClientTable } from '../../db/schema.ts';

export type ClientRow = Selectable<ClientTable>;

export async function insertClient(db: Db, row: Insertable<ClientTable>) {
  await db.insertInto('clients').values(row).execute();
}

export async function findClient(db: Db, courierId: string, id: string) {
  return db.selectFrom('clients').selectAll().where('courier_id', '=', courierId).where('id', '=', id).executeTakeFirst();
}

export async function findClientById(db: Db, id: string) {
  return db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findClientByOrganization(db: Db, organizationId: string) {
  return db.selectFrom('clients').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
}

/** A client with its courier's country, in one read (an order needs both): by its courier and id, or by its own organization. */
export async function findClientWithCourier(db: Db, by: ClientOf) {
  return clientWithCourier(db, by).executeTakeFirst();
}

export type ClientOf = { courierId: string; id: string } | { organizationId: string };

/** The query of findClientWithCourier, for reads that add to it. */
export function clientWithCourier(db: Db, by: ClientOf) {
  const q = db.selectFrom('clients').innerJoin('organizations as courier', 'courier.id', 'clients.courier_id').selectAll('clients').select('courier.country as courier_country');
  return 'organizationId' in by ? q.where('clients.organization_id', '=', by.organizationId) : q.where('clients.courier_id', '=', by.courierId).where('clients.id', '=', by.id);
}

export async function findLiveClientByEmail(db: Db, courierId: string, emailKey: string) {
  return db
    .selectFrom('clients')
    .select(['id'])
    .where('courier_id', '=', courierId)
    .where('email_key', '=', emailKey)
    .where('status', '<>', 'deleted')
    .executeTakeFirst();
}

export interface ClientFilter {
  status?: string;
  q?: string;
  after?: { time: number; id: string };
  limit: number;
}

export async function listClients(db: Db, courierId: string, f: ClientFilter) {
  let q = db.selectFrom('clients').selectAll().where('courier_id', '=', courierId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.q) {
    const like = likePattern(f.q);
    q = q.where((eb) =>
      eb.or([
        sql<SqlBool>`lower(name) like ${like} escape '\\'`,
        sql<SqlBool>`email_key like ${like} escape '\\'`,
        sql<SqlBool>`lower(pending_email) like ${like} escape '\\'`,
      ]),
    );
  }
  if (f.after) {
    const { time, id } = f.after;
    q = q.where((eb) => eb.or([eb('time_created', '<', time), eb.and([eb('time_created', '=', time), eb('id', '<', id)])]));
  }
  return q.orderBy('time_created', 'desc').orderBy('id', 'desc').limit(f.limit).execute();
}

export async function updateClient(db: Db, courierId: string, id: string, patch: Updateable<ClientTable>) {
  await db.updateTable('clients').set(patch).where('courier_id', '=', courierId).where('id', '=', id).execute();
}

export async function clientsAutoAssigningTo(db: Db, courierId: string, teamId: string) {
  return db
    .selectFrom('clients')
    .select(['id', 'name'])
    .where('courier_id', '=', courierId)
    .where('auto_assign_team_id', '=', teamId)
    .where('status', '<>', 'deleted')
    .execute();
}
