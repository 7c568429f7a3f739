import { sql, type Kysely } from 'kysely';

/** Courier clients: the courier's record of each business client and its invitation state. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('clients')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('courier_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('organization_id', 'varchar(24)', (c) => c.references('organizations.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('email_key', 'varchar(320)', (c) => c.notNull())
    .addColumn('pending_email', 'varchar(320)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('auto_assign_team_id', 'varchar(24)', (c) => c.references('teams.id'))
    .addColumn('time_created', 'bigint', (c) => c.notNull())
    .addColumn('time_last_modified', 'bigint', (c) => c.notNull())
    .addColumn('time_invited', 'bigint')
    .addColumn('invitation_expires_at', 'bigint')
    .addColumn('time_accepted', 'bigint')
    .addColumn('time_deleted', 'bigint')
    .execute();
  await db.schema.createIndex('clients_courier_idx').on('clients').columns(['courier_id', 'time_created', 'id']).execute();
  await db.schema.createIndex('clients_org_idx').on('clients').column('organization_id').execute();
  // An email is unique among a courier's live clients; deleted clients free their address.
  await db.schema
    .createIndex('clients_live_email_uq')
    .on('clients')
    .columns(['courier_id', 'email_key'])
    .unique()
    .where(sql.ref('status'), '<>', 'deleted')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('clients').ifExists().execute();
}
