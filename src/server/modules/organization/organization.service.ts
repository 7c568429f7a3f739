import type { Static } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { invalid, notFound } from '../../lib/errors.ts';
import { actorOf } from '../admins/admins.service.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { onClientOrganizationChanged } from '../clients/clients.service.ts';
import { storeImage } from '../uploads/uploads.service.ts';
import { checkCountry, checkTimezone, toOrganization } from './organization.ts';
import * as repo from './organization.repository.ts';
import type { UpdateOrganizationBody } from './organization.schemas.ts';

export async function getOrganization(ctx: AppContext, p: Principal | null) {
  if (!p) authorize(p);
  const row = await repo.findOrganization(ctx.db, p!.organizationId);
  if (!row) throw notFound('Organization');
  return toOrganization(row, ctx.config.publicUrl);
}

export async function updateOrganization(ctx: AppContext, p: Principal | null, body: Static<typeof UpdateOrganizationBody>) {
  const u = authorize(p, { admin: true, write: true });
  if (u.orgKind === 'client' && body.email !== undefined) {
    throw invalid("A client organization's email is its owner's sign-in email: change it under Settings → Account, where it is confirmed by a link.", {
      field: 'email',
    });
  }
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    await repo.updateOrganization(trx, u.organizationId, {
      ...(body.name !== undefined ? { name: body.name.trim() } : {}),
      ...(body.email !== undefined ? { email: body.email.trim() } : {}),
      ...(body.country !== undefined ? { country: checkCountry(body.country) } : {}),
      ...(body.timezone !== undefined ? { timezone: checkTimezone(body.timezone) } : {}),
      time_last_modified: now,
    });
    await recordAudit(trx, now, actorOf(u), 'organization.updated', { type: 'organization', id: u.organizationId }, body);
    if (u.orgKind === 'client') await onClientOrganizationChanged(trx, now, u.organizationId, { name: body.name?.trim() }, actorOf(u));
    const row = await repo.findOrganization(trx, u.organizationId);
    return toOrganization(row!, ctx.config.publicUrl);
  });
}

export async function setLogo(ctx: AppContext, p: Principal | null, file: { data: Buffer } | null) {
  const u = authorize(p, { admin: true, write: true });
  const uploadId = file ? await storeImage(ctx, u.organizationId, 'logo', file.data) : null;
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    await repo.updateOrganization(trx, u.organizationId, { image: uploadId, time_last_modified: now });
    await recordAudit(trx, now, actorOf(u), file ? 'organization.logoChanged' : 'organization.logoRemoved', { type: 'organization', id: u.organizationId });
    const row = await repo.findOrganization(trx, u.organizationId);
    return toOrganization(row!, ctx.config.publicUrl);
  });
}
