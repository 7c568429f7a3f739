import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { hashPassword, newSecret, sha256, verifyPassword } from '../../lib/crypto.ts';
import { AppError, stateConflict } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { insertUser } from '../admins/admins.repository.ts';
import { createKeyFor } from '../api-keys/api-keys.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { queueEmail } from '../messages/messages.service.ts';
import { actionEmail } from '../messages/messages.templates.ts';
import { checkCountry, checkTimezone, toOrganization } from '../organization/organization.ts';
import { findOrganization, insertOrganization } from '../organization/organization.repository.ts';
import * as repo from './auth.repository.ts';
import type { Principal } from './principal.ts';

export const emailKey = (email: string) => email.trim().toLowerCase();

export interface NewSession {
  token: string;
  expiresAt: number;
}

export async function startSession(
  db: Db,
  ctx: AppContext,
  who: { kind: 'user'; userId: string; organizationId: string } | { kind: 'driver'; workerId: string; organizationId: string },
): Promise<NewSession> {
  const token = newSecret();
  const now = ctx.now();
  const expiresAt = now + ctx.config.sessionTtlMs;
  await repo.insertSession(db, {
    token_hash: sha256(token),
    kind: who.kind,
    user_id: who.kind === 'user' ? who.userId : null,
    worker_id: who.kind === 'driver' ? who.workerId : null,
    organization_id: who.organizationId,
    time_created: now,
    expires_at: expiresAt,
  });
  return { token, expiresAt };
}

/** Resolves a session token (cookie or Bearer) to its principal, or null when unknown, expired or revoked. */
export async function resolveSession(ctx: AppContext, token: string): Promise<Principal | null> {
  const hash = sha256(token);
  const s = await repo.findSession(ctx.db, hash);
  if (!s) return null;
  if (s.expires_at <= ctx.now()) {
    await repo.deleteSession(ctx.db, hash);
    return null;
  }
  if (s.kind === 'driver') {
    if (!s.worker_id) return null;
    return { kind: 'driver', via: 'session', organizationId: s.organization_id, workerId: s.worker_id, label: `driver ${s.worker_id}` };
  }
  if (!s.user_id) return null;
  const u = await repo.findSessionUser(ctx.db, s.user_id);
  if (!u || u.status !== 'active') return null;
  return {
    kind: 'user',
    via: 'session',
    organizationId: u.organization_id,
    orgKind: u.org_kind,
    userId: u.id,
    role: u.role as 'owner' | 'super' | 'standard',
    readOnly: u.is_read_only === 1,
    apiKeyId: null,
    label: u.email,
  };
}

export async function endSession(ctx: AppContext, token: string) {
  await repo.deleteSession(ctx.db, sha256(token));
}

function tooMany(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(
    'tooManyRequests',
    `Too many failed sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).`,
    null,
    { 'Retry-After': String(seconds) },
  );
}

/** Consecutive failures older than this are forgotten: the next one counts as the first. */
const FORGET_FAILURES_MS = 24 * 3600_000;

/** The sign-in lock-out's key for an email address (whether or not it has an account); only its hash is stored. */
export const signInLockKey = (email: string) => sha256(`sign-in:${emailKey(email)}`);

function duration(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 90) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

function accountLocked(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(
    'tooManyRequests',
    `Sign-in with this email address is paused for ${duration(retryAfterMs)} after too many wrong passwords. ` +
      'Try again then, or choose a new password with “Forgot your password?”, which also lifts the pause.',
    { reason: 'accountLocked', retryAfter: seconds },
    { 'Retry-After': String(seconds) },
  );
}

/** Refuses a sign-in while its email address is locked (the same for addresses without an account). */
async function checkSignInLock(ctx: AppContext, keyHash: string, now: number) {
  const { enabled, loginLockAfter } = ctx.config.rateLimits;
  if (!enabled || loginLockAfter === 0) return;
  const row = await repo.findSignInFailures(ctx.db, keyHash);
  if (row && row.locked_until > now) throw accountLocked(row.locked_until - now);
}

/**
 * Counts a failed sign-in for the address; from the `loginLockAfter`-th consecutive failure on, the
 * address locks for `loginLockMs`, doubling with each further failure up to `loginLockMaxMs`. The
 * owner of an account is mailed once when its lock-out starts.
 */
async function recordSignInFailure(ctx: AppContext, keyHash: string, now: number, user: repo.UserRow | undefined) {
  const { enabled, loginLockAfter, loginLockMs, loginLockMaxMs } = ctx.config.rateLimits;
  if (!enabled || loginLockAfter === 0) return;
  const failures = await repo.addSignInFailure(ctx.db, keyHash, now, now - FORGET_FAILURES_MS);
  if (failures === 1) await repo.deleteOldSignInFailures(ctx.db, now - FORGET_FAILURES_MS);
  if (failures < loginLockAfter) return;
  const lockMs = Math.min(loginLockMaxMs, loginLockMs * 2 ** Math.min(failures - loginLockAfter, 30));
  await repo.lockSignIn(ctx.db, keyHash, now + lockMs);
  if (failures === loginLockAfter && user && user.status === 'active') {
    const mail = actionEmail({
      subject: 'Sign-in to your Baton account was paused',
      greeting: `Hello ${user.name},`,
      paragraphs: [
        `Someone tried to sign in to your Baton account (${user.email}) with a wrong password ${failures} times in a row, so sign-in is paused for ${duration(lockMs)}; each further wrong password pauses it for longer.`,
        'If it was you, wait a little and try again, or choose a new password now: that lifts the pause. If it was not you, your password still protects the account; consider choosing a stronger one.',
      ],
      actionLabel: 'Choose a new password',
      url: absoluteUrl(ctx.config.publicUrl, paths.forgotPassword()),
    });
    await ctx.db.transaction().execute(async (trx) => {
      await queueEmail(trx, now, { organizationId: user.organization_id, to: user.email, ...mail });
      await recordAudit(trx, now, { organizationId: user.organization_id, id: null, label: 'Baton' }, 'user.signInLocked', { type: 'admin', id: user.id }, { failures });
    });
    ctx.messages.kick();
  }
}

/** A successful sign-in or a new password ends the address's count of failures (and any lock). */
export async function clearSignInLock(db: Db, email: string) {
  await repo.clearSignInFailures(db, signInLockKey(email));
}

/**
 * Email + password sign-in. Failed attempts are limited per address (the rate limiter) and lock the
 * email address for a growing time (in the database, so every instance sees it); a correct password
 * does not get through while either applies. Unknown addresses are counted and locked alike, so the
 * answers do not tell whether an account exists.
 */
export async function signIn(ctx: AppContext, email: string, password: string, ip: string) {
  const { limiter, config } = ctx;
  const now = ctx.now();
  const ipKey = `login:ip:${ip}`;
  const lockKey = signInLockKey(email);
  if (config.rateLimits.enabled) {
    const h = await limiter.peek(ipKey, now);
    if (h && h.count >= config.rateLimits.loginMax) throw tooMany(h.resetAt - now);
  }
  await checkSignInLock(ctx, lockKey, now);
  const user = await repo.findUserByEmailKey(ctx.db, emailKey(email));
  const ok = await verifyPassword(password, user?.password_hash ?? null);
  if (!user || !ok) {
    if (config.rateLimits.enabled) await limiter.hit(ipKey, config.rateLimits.loginWindowMs, now);
    await recordSignInFailure(ctx, lockKey, now, user);
    throw new AppError('unauthenticated', 'The email or password is incorrect.');
  }
  if (user.status === 'removed') {
    throw new AppError('accountRemoved', 'This account was removed by the courier. Contact your courier if you think this is a mistake.');
  }
  if (user.status === 'deactivated') {
    throw new AppError('accountRemoved', 'This account has been deactivated. Ask an administrator of your organization to reactivate it.');
  }
  if (user.status !== 'active') throw new AppError('unauthenticated', 'This account has not been activated yet. Use the link in your invitation email.');
  return ctx.db.transaction().execute(async (trx) => {
    await repo.clearSignInFailures(trx, lockKey);
    await repo.touchSignIn(trx, user.id, now);
    const session = await startSession(trx, ctx, { kind: 'user', userId: user.id, organizationId: user.organization_id });
    return { session, userId: user.id };
  });
}

export async function setupNeeded(ctx: AppContext): Promise<boolean> {
  return (await repo.countOrganizations(ctx.db, 'courier')) === 0;
}

export interface CourierInput {
  organizationName: string;
  email: string;
  name: string;
  password: string;
  country?: string;
  timezone?: string;
}

/** Creates a courier organization with its owner (and optionally an API key), in the caller's transaction. */
export async function createCourier(
  db: Db,
  opts: { now: number; passwordCost: number },
  input: CourierInput,
  withApiKey = false,
) {
  const { now } = opts;
  const orgId = newId();
  const userId = newId();
  const key = emailKey(input.email);
  if (await repo.findUserByEmailKey(db, key)) {
    throw new AppError('notUnique', `An account with the email ${input.email} already exists.`, { field: 'email' });
  }
  await insertOrganization(db, {
    id: orgId,
    kind: 'courier',
    name: input.organizationName.trim(),
    email: input.email.trim(),
    country: checkCountry(input.country ?? 'US'),
    timezone: checkTimezone(input.timezone ?? 'UTC'),
    image: null,
    courier_id: null,
    webhook_secret: null,
    time_created: now,
    time_last_modified: now,
  });
  await insertUser(db, {
    id: userId,
    organization_id: orgId,
    email: input.email.trim(),
    email_key: key,
    name: input.name.trim(),
    phone: null,
    password_hash: await hashPassword(input.password, opts.passwordCost),
    role: 'owner',
    is_read_only: 0,
    status: 'active',
    time_created: now,
    time_last_modified: now,
    time_last_sign_in: null,
  });
  await recordAudit(db, now, { organizationId: orgId, id: userId, label: input.email }, 'organization.created', { type: 'organization', id: orgId });
  const apiKey = withApiKey ? (await createKeyFor(db, now, orgId, 'Default', null)).key : null;
  return { organizationId: orgId, userId, apiKey };
}

/** First-run set-up: only while the server has no courier organization. */
export async function setup(ctx: AppContext, input: CourierInput) {
  return ctx.db.transaction().execute(async (trx) => {
    if ((await repo.countOrganizations(trx, 'courier')) > 0) {
      throw stateConflict('Baton is already set up. Sign in instead.');
    }
    const created = await createCourier(trx, { now: ctx.now(), passwordCost: ctx.config.passwordCost }, input);
    const session = await startSession(trx, ctx, { kind: 'user', userId: created.userId, organizationId: created.organizationId });
    return { ...created, session };
  });
}

export async function currentSession(ctx: AppContext, p: Principal) {
  const org = await findOrganization(ctx.db, p.organizationId);
  if (!org) return null;
  let user = null;
  if (p.kind === 'user' && p.userId) {
    const u = await repo.findSessionUser(ctx.db, p.userId);
    if (u) user = { id: u.id, name: u.name, email: u.email, role: u.role, isReadOnly: u.is_read_only === 1 };
  }
  let courier = null;
  if (org.kind === 'client' && org.courier_id) {
    const c = await findOrganization(ctx.db, org.courier_id);
    if (c) courier = { id: c.id, name: c.name, image: toOrganization(c, ctx.config.publicUrl).image };
  }
  return {
    kind: p.kind,
    user,
    workerId: p.kind === 'driver' ? p.workerId : null,
    organization: toOrganization(org, ctx.config.publicUrl),
    courier,
  };
}
