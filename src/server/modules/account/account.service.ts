import type { AppContext } from '../../context.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { hashPassword, verifyPassword } from '../../lib/crypto.ts';
import { AppError, gone, notUnique } from '../../lib/errors.ts';
import { findUserById, updateUser } from '../admins/admins.repository.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { deleteUserSessions, findUserByEmailKey } from '../auth/auth.repository.ts';
import { clearSignInLock, emailKey, startSession } from '../auth/auth.service.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { applyClientEmail } from '../clients/clients.service.ts';
import { findClientByOrganization, findLiveClientByEmail, updateClient } from '../clients/clients.repository.ts';
import { queueEmail } from '../messages/messages.service.ts';
import { actionEmail } from '../messages/messages.templates.ts';
import { consumeToken, DAY, issueToken } from '../tokens/tokens.service.ts';

async function signedInUser(ctx: AppContext, p: Principal | null) {
  const u = authorize(p, { write: true });
  if (!u.userId) throw new AppError('forbidden', 'This needs a signed-in person, not an API key.');
  const user = await findUserById(ctx.db, u.userId);
  if (!user) throw new AppError('unauthenticated', 'You are not signed in.');
  return { u, user };
}

/** A person changes their own sign-in email: the change waits for a link sent to the new address. */
export async function requestEmailChange(ctx: AppContext, p: Principal | null, email: string, password: string) {
  const { u, user } = await signedInUser(ctx, p);
  if (!(await verifyPassword(password, user.password_hash))) throw new AppError('invalid', 'The password is incorrect.', { field: 'password' });
  const key = emailKey(email);
  if (key === user.email_key) throw new AppError('invalid', 'That is already your email address.', { field: 'email' });
  if (await findUserByEmailKey(ctx.db, key)) throw notUnique(`An account with the email ${email} already exists.`, { field: 'email' });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const { token, expiresAt } = await issueToken(trx, now, {
      purpose: 'email_confirm',
      organizationId: u.organizationId,
      subjectId: user.id,
      ttlMs: 2 * DAY,
      data: { kind: 'user', email: email.trim() },
    });
    const mail = actionEmail({
      subject: 'Confirm your new Baton sign-in email',
      greeting: `Hello ${user.name},`,
      paragraphs: [
        `You asked to sign in to Baton with ${email.trim()} instead of ${user.email}.`,
        'Your current address stays in use until you confirm. The link works once and expires in 48 hours.',
      ],
      actionLabel: 'Confirm this email address',
      url: absoluteUrl(ctx.config.publicUrl, paths.confirmEmail(token)),
      footer: 'If you did not ask for this, ignore this email and nothing will change.',
    });
    await queueEmail(trx, now, { organizationId: u.organizationId, to: email.trim(), ...mail });
    await recordAudit(trx, now, { organizationId: u.organizationId, id: user.id, label: user.email }, 'user.emailChangeRequested', { type: 'admin', id: user.id }, { to: email.trim() });
    return { pendingEmail: email.trim(), expiresAt };
  });
  ctx.messages.kick();
  return result;
}

/** Applies an email change from a confirmation link (a client's address or a person's sign-in email). */
export async function confirmEmail(ctx: AppContext, token: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const t = await consumeToken(trx, token, 'email_confirm', now);
    const data = t.data as { kind: 'client' | 'user'; email: string };
    if (data.kind === 'client') {
      await applyClientEmail(trx, now, t.subjectId, data.email);
      return { kind: 'client' as const, email: data.email };
    }
    const user = await findUserById(trx, t.subjectId);
    if (!user || user.status !== 'active') throw gone('This account no longer exists or was deactivated.', { reason: 'deleted' });
    const key = emailKey(data.email);
    const taken = await findUserByEmailKey(trx, key);
    if (taken && taken.id !== user.id) throw notUnique(`An account with the email ${data.email} already exists.`, { field: 'email' });
    await updateUser(trx, user.organization_id, user.id, { email: data.email, email_key: key, time_last_modified: now });
    // A client's owner signs in with the client's address; the courier sees the new one.
    const client = user.role === 'owner' ? await findClientByOrganization(trx, user.organization_id) : undefined;
    if (client && client.status !== 'deleted' && client.email_key === user.email_key) {
      const other = await findLiveClientByEmail(trx, client.courier_id, key);
      if (other && other.id !== client.id) throw notUnique(`Another client of your courier already uses ${data.email}.`, { field: 'email' });
      await updateClient(trx, client.courier_id, client.id, { email: data.email, email_key: key, pending_email: null, time_last_modified: now });
      await trx.updateTable('organizations').set({ email: data.email, time_last_modified: now }).where('id', '=', user.organization_id).execute();
      await recordAudit(trx, now, { organizationId: client.courier_id, id: user.id, label: data.email }, 'client.emailChangedByClient', { type: 'client', id: client.id }, { from: user.email, to: data.email });
    }
    await recordAudit(trx, now, { organizationId: user.organization_id, id: user.id, label: data.email }, 'user.emailChanged', { type: 'admin', id: user.id }, { from: user.email, to: data.email });
    return { kind: 'user' as const, email: data.email };
  });
}

/** Changes the password; every other session of the person ends, and a fresh one is returned. */
export async function changePassword(ctx: AppContext, p: Principal | null, currentPassword: string, newPassword: string) {
  const { u, user } = await signedInUser(ctx, p);
  if (!(await verifyPassword(currentPassword, user.password_hash))) throw new AppError('invalid', 'The current password is incorrect.', { field: 'currentPassword' });
  const hash = await hashPassword(newPassword, ctx.config.passwordCost);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    await updateUser(trx, u.organizationId, user.id, { password_hash: hash, time_last_modified: now });
    await deleteUserSessions(trx, user.id);
    await recordAudit(trx, now, { organizationId: u.organizationId, id: user.id, label: user.email }, 'user.passwordChanged', { type: 'admin', id: user.id });
    return startSession(trx, ctx, { kind: 'user', userId: user.id, organizationId: u.organizationId });
  });
}

const RESET_TTL_MS = 3600_000;

/**
 * "Forgot your password": mails a single-use link (valid for an hour) to an active account with this
 * address. The answer is the same whether or not there is one, and requests are limited per address
 * and per account like sign-ins.
 */
export async function requestPasswordReset(ctx: AppContext, email: string, ip: string): Promise<void> {
  const { limiter, config } = ctx;
  const now = ctx.now();
  const key = emailKey(email);
  if (config.rateLimits.enabled) {
    for (const k of [`reset:acct:${key}`, `reset:ip:${ip}`]) {
      const h = await limiter.hit(k, config.rateLimits.loginWindowMs, now);
      if (h.count > config.rateLimits.loginMax) {
        const seconds = Math.max(1, Math.ceil((h.resetAt - now) / 1000));
        throw new AppError('tooManyRequests', `Too many password reset requests. Try again in ${Math.ceil(seconds / 60)} minute(s).`, null, { 'Retry-After': String(seconds) });
      }
    }
  }
  const user = await findUserByEmailKey(ctx.db, key);
  if (!user || user.status !== 'active' || !user.password_hash) return;
  await ctx.db.transaction().execute(async (trx) => {
    const { token } = await issueToken(trx, now, { purpose: 'password_reset', organizationId: user.organization_id, subjectId: user.id, ttlMs: RESET_TTL_MS });
    const mail = actionEmail({
      subject: 'Reset your Baton password',
      greeting: `Hello ${user.name},`,
      paragraphs: ['Someone asked to reset the password of your Baton account. If it was you, choose a new password with the link below.', 'The link works once and expires in one hour. Choosing a new password signs you out everywhere else.'],
      actionLabel: 'Choose a new password',
      url: absoluteUrl(ctx.config.publicUrl, paths.resetPassword(token)),
      footer: 'If you did not ask for this, ignore this email: your password stays as it is.',
    });
    await queueEmail(trx, now, { organizationId: user.organization_id, to: user.email, ...mail });
    await recordAudit(trx, now, { organizationId: user.organization_id, id: user.id, label: user.email }, 'user.passwordResetRequested', { type: 'admin', id: user.id });
  });
  ctx.messages.kick();
}

/** Sets a new password from a reset link: every session of the person ends, and a fresh one starts. */
export async function resetPassword(ctx: AppContext, token: string, password: string) {
  const hash = await hashPassword(password, ctx.config.passwordCost);
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const t = await consumeToken(trx, token, 'password_reset', now);
    const user = await findUserById(trx, t.subjectId);
    if (!user || user.status !== 'active') throw gone('This account no longer exists or was deactivated.', { reason: 'deleted' });
    await updateUser(trx, user.organization_id, user.id, { password_hash: hash, time_last_modified: now });
    await deleteUserSessions(trx, user.id);
    // The new password lifts a sign-in lock-out: the way out for the account's owner.
    await clearSignInLock(trx, user.email);
    await recordAudit(trx, now, { organizationId: user.organization_id, id: user.id, label: user.email }, 'user.passwordReset', { type: 'admin', id: user.id });
    return startSession(trx, ctx, { kind: 'user', userId: user.id, organizationId: user.organization_id });
  });
}
