import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { hashPassword } from '../../lib/crypto.ts';
import { gone, invalid, notFound, notUnique, stateConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { actorOf } from '../admins/admins.service.ts';
import { updateUser } from '../admins/admins.repository.ts';
import { revokeOrganizationKeys } from '../api-keys/api-keys.repository.ts';
import { auditTrail, recordAudit, type Actor } from '../audit/audit.service.ts';
import { deleteOrganizationSessions, findUserByEmailKey } from '../auth/auth.repository.ts';
import { emailKey, startSession } from '../auth/auth.service.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { queueEmail } from '../messages/messages.service.ts';
import { actionEmail } from '../messages/messages.templates.ts';
import { findOrganization, insertOrganization, updateOrganization } from '../organization/organization.repository.ts';
import { toOrganization } from '../organization/organization.ts';
import { findTeam } from '../teams/teams.repository.ts';
import { consumeToken, DAY, issueToken, peekToken } from '../tokens/tokens.service.ts';
import { voidTokens } from '../tokens/tokens.repository.ts';
import { clientRules, toClient, type ClientStatus } from './clients.ts';
import * as repo from './clients.repository.ts';
import type { AcceptInvitationBody, CreateClientBody, ListClientsQuery, UpdateClientBody } from './clients.schemas.ts';

export const INVITATION_TTL = 7 * DAY;
export const EMAIL_CONFIRMATION_TTL = 2 * DAY;

const subject = (id: string) => ({ type: 'client', id });

async function load(db: Db, courierId: string, id: string) {
  const row = await repo.findClient(db, courierId, id);
  if (!row) throw notFound('Client', id);
  return row;
}

async function checkTeam(db: Db, courierId: string, team: string | null | undefined) {
  if (!team) return;
  if (!(await findTeam(db, courierId, team))) throw invalid(`Unknown team ${team}.`, { field: 'autoAssign.team' });
}

async function checkEmailFree(db: Db, courierId: string, email: string, exceptId?: string) {
  const other = await repo.findLiveClientByEmail(db, courierId, emailKey(email));
  if (other && other.id !== exceptId) throw notUnique(`Another client already uses ${email}.`, { field: 'email' });
}

export async function listClients(ctx: AppContext, p: Principal | null, q: Static<typeof ListClientsQuery>) {
  const u = authorize(p, { org: 'courier' });
  const limit = q.limit ?? 50;
  let after: { time: number; id: string } | undefined;
  if (q.lastId) {
    const last = await repo.findClient(ctx.db, u.organizationId, q.lastId);
    if (!last) throw invalid('lastId does not name a client of yours.', { field: 'lastId' });
    after = { time: last.time_created, id: last.id };
  }
  const rows = await repo.listClients(ctx.db, u.organizationId, { status: q.status, q: q.q?.trim() || undefined, after, limit: limit + 1 });
  const counts = await countOrders(ctx.db, rows.slice(0, limit).map((r) => r.id));
  const page = rows.slice(0, limit).map((r) => toClient(r, counts.get(r.id) ?? 0));
  return { clients: page, ...(rows.length > limit ? { lastId: page[page.length - 1].id } : {}) };
}

export async function getClient(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier' });
  const counts = await countOrders(ctx.db, [id]);
  return toClient(await load(ctx.db, u.organizationId, id), counts.get(id) ?? 0);
}

async function countOrders(db: Db, clientIds: string[]) {
  if (clientIds.length === 0) return new Map<string, number>();
  const rows = await db
    .selectFrom('orders')
    .select('client_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', 'in', clientIds)
    .groupBy('client_id')
    .execute();
  return new Map(rows.map((r) => [r.client_id, Number(r.n)]));
}

export async function createClient(ctx: AppContext, p: Principal | null, body: Static<typeof CreateClientBody>) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  return ctx.db.transaction().execute(async (trx) => {
    await checkEmailFree(trx, u.organizationId, body.email);
    await checkTeam(trx, u.organizationId, body.autoAssign?.team);
    const now = ctx.now();
    const row: repo.ClientRow = {
      id: newId(),
      courier_id: u.organizationId,
      organization_id: null,
      name: body.name.trim(),
      email: body.email.trim(),
      email_key: emailKey(body.email),
      pending_email: null,
      status: 'pending',
      auto_assign_team_id: body.autoAssign?.team ?? null,
      time_created: now,
      time_last_modified: now,
      time_invited: null,
      invitation_expires_at: null,
      time_accepted: null,
      time_deleted: null,
    };
    await repo.insertClient(trx, row);
    await recordAudit(trx, now, actorOf(u), 'client.created', subject(row.id), { name: row.name, email: row.email, autoAssign: row.auto_assign_team_id });
    return toClient(row);
  });
}

export async function updateClient(ctx: AppContext, p: Principal | null, id: string, body: Static<typeof UpdateClientBody>) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    const status = row.status as ClientStatus;
    if (!clientRules.canEdit(status)) throw stateConflict('This client was deleted and can no longer be changed.');
    const now = ctx.now();
    const patch: Partial<repo.ClientRow> = { time_last_modified: now };
    const changes: Record<string, unknown> = {};
    if (body.name !== undefined && body.name.trim() !== row.name) {
      patch.name = body.name.trim();
      changes.name = { from: row.name, to: patch.name };
      if (row.organization_id) await updateOrganization(trx, row.organization_id, { name: patch.name, time_last_modified: now });
    }
    if (body.autoAssign !== undefined && body.autoAssign.team !== row.auto_assign_team_id) {
      await checkTeam(trx, u.organizationId, body.autoAssign.team);
      patch.auto_assign_team_id = body.autoAssign.team;
      changes.autoAssign = { from: row.auto_assign_team_id, to: body.autoAssign.team };
    }
    if (body.email !== undefined) {
      const email = body.email.trim();
      if (emailKey(email) === row.email_key) {
        // Back to the current address: a pending change is withdrawn.
        if (row.pending_email) {
          patch.pending_email = null;
          await voidTokens(trx, row.id, 'email_confirm', now);
          changes.email = { pendingWithdrawn: row.pending_email };
        }
      } else {
        await checkEmailFree(trx, u.organizationId, email, row.id);
        if (clientRules.emailNeedsConfirmation(status)) {
          patch.pending_email = email;
          changes.email = { from: row.email, pending: email };
          await sendEmailConfirmation(trx, ctx, { clientId: row.id, courierId: u.organizationId, email, clientName: patch.name ?? row.name });
        } else {
          patch.email = email;
          patch.email_key = emailKey(email);
          changes.email = { from: row.email, to: email };
        }
      }
    }
    await repo.updateClient(trx, u.organizationId, id, patch);
    if (Object.keys(changes).length) await recordAudit(trx, now, actorOf(u), 'client.updated', subject(id), changes);
    const updated = await load(trx, u.organizationId, id);
    // The invitation sent to the old address is void; a new one goes to the new address.
    if (status === 'invited' && patch.email) await sendInvitation(trx, ctx, updated, actorOf(u));
    return toClient(await load(trx, u.organizationId, id));
  });
  ctx.messages.kick();
  return result;
}

async function sendEmailConfirmation(db: Db, ctx: AppContext, o: { clientId: string; courierId: string; email: string; clientName: string }) {
  const courier = await findOrganization(db, o.courierId);
  const { token } = await issueToken(db, ctx.now(), {
    purpose: 'email_confirm',
    organizationId: o.courierId,
    subjectId: o.clientId,
    ttlMs: EMAIL_CONFIRMATION_TTL,
    data: { kind: 'client', email: o.email },
  });
  const mail = actionEmail({
    subject: `Confirm the new email address for ${o.clientName}`,
    greeting: 'Hello,',
    paragraphs: [
      `${courier?.name ?? 'Your courier'} changed the email address of ${o.clientName} on Baton to ${o.email}.`,
      'The change takes effect only when you confirm it. Until then the current address stays in use. The link works once and expires in 48 hours.',
    ],
    actionLabel: 'Confirm this email address',
    url: absoluteUrl(ctx.config.publicUrl, paths.confirmEmail(token)),
    footer: 'If you did not expect this, ignore this email and nothing will change.',
  });
  await queueEmail(db, ctx.now(), { organizationId: o.courierId, to: o.email, ...mail });
}

/** Issues a new invitation link (voiding earlier ones), mails it and marks the client invited. */
async function sendInvitation(trx: Db, ctx: AppContext, row: repo.ClientRow, actor: Actor) {
    const status = row.status as ClientStatus;
    const courier = await findOrganization(trx, row.courier_id);
    const now = ctx.now();
    const { token, expiresAt } = await issueToken(trx, now, {
      purpose: 'client_invite',
      organizationId: row.courier_id,
      subjectId: row.id,
      ttlMs: INVITATION_TTL,
    });
    const mail = actionEmail({
      subject: `${courier?.name ?? 'Your courier'} invites ${row.name} to its client portal`,
      greeting: 'Hello,',
      paragraphs: [
        `${courier?.name ?? 'Your courier'} invites ${row.name} to send delivery orders through its client portal on Baton.`,
        'Accept the invitation to create your client account. The link works once and expires in 7 days.',
      ],
      actionLabel: 'Accept the invitation',
      url: absoluteUrl(ctx.config.publicUrl, paths.clientInvitation(token)),
    });
    await queueEmail(trx, now, { organizationId: row.courier_id, to: row.email, ...mail });
    await repo.updateClient(trx, row.courier_id, row.id, { status: 'invited', time_invited: now, invitation_expires_at: expiresAt, time_last_modified: now });
    await recordAudit(trx, now, actor, status === 'invited' ? 'client.reinvited' : 'client.invited', subject(row.id), { email: row.email });
}

export async function inviteClient(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  const view = await ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    const status = row.status as ClientStatus;
    if (status === 'deleted') throw stateConflict('This client was deleted; create it again to invite it.');
    if (status === 'active') throw stateConflict('This client has already accepted its invitation.');
    if (!clientRules.canInvite(status)) throw stateConflict(`A ${status} client cannot be invited.`);
    await sendInvitation(trx, ctx, row, actorOf(u));
    return toClient(await load(trx, u.organizationId, id));
  });
  ctx.messages.kick();
  return view;
}

export async function deleteClient(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', admin: true, write: true });
  await ctx.db.transaction().execute(async (trx) => {
    const row = await load(trx, u.organizationId, id);
    if (!clientRules.canDelete(row.status as ClientStatus)) throw notFound('Client', id);
    const now = ctx.now();
    await repo.updateClient(trx, u.organizationId, id, { status: 'deleted', time_deleted: now, pending_email: null, time_last_modified: now });
    await voidTokens(trx, id, 'client_invite', now);
    await voidTokens(trx, id, 'email_confirm', now);
    if (row.organization_id) {
      // Its people can no longer sign in; sessions and keys stop working at once. Orders stay.
      await trx.updateTable('users').set({ status: 'removed', time_last_modified: now }).where('organization_id', '=', row.organization_id).execute();
      await deleteOrganizationSessions(trx, row.organization_id);
      await revokeOrganizationKeys(trx, row.organization_id, now);
    }
    await recordAudit(trx, now, actorOf(u), 'client.deleted', subject(id), { name: row.name, email: row.email });
  });
}

export async function clientAudit(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier' });
  await load(ctx.db, u.organizationId, id);
  return { entries: await auditTrail(ctx.db, u.organizationId, id) };
}

/** A client that removed, withdrew or lost its invitation answers 410 with the reason. */
async function invitationTarget(db: Db, clientId: string) {
  const client = await repo.findClientById(db, clientId);
  if (!client || client.status === 'deleted') {
    throw gone('This invitation was withdrawn: the courier removed this client. Contact your courier.', { reason: 'deleted' });
  }
  if (client.status === 'active') throw gone('This invitation has already been accepted. Sign in instead.', { reason: 'used' });
  return client;
}

export async function viewInvitation(ctx: AppContext, token: string) {
  const t = await peekToken(ctx.db, token, 'client_invite', ctx.now());
  const client = await invitationTarget(ctx.db, t.subjectId);
  const courier = await findOrganization(ctx.db, client.courier_id);
  return {
    courierName: courier?.name ?? '',
    courierLogo: courier ? toOrganization(courier, ctx.config.publicUrl).image : null,
    clientName: client.name,
    email: client.email,
    status: client.status as ClientStatus,
    expiresAt: t.expiresAt,
  };
}

export async function acceptInvitation(ctx: AppContext, token: string, body: Static<typeof AcceptInvitationBody>) {
  const passwordHash = await hashPassword(body.password, ctx.config.passwordCost);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const t = await consumeToken(trx, token, 'client_invite', now);
    const client = await invitationTarget(trx, t.subjectId);
    const courier = await findOrganization(trx, client.courier_id);
    if (!courier) throw gone('This invitation is no longer valid.', { reason: 'deleted' });

    const existing = await findUserByEmailKey(trx, client.email_key);
    if (existing && existing.status !== 'removed') {
      throw notUnique(`An account with the email ${client.email} already exists. Sign in with it, or ask your courier to invite another address.`, {
        field: 'email',
      });
    }
    // A removed account (of a deleted client) gives its address up to the new one.
    if (existing) await updateUser(trx, existing.organization_id, existing.id, { email_key: `removed:${existing.id}` });

    const orgId = newId();
    const userId = newId();
    const orgName = (body.organizationName ?? client.name).trim();
    await insertOrganization(trx, {
      id: orgId,
      kind: 'client',
      name: orgName,
      email: client.email,
      country: courier.country,
      timezone: courier.timezone,
      image: null,
      courier_id: courier.id,
      webhook_secret: null,
      time_created: now,
      time_last_modified: now,
    });
    await trx
      .insertInto('users')
      .values({
        id: userId,
        organization_id: orgId,
        email: client.email,
        email_key: client.email_key,
        name: body.name.trim(),
        phone: null,
        password_hash: passwordHash,
        role: 'owner',
        is_read_only: 0,
        status: 'active',
        time_created: now,
        time_last_modified: now,
        time_last_sign_in: now,
      })
      .execute();
    await repo.updateClient(trx, client.courier_id, client.id, {
      status: 'active',
      organization_id: orgId,
      name: orgName,
      time_accepted: now,
      invitation_expires_at: null,
      time_last_modified: now,
    });
    const actor: Actor = { organizationId: client.courier_id, id: userId, label: client.email };
    await recordAudit(trx, now, actor, 'client.accepted', subject(client.id), { organization: orgId, name: orgName, user: body.name.trim() });
    const session = await startSession(trx, ctx, { kind: 'user', userId, organizationId: orgId });
    return { session };
  });
}

/** Keeps the courier's record in step when a client renames its organization. */
export async function onClientOrganizationChanged(db: Db, now: number, organizationId: string, change: { name?: string }, actor: Actor) {
  const client = await repo.findClientByOrganization(db, organizationId);
  if (!client || !change.name || change.name === client.name) return;
  await repo.updateClient(db, client.courier_id, client.id, { name: change.name, time_last_modified: now });
  await recordAudit(db, now, { ...actor, organizationId: client.courier_id }, 'client.renamedByClient', subject(client.id), { from: client.name, to: change.name });
}

/** Applies a confirmed change of a client's email (the link was sent to the new address). */
export async function applyClientEmail(db: Db, now: number, clientId: string, email: string) {
  const client = await repo.findClientById(db, clientId);
  if (!client || client.status === 'deleted') throw gone('This client no longer exists.', { reason: 'deleted' });
  if (!client.pending_email || emailKey(client.pending_email) !== emailKey(email)) {
    throw gone('This confirmation link is out of date: the email change was withdrawn or replaced.', { reason: 'voided' });
  }
  const other = await repo.findLiveClientByEmail(db, client.courier_id, emailKey(email));
  if (other && other.id !== client.id) throw notUnique(`Another client already uses ${email}.`, { field: 'email' });
  await repo.updateClient(db, client.courier_id, client.id, { email, email_key: emailKey(email), pending_email: null, time_last_modified: now });
  if (client.organization_id) {
    await updateOrganization(db, client.organization_id, { email, time_last_modified: now });
    // The owner signs in with the client's address; it moves with it.
    const owner = await db
      .selectFrom('users')
      .select(['id', 'email_key'])
      .where('organization_id', '=', client.organization_id)
      .where('role', '=', 'owner')
      .executeTakeFirst();
    if (owner && owner.email_key === client.email_key) {
      const taken = await findUserByEmailKey(db, emailKey(email));
      if (taken && taken.id !== owner.id) throw notUnique(`An account with the email ${email} already exists.`, { field: 'email' });
      await updateUser(db, client.organization_id, owner.id, { email, email_key: emailKey(email), time_last_modified: now });
    }
  }
  await recordAudit(db, now, { organizationId: client.courier_id, id: null, label: email }, 'client.emailConfirmed', subject(client.id), {
    from: client.email,
    to: email,
  });
  return client;
}

export async function refuseTeamDeletionIfAutoAssigned(db: Db, courierId: string, teamId: string) {
  const clients = await repo.clientsAutoAssigningTo(db, courierId, teamId);
  if (clients.length) {
    throw stateConflict(`Orders of ${clients.map((c) => c.name).join(', ')} are assigned to this team automatically. Change that first.`, {
      clients: clients.map((c) => c.id),
    });
  }
}
