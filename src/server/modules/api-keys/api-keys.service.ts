import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { newSecret, sha256 } from '../../lib/crypto.ts';
import { notFound } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorize, type Principal, type UserPrincipal } from '../auth/principal.ts';
import * as repo from './api-keys.repository.ts';

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  lastUsed: number | null;
  timeCreated: number;
}

const toView = (r: { id: string; name: string; key_prefix: string; time_last_used: number | null; time_created: number }): ApiKeyView => ({
  id: r.id,
  name: r.name,
  prefix: r.key_prefix,
  lastUsed: r.time_last_used,
  timeCreated: r.time_created,
});

export async function listKeys(ctx: AppContext, p: Principal | null) {
  const u = authorize(p, { admin: true });
  return (await repo.listApiKeys(ctx.db, u.organizationId)).map(toView);
}

/** Creates a key; the secret is returned only here and stored only as a hash. */
export async function createKey(ctx: AppContext, p: Principal | null, name: string) {
  const u = authorize(p, { admin: true, write: true });
  return ctx.db.transaction().execute(async (trx) => createKeyFor(trx, ctx.now(), u.organizationId, name, u));
}

export async function createKeyFor(db: Db, now: number, organizationId: string, name: string, by: UserPrincipal | null) {
  const key = newSecret(24);
  const row = {
    id: newId(),
    organization_id: organizationId,
    name,
    key_hash: sha256(key),
    key_prefix: key.slice(0, 6),
    created_by: by?.userId ?? null,
    time_created: now,
    time_last_used: null,
    time_revoked: null,
  };
  await repo.insertApiKey(db, row);
  if (by) await recordAudit(db, now, { organizationId, id: by.userId, label: by.label }, 'apiKey.created', { type: 'apiKey', id: row.id }, { name });
  return { ...toView(row), key };
}

export async function revokeKey(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { admin: true, write: true });
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await repo.revokeApiKey(trx, u.organizationId, id, ctx.now()))) throw notFound('API key', id);
    await recordAudit(trx, ctx.now(), { organizationId: u.organizationId, id: u.userId, label: u.label }, 'apiKey.revoked', { type: 'apiKey', id });
  });
}

// Writing last-use on every request would turn every read into a write; once a minute is enough.
const TOUCH_EVERY_MS = 60_000;

/** Resolves an API key to its principal, or null. */
export async function resolveApiKey(ctx: AppContext, key: string): Promise<UserPrincipal | null> {
  const row = await repo.findActiveKeyByHash(ctx.db, sha256(key));
  if (!row) return null;
  const now = ctx.now();
  if (!row.time_last_used || now - row.time_last_used > TOUCH_EVERY_MS) await repo.touchApiKey(ctx.db, row.id, now);
  return {
    kind: 'user',
    via: 'apiKey',
    organizationId: row.organization_id,
    orgKind: row.org_kind,
    userId: null,
    role: 'super',
    readOnly: false,
    apiKeyId: row.id,
    label: `API key "${row.name}"`,
  };
}
