import type { Kysely } from 'kysely';
import { isPostgres } from './util.ts';

/** Courier organization, people, sessions, keys, teams, workers, messages, events, audit, uploads. */
export async function up(db: Kysely<any>): Promise<void> {
  const big = 'bigint' as const;

  await db.schema
    .createTable('organizations')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('country', 'varchar(2)', (c) => c.notNull())
    .addColumn('timezone', 'varchar(64)', (c) => c.notNull())
    .addColumn('image', 'varchar(64)')
    .addColumn('courier_id', 'varchar(24)', (c) => c.references('organizations.id'))
    .addColumn('webhook_secret', 'varchar(128)')
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'varchar(320)', (c) => c.notNull())
    .addColumn('email_key', 'varchar(320)', (c) => c.notNull().unique())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('phone', 'varchar(32)')
    .addColumn('password_hash', 'varchar(255)')
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('is_read_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .addColumn('time_last_sign_in', big)
    .execute();
  await db.schema.createIndex('users_org_idx').on('users').columns(['organization_id', 'id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('user_id', 'varchar(24)')
    .addColumn('worker_id', 'varchar(24)')
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_org_idx').on('sessions').column('organization_id').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_by', 'varchar(24)')
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_used', big)
    .addColumn('time_revoked', big)
    .execute();
  await db.schema.createIndex('api_keys_org_idx').on('api_keys').columns(['organization_id', 'id']).execute();

  await db.schema
    .createTable('tokens')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('expires_at', big, (c) => c.notNull())
    .addColumn('time_used', big)
    .addColumn('time_voided', big)
    .execute();
  await db.schema.createIndex('tokens_subject_idx').on('tokens').columns(['subject_id', 'purpose']).execute();

  await db.schema
    .createTable('teams')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('hub', 'text')
    .addColumn('enable_self_assignment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('teams_org_idx').on('teams').columns(['organization_id', 'id']).execute();

  await db.schema
    .createTable('team_managers')
    .addColumn('team_id', 'varchar(24)', (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(24)', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addPrimaryKeyConstraint('team_managers_pk', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_managers_user_idx').on('team_managers').column('user_id').execute();

  await db.schema
    .createTable('workers')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull().references('organizations.id'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('phone', 'varchar(32)', (c) => c.notNull())
    .addColumn('email', 'varchar(320)')
    .addColumn('on_duty', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('location_lng', 'double precision')
    .addColumn('location_lat', 'double precision')
    .addColumn('time_last_seen', big)
    .addColumn('vehicle_type', 'varchar(16)')
    .addColumn('vehicle_description', 'varchar(200)')
    .addColumn('vehicle_license_plate', 'varchar(32)')
    .addColumn('vehicle_color', 'varchar(32)')
    .addColumn('capacity', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('account_status', 'varchar(16)', (c) => c.notNull())
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_last_modified', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('workers_org_idx').on('workers').columns(['organization_id', 'id']).execute();
  await db.schema.createIndex('workers_phone_idx').on('workers').columns(['organization_id', 'phone']).unique().execute();

  await db.schema
    .createTable('worker_teams')
    .addColumn('worker_id', 'varchar(24)', (c) => c.notNull().references('workers.id').onDelete('cascade'))
    .addColumn('team_id', 'varchar(24)', (c) => c.notNull().references('teams.id'))
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addPrimaryKeyConstraint('worker_teams_pk', ['worker_id', 'team_id'])
    .execute();
  await db.schema.createIndex('worker_teams_team_idx').on('worker_teams').column('team_id').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)')
    .addColumn('channel', 'varchar(8)', (c) => c.notNull())
    .addColumn('to_address', 'varchar(320)', (c) => c.notNull())
    .addColumn('subject', 'varchar(300)')
    .addColumn('body_text', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('next_attempt_at', big, (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .addColumn('time_sent', big)
    .execute();
  await db.schema.createIndex('messages_due_idx').on('messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('messages_org_idx').on('messages').columns(['organization_id', 'time_created']).execute();

  await db.schema
    .createTable('events')
    .addColumn('seq', 'integer', (c) =>
      isPostgres(db)
        ? c.primaryKey().generatedByDefaultAsIdentity()
        : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'varchar(24)', (c) => c.notNull().unique())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('type', 'varchar(64)', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('events_org_idx').on('events').columns(['organization_id', 'seq']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(24)')
    .addColumn('actor_label', 'varchar(320)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('subject_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('subject_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('data', 'text')
    .addColumn('time_created', big, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_subject_idx')
    .on('audit_log')
    .columns(['organization_id', 'subject_id', 'time_created'])
    .execute();

  await db.schema
    .createTable('uploads')
    .addColumn('id', 'varchar(24)', (c) => c.primaryKey())
    .addColumn('organization_id', 'varchar(24)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('time_created', big, (c) => c.notNull())
    .execute();

}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'uploads', 'audit_log', 'events', 'messages', 'worker_teams', 'workers', 'team_managers', 'teams',
    'tokens', 'api_keys', 'sessions', 'users', 'organizations',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
