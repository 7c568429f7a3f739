import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { hashPassword } from '../../lib/crypto.ts';
import { forbidden, gone, invalid, notFound, notUnique, stateConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { recordAudit, type Actor } from '../audit/audit.service.ts';
import { deleteUserSessions } from '../auth/auth.repository.ts';
import { emailKey, startSession } from '../auth/auth.service.ts';
import { authorize, type Principal, type UserPrincipal } from '../auth/principal.ts';
import { queueEmail } from '../messages/messages.service.ts';
import { actionEmail } from '../messages/messages.templates.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import { normalizePhone } from '../organization/organization.ts';
import { consumeToken, DAY, issueToken, peekToken } from '../tokens/tokens.service.ts';
import * as repo from './admins.repository.ts';
import type { CreateAdminBody, UpdateAdminBody } from './admins.schemas.ts';

export interface AdminView {
  id: string;
  organization: string;
  email: string;
  name: string;
  phone: string | null;
  type: 'super' | 'standard';
  isAccountOwner: boolean;
  isReadOnly: boolean;
  isActive: boolean;
  status: 'invited' | 'active' | 'deactivated';
  teams: string[];
  metadata: unknown[];
  timeCreated: number;
  timeLastModified: number;
  timeLastSignIn: number | null;
}

export function toAdmin(r: repo.UserRow, teams: string[]): AdminView {
  return {
    id: r.id,
    organization: r.organization_id,
    email: r.email,
    name: r.name,
    phone: r.phone,
    type: r.role === 'standard' ? 'standard' : 'super',
    isAccountOwner: r.role === 'owner',
    isReadOnly: r.is_read_only === 1,
    isActive: r.status === 'active',
    status: r.status as AdminView['status'],
    teams,
    metadata: [],
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
    timeLastSignIn: r.time_last_sign_in,
  };
}

export const actorOf = (u: UserPrincipal): Actor => ({ organizationId: u.organizationId, id: u.userId ?? u.apiKeyId, label: u.label });

const INVITE_TTL = 7 * DAY;

async function withTeams(db: Db, rows: repo.UserRow[]) {
  const teams = await repo.teamIdsManagedBy(db, rows.map((r) => r.id));
  return rows.map((r) => toAdmin(r, teams.get(r.id) ?? []));
}

async function load(db: Db, organizationId: string, id: string) {
  const row = await repo.findUser(db, organizationId, id);
  if (!row || row.status === 'removed') throw notFound('Admin', id);
  return row;
}

async function checkTeams(db: Db, organizationId: string, teamIds: string[]) {
  if (teamIds.length === 0) return;
  const found = await db
    .selectFrom('teams')
    .select('id')
    .where('organization_id', '=', organizationId)
    .where('id', 'in', teamIds)
    .execute();
  const missing = teamIds.filter((t) => !found.some((f) => f.id === t));
  if (missing.length) throw invalid(`Unknown team(s): ${missing.join(', ')}.`, { field: 'teams', ids: missing });
}

async function sendInvitation(db: Db, ctx: AppContext, user: repo.UserRow, invitedBy: string) {
  const org = await findOrganization(db, user.organization_id);
  const { token } = await issueToken(db, ctx.now(), {
    purpose: 'admin_invite',
    organizationId: user.organization_id,
    subjectId: user.id,
    ttlMs: INVITE_TTL,
  });
  const url = absoluteUrl(ctx.config.publicUrl, paths.joinOrganization(token));
  const mail = actionEmail({
    subject: `You're invited to ${org?.name ?? 'Baton'} on Baton`,
    greeting: `Hello ${user.name},`,
    paragraphs: [`${invitedBy} invited you to join ${org?.name ?? 'their organization'} on Baton.`, 'The link works once and expires in 7 days.'],
    actionLabel: 'Accept the invitation',
    url,
  });
  await queueEmail(db, ctx.now(), { organizationId: user.organization_id, to: user.email, ...mail });
}

export async function listAdmins(ctx: AppContext, p: Principal | null) {
  const u = authorize(p);
  return withTeams(ctx.db, await repo.listUsers(ctx.db, u.organizationId));
}

export async function getAdmin(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p);
  const [view] = await withTeams(ctx.db, [await load(ctx.db, u.organizationId, id)]);
  return view;
}

export async function createAdmin(ctx: AppContext, p: Principal | null, body: Static<typeof CreateAdminBody>) {
  const u = authorize(p, { admin: true, write: true });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const key = emailKey(body.email);
    if (await repo.emailTaken(trx, key)) throw notUnique(`An account with the email ${body.email} already exists.`, { field: 'email' });
    const org = await findOrganization(trx, u.organizationId);
    if (!org) throw notFound('Organization');
    const teams = [...new Set(body.teams ?? [])];
    await checkTeams(trx, u.organizationId, teams);
    const now = ctx.now();
    const row: repo.UserRow = {
      id: newId(),
      organization_id: u.organizationId,
      email: body.email.trim(),
      email_key: key,
      name: body.name.trim(),
      phone: body.phone ? normalizePhone(body.phone, org.country) : null,
      password_hash: null,
      role: org.kind === 'client' ? 'super' : (body.type ?? 'super'),
      is_read_only: body.isReadOnly ? 1 : 0,
      status: 'invited',
      time_created: now,
      time_last_modified: now,
      time_last_sign_in: null,
    };
    await repo.insertUser(trx, row);
    await repo.setManagedTeams(trx, u.organizationId, row.id, teams);
    await sendInvitation(trx, ctx, row, u.label);
    await recordAudit(trx, now, actorOf(u), 'admin.invited', { type: 'admin', id: row.id }, { email: row.email, type: body.type ?? 'super' });
    return toAdmin(row, teams);
  });
  ctx.messages.kick();
  return result;
}

export async function updateAdmin(ctx: AppContext, p: Principal | null, id: string, body: Static<typeof UpdateAdminBody>) {
  const u = authorize(p, { write: true });
  const self = u.userId === id;
  // Anyone may change their own name and phone; everything else needs an administrator.
  const adminOnly = body.type !== undefined || body.isReadOnly !== undefined || body.teams !== undefined;
  if (!self || adminOnly) authorize(p, { admin: true, write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    if (row.role === 'owner' && adminOnly) throw stateConflict("The account owner's role cannot be changed.");
    const org = await findOrganization(trx, u.organizationId);
    const now = ctx.now();
    const patch = {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(body.phone !== undefined ? { phone: body.phone ? normalizePhone(body.phone, org!.country) : null } : {}),
      ...(body.type !== undefined ? { role: body.type } : {}),
      ...(body.isReadOnly !== undefined ? { is_read_only: (body.isReadOnly ? 1 : 0) as 0 | 1 } : {}),
      time_last_modified: now,
    };
    await repo.updateUser(trx, u.organizationId, id, patch);
    if (body.teams) {
      const teams = [...new Set(body.teams)];
      await checkTeams(trx, u.organizationId, teams);
      await repo.setManagedTeams(trx, u.organizationId, id, teams);
    }
    await recordAudit(trx, now, actorOf(u), 'admin.updated', { type: 'admin', id }, body);
    const [view] = await withTeams(trx, [await load(trx, u.organizationId, id)]);
    return view;
  });
}

export async function setActive(ctx: AppContext, p: Principal | null, id: string, active: boolean) {
  const u = authorize(p, { admin: true, write: true });
  return ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    if (row.role === 'owner') throw stateConflict('The account owner cannot be deactivated.');
    if (row.id === u.userId) throw stateConflict('You cannot deactivate your own account.');
    if (row.status === 'invited') throw stateConflict('This person has not accepted the invitation yet; delete the invitation instead.');
    const now = ctx.now();
    await repo.updateUser(trx, u.organizationId, id, { status: active ? 'active' : 'deactivated', time_last_modified: now });
    if (!active) await deleteUserSessions(trx, id);
    await recordAudit(trx, now, actorOf(u), active ? 'admin.activated' : 'admin.deactivated', { type: 'admin', id });
    const [view] = await withTeams(trx, [await load(trx, u.organizationId, id)]);
    return view;
  });
}

export async function resendInvitation(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { admin: true, write: true });
  const view = await ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    if (row.status !== 'invited') throw stateConflict('This person has already accepted the invitation.');
    await sendInvitation(trx, ctx, row, u.label);
    await recordAudit(trx, ctx.now(), actorOf(u), 'admin.reinvited', { type: 'admin', id });
    const [v] = await withTeams(trx, [row]);
    return v;
  });
  ctx.messages.kick();
  return view;
}

export async function deleteAdmin(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { admin: true, write: true });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    if (row.role === 'owner') throw stateConflict('The account owner cannot be deleted.');
    if (row.id === u.userId) throw forbidden('You cannot delete your own account.');
    await deleteUserSessions(trx, id);
    await repo.setManagedTeams(trx, u.organizationId, id, []);
    await repo.deleteUser(trx, u.organizationId, id);
    await recordAudit(trx, ctx.now(), actorOf(u), 'admin.deleted', { type: 'admin', id }, { email: row.email });
  });
}

export async function viewInvitation(ctx: AppContext, token: string) {
  const t = await peekToken(ctx.db, token, 'admin_invite', ctx.now());
  const user = await repo.findUser(ctx.db, t.organizationId, t.subjectId);
  const org = await findOrganization(ctx.db, t.organizationId);
  if (!user || !org || user.status !== 'invited') throw gone('This invitation is no longer valid.', { reason: 'voided' });
  return { organizationName: org.name, name: user.name, email: user.email };
}

export async function acceptInvitation(ctx: AppContext, token: string, body: { name?: string; password: string }) {
  const passwordHash = await hashPassword(body.password, ctx.config.passwordCost);
  return ctx.db.transaction().execute(async (trx) => {
    const t = await consumeToken(trx, token, 'admin_invite', ctx.now());
    const user = await repo.findUser(trx, t.organizationId, t.subjectId);
    if (!user || user.status !== 'invited') throw gone('This invitation is no longer valid.', { reason: 'voided' });
    const now = ctx.now();
    await repo.updateUser(trx, t.organizationId, user.id, {
      status: 'active',
      password_hash: passwordHash,
      ...(body.name ? { name: body.name.trim() } : {}),
      time_last_modified: now,
      time_last_sign_in: now,
    });
    await recordAudit(trx, now, { organizationId: t.organizationId, id: user.id, label: user.email }, 'admin.joined', { type: 'admin', id: user.id });
    const session = await startSession(trx, ctx, { kind: 'user', userId: user.id, organizationId: t.organizationId });
    return { session, userId: user.id };
  });
}
