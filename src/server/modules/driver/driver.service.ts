import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { absoluteUrl, paths } from '../../../shared/paths.ts';
import { AppError, forbidden, invalid, notFound, unauthenticated } from '../../lib/errors.ts';
import type { Actor } from '../audit/audit.service.ts';
import { startSession } from '../auth/auth.service.ts';
import { authorize, type DriverPrincipal, type Principal } from '../auth/principal.ts';
import { recordEvent } from '../events/events.service.ts';
import { queueEmail } from '../messages/messages.service.ts';
import { queueSms } from '../messages/messages.service.ts';
import { actionEmail } from '../messages/messages.templates.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import { activeTaskOf } from '../notifications/notifications.repository.ts';
import { onDriverPosition } from '../notifications/notifications.service.ts';
import * as tasksRepo from '../tasks/tasks.repository.ts';
import type { CompleteTaskInput } from '../tasks/tasks.schemas.ts';
import { completeTaskAs, startTaskAs, viewTasks } from '../tasks/tasks.service.ts';
import { consumeToken, issueToken } from '../tokens/tokens.service.ts';
import { storeImage } from '../uploads/uploads.service.ts';
import { findWorker, updateWorker } from '../workers/workers.repository.ts';
import { toWorker } from '../workers/workers.service.ts';
import { teamsOf } from '../workers/workers.repository.ts';

export const DRIVER_LINK_TTL = 30 * 60_000;

function requireDriver(p: Principal | null): DriverPrincipal {
  if (!p) throw unauthenticated('Open the sign-in link your dispatcher sent you.');
  if (p.kind !== 'driver') throw forbidden('This is for drivers signed in to the driver app.');
  return p;
}

const driverActor = (p: DriverPrincipal): Actor => ({ organizationId: p.organizationId, id: p.workerId, label: p.label });

async function loadWorker(db: Db, p: DriverPrincipal) {
  const w = await findWorker(db, p.organizationId, p.workerId);
  if (!w) throw new AppError('accountRemoved', 'This driver account no longer exists.');
  return w;
}

/** A one-time sign-in link for a driver (courier side); optionally sent by SMS or email. */
export async function createLoginLink(ctx: AppContext, p: Principal | null, workerId: string, send?: 'sms' | 'email') {
  const u = authorize(p, { org: 'courier', write: true });
  const result = await ctx.db.transaction().execute(async (trx) => {
    const worker = await findWorker(trx, u.organizationId, workerId);
    if (!worker) throw notFound('Worker', workerId);
    const now = ctx.now();
    const { token, expiresAt } = await issueToken(trx, now, { purpose: 'driver_login', organizationId: u.organizationId, subjectId: worker.id, ttlMs: DRIVER_LINK_TTL });
    const url = absoluteUrl(ctx.config.publicUrl, paths.driverLogin(token));
    const org = await findOrganization(trx, u.organizationId);
    if (send === 'sms') {
      await queueSms(trx, now, { organizationId: u.organizationId, to: worker.phone, text: `${org?.name ?? 'Baton'}: sign in to the driver app: ${url} (valid 30 minutes, once)` });
    } else if (send === 'email') {
      if (!worker.email) throw invalid('This driver has no email address; send the link by SMS or copy it.', { field: 'send' });
      const mail = actionEmail({
        subject: `Sign in to the ${org?.name ?? 'Baton'} driver app`,
        greeting: `Hello ${worker.name},`,
        paragraphs: ['Open this link on your phone to sign in to the driver app. It works once and expires in 30 minutes.'],
        actionLabel: 'Open the driver app',
        url,
      });
      await queueEmail(trx, now, { organizationId: u.organizationId, to: worker.email, ...mail });
    }
    return { url, expiresAt };
  });
  ctx.messages.kick();
  return result;
}

export async function startDriverSession(ctx: AppContext, token: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const t = await consumeToken(trx, token, 'driver_login', now);
    const worker = await findWorker(trx, t.organizationId, t.subjectId);
    if (!worker) throw new AppError('gone', 'This driver account no longer exists.', { reason: 'deleted' });
    if (worker.account_status !== 'ACCEPTED') await updateWorker(trx, t.organizationId, worker.id, { account_status: 'ACCEPTED', time_last_modified: now });
    return startSession(trx, ctx, { kind: 'driver', workerId: worker.id, organizationId: t.organizationId });
  });
}

export async function me(ctx: AppContext, p: Principal | null) {
  const d = requireDriver(p);
  const w = await loadWorker(ctx.db, d);
  const org = await findOrganization(ctx.db, d.organizationId);
  const teams = (await teamsOf(ctx.db, [w.id])).get(w.id) ?? [];
  return { worker: toWorker(w, teams), organization: { id: org!.id, name: org!.name } };
}

export async function setDuty(ctx: AppContext, p: Principal | null, onDuty: boolean) {
  const d = requireDriver(p);
  return ctx.db.transaction().execute(async (trx) => {
    const w = await loadWorker(trx, d);
    const active = (await tasksRepo.workerTasks(trx, w.id)).some((t) => t.state === 2);
    if (!onDuty && active) throw new AppError('stateConflict', 'Complete your active task before going off duty.');
    const now = ctx.now();
    await updateWorker(trx, d.organizationId, w.id, { on_duty: onDuty ? 1 : 0, time_last_seen: now, time_last_modified: now });
    const view = toWorker({ ...w, on_duty: onDuty ? 1 : 0, time_last_seen: now }, (await teamsOf(trx, [w.id])).get(w.id) ?? []);
    await recordEvent(trx, now, { organizationId: d.organizationId, type: 'worker.duty', subjectId: w.id, payload: { worker: view }, workerId: w.id });
    return view;
  });
}

export async function reportLocation(ctx: AppContext, p: Principal | null, loc: { location: [number, number]; accuracy?: number; time?: number }) {
  const d = requireDriver(p);
  const now = ctx.now();
  // The ETA of the task under way is estimated outside the transaction (it may ask a routing service).
  const active = await activeTaskOf(ctx.db, d.workerId);
  const etaSeconds = active && active.location_lng !== null && active.location_lat !== null ? await ctx.eta.seconds(loc.location, [active.location_lng, active.location_lat]) : null;
  await ctx.db.transaction().execute(async (trx) => {
    await updateWorker(trx, d.organizationId, d.workerId, { location_lng: loc.location[0], location_lat: loc.location[1], time_last_seen: now });
    if (active && etaSeconds !== null) {
      const current = await tasksRepo.findTask(trx, d.organizationId, active.id);
      if (current && current.state === 2 && current.worker_id === d.workerId) await onDriverPosition(trx, ctx, current, loc.location, etaSeconds);
    }
    await recordEvent(trx, now, {
      organizationId: d.organizationId,
      type: 'worker.location',
      subjectId: d.workerId,
      payload: { worker: d.workerId, location: loc.location, accuracy: loc.accuracy ?? null, time: loc.time ?? now },
      workerId: d.workerId,
    });
  });
  return { ok: true as const };
}

export async function myTasks(ctx: AppContext, p: Principal | null) {
  const d = requireDriver(p);
  const rows = await tasksRepo.workerTasks(ctx.db, d.workerId);
  return { tasks: await viewTasks(ctx.db, ctx, rows) };
}

async function loadOwnTask(db: Db, d: DriverPrincipal, id: string) {
  const row = await tasksRepo.findTask(db, d.organizationId, id);
  // A driver sees only tasks assigned to it.
  if (!row || row.worker_id !== d.workerId) throw notFound('Task', id);
  return row;
}

export async function startAsDriver(ctx: AppContext, p: Principal | null, id: string) {
  const d = requireDriver(p);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwnTask(trx, d, id);
    const w = await loadWorker(trx, d);
    const location = w.location_lng !== null && w.location_lat !== null ? ([w.location_lng, w.location_lat] as [number, number]) : null;
    return startTaskAs(trx, ctx, row, { id: w.id, onDuty: w.on_duty === 1, location }, driverActor(d));
  });
}

export async function completeAsDriver(ctx: AppContext, p: Principal | null, id: string, input: CompleteTaskInput) {
  const d = requireDriver(p);
  return ctx.db.transaction().execute(async (trx) => {
    const row = await loadOwnTask(trx, d, id);
    const w = await loadWorker(trx, d);
    const location = w.location_lng !== null && w.location_lat !== null ? ([w.location_lng, w.location_lat] as [number, number]) : null;
    return completeTaskAs(trx, ctx, row, input, { by: 'worker', workerId: d.workerId, actor: driverActor(d), location });
  });
}

export async function uploadProof(ctx: AppContext, p: Principal | null, data: Buffer, kind: 'photo' | 'signature') {
  if (!p) throw unauthenticated();
  if (p.kind === 'user') authorize(p, { org: 'courier', write: true });
  const id = await storeImage(ctx, p.organizationId, kind, data);
  return { id };
}

