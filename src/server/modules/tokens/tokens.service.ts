import type { Db } from '../../db/database.ts';
import { newSecret, sha256 } from '../../lib/crypto.ts';
import { gone } from '../../lib/errors.ts';
import * as repo from './tokens.repository.ts';

export type TokenPurpose = 'admin_invite' | 'client_invite' | 'email_confirm' | 'password_reset' | 'driver_login';

export const DAY = 24 * 3600_000;

/**
 * Issues a single-use link token (stored hashed). Issuing voids the subject's earlier tokens of the
 * same purpose, so only the newest link works.
 */
export async function issueToken(
  db: Db,
  now: number,
  t: { purpose: TokenPurpose; organizationId: string; subjectId: string; ttlMs: number; data?: unknown },
): Promise<{ token: string; expiresAt: number }> {
  await repo.voidTokens(db, t.subjectId, t.purpose, now);
  const token = newSecret();
  const expiresAt = now + t.ttlMs;
  await repo.insertToken(db, {
    token_hash: sha256(token),
    purpose: t.purpose,
    organization_id: t.organizationId,
    subject_id: t.subjectId,
    data: t.data === undefined ? null : JSON.stringify(t.data),
    time_created: now,
    expires_at: expiresAt,
    time_used: null,
    time_voided: null,
  });
  return { token, expiresAt };
}

export interface ValidToken {
  hash: string;
  organizationId: string;
  subjectId: string;
  data: unknown;
  expiresAt: number;
}

const WHY: Record<string, string> = {
  used: 'This link has already been used.',
  expired: 'This link has expired. Ask for a new one.',
  voided: 'This link has been replaced by a newer one. Use the most recent email.',
  unknown: 'This link is not valid. Check that you copied it completely.',
};

/** Looks a token up without using it; throws 410 with the reason when it is not usable. */
export async function peekToken(db: Db, token: string, purpose: TokenPurpose, now: number): Promise<ValidToken> {
  const hash = sha256(token);
  const row = await repo.findToken(db, hash);
  if (!row || row.purpose !== purpose) throw gone(WHY.unknown, { reason: 'unknown' });
  if (row.time_used) throw gone(WHY.used, { reason: 'used' });
  if (row.time_voided) throw gone(WHY.voided, { reason: 'voided' });
  if (row.expires_at <= now) throw gone(WHY.expired, { reason: 'expired' });
  return {
    hash,
    organizationId: row.organization_id,
    subjectId: row.subject_id,
    data: row.data ? JSON.parse(row.data) : null,
    expiresAt: row.expires_at,
  };
}

/** Uses a token exactly once (race-safe); call inside the transaction that applies its effect. */
export async function consumeToken(db: Db, token: string, purpose: TokenPurpose, now: number): Promise<ValidToken> {
  const valid = await peekToken(db, token, purpose, now);
  if (!(await repo.consumeToken(db, valid.hash, now))) throw gone(WHY.used, { reason: 'used' });
  return valid;
}
