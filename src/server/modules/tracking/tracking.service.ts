import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { AppError, forbidden, notFound, stateConflict } from '../../lib/errors.ts';
import { TurnBatch } from '../../lib/turn-batch.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import { firstName } from '../notifications/notifications.templates.ts';
import { findOrganization } from '../organization/organization.repository.ts';
import * as tasksRepo from '../tasks/tasks.repository.ts';
import { taskChanged } from '../tasks/tasks.service.ts';
import type { Completion } from '../tasks/tasks.view.ts';
import { readAllowedUpload } from '../uploads/uploads.service.ts';
import { findWorker } from '../workers/workers.repository.ts';
import { TrackingCache } from './tracking.cache.ts';
import * as repo from './tracking.repository.ts';
import type { FeedbackInput, Settings, TrackingView, UpdateSettingsInput } from './tracking.schemas.ts';

export const DEFAULT_SETTINGS: Settings = {
  logo: null,
  primaryColor: '#1c7ed6',
  headline: 'Your delivery',
  message: '',
  contactPhone: null,
  contactEmail: null,
  showDriverName: true,
  showDriverPhoto: false,
  showDriverLocation: true,
  showProofOfDelivery: true,
  feedbackEnabled: true,
};

/** An organization's own settings (null when it set none), merged over Baton's defaults. */
async function ownSettings(db: Db, organizationId: string): Promise<Settings | null> {
  const row = await repo.findSettings(db, organizationId);
  return row ? { ...DEFAULT_SETTINGS, ...(JSON.parse(row.settings) as Partial<Settings>) } : null;
}

/** What a merchant's recipients see: its own page, else its courier's, else Baton's defaults. */
async function effectiveSettings(db: Db, merchantId: string, courierId: string | null): Promise<{ settings: Settings; inherited: boolean }> {
  const own = await ownSettings(db, merchantId);
  if (own) return { settings: own, inherited: false };
  const courier = courierId && courierId !== merchantId ? await ownSettings(db, courierId) : null;
  return { settings: courier ?? DEFAULT_SETTINGS, inherited: true };
}

// ---------------------------------------------------------------- the customizer

export async function getSettings(ctx: AppContext, p: Principal | null) {
  const u = authorize(p);
  const courierId = u.orgKind === 'client' ? ((await findOrganization(ctx.db, u.organizationId))?.courier_id ?? null) : null;
  const { settings, inherited } = await effectiveSettings(ctx.db, u.organizationId, courierId);
  return { ...settings, inherited };
}

export async function updateSettings(ctx: AppContext, p: Principal | null, input: UpdateSettingsInput) {
  const u = authorize(p, { write: true });
  const current = await getSettings(ctx, p);
  const { inherited: _inherited, ...base } = current;
  const next: Settings = { ...base, ...input };
  await repo.saveSettings(ctx.db, u.organizationId, JSON.stringify(next), ctx.now());
  cache.clear();
  ctx.trackingCache.clear();
  return { ...next, inherited: false };
}

export async function resetSettings(ctx: AppContext, p: Principal | null) {
  const u = authorize(p, { write: true });
  await repo.deleteSettings(ctx.db, u.organizationId);
  cache.clear();
  ctx.trackingCache.clear();
}

// ---------------------------------------------------------------- the public page

/**
 * Branding changes rarely and every recipient of an order may open the page at once: a short-lived
 * per-process cache keeps the page to one indexed task read per request. (Changes made through
 * another instance show within the cache's lifetime.)
 */
const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; value: Promise<Branding> }>();
interface Branding {
  settings: Settings;
  merchantName: string;
  logo: string | null;
}

/** Pages of one merchant read at once share one read of its branding. */
function brandingFor(ctx: AppContext, task: tasksRepo.TaskRow): Promise<Branding> {
  const key = `${task.organization_id}:${task.merchant_id}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < CACHE_MS) return hit.value;
  const value = readBranding(ctx, task);
  if (cache.size > 10_000) cache.clear();
  cache.set(key, { at: now, value });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

async function readBranding(ctx: AppContext, task: tasksRepo.TaskRow): Promise<Branding> {
  const merchant = await findOrganization(ctx.db, task.merchant_id);
  const { settings } = await effectiveSettings(ctx.db, task.merchant_id, task.organization_id);
  const orgLogo = merchant?.image ? `${ctx.config.publicUrl}/files/${merchant.image}` : null;
  return { settings, merchantName: merchant?.name ?? '', logo: settings.logo ?? orgLogo };
}

async function findTracked(db: Db, shortId: string) {
  const found = await repo.findTrackedTask(db, shortId);
  if (!found) throw notFound('Delivery', shortId);
  return found;
}

/**
 * Pages read for their recipients, gathered per turn of the event loop: after a round of
 * notifications many pages nobody has opened yet are asked for at once, and are read together
 * (three statements per burst, tracking.repository.ts) rather than each on its own.
 */
const trackedReads = new WeakMap<AppContext, TurnBatch<string, Map<string, repo.TrackedTask>>>();
async function readTracked(ctx: AppContext, shortId: string) {
  let batch = trackedReads.get(ctx);
  if (!batch) trackedReads.set(ctx, (batch = new TurnBatch((shortIds) => repo.findTrackedTasks(ctx.db, shortIds))));
  const found = (await batch.add(shortId)).get(shortId);
  if (!found) throw notFound('Delivery', shortId);
  return found;
}

/** First opens of tracking pages, written together per turn of the event loop (one statement per burst). */
const viewedMarks = new WeakMap<AppContext, TurnBatch<string>>();
function markViewed(ctx: AppContext, taskId: string) {
  let batch = viewedMarks.get(ctx);
  if (!batch) viewedMarks.set(ctx, (batch = new TurnBatch((ids) => repo.markTrackingViewed(ctx.db, ids))));
  return batch.add(taskId);
}

function completionOf(task: tasksRepo.TaskRow): Completion | null {
  return task.completion ? (JSON.parse(task.completion) as Completion) : null;
}

function statusOf(task: tasksRepo.TaskRow, c: Completion | null): TrackingView['status'] {
  if (task.state === 0) return 'scheduled';
  if (task.state === 1) return 'assigned';
  if (task.state === 2) return 'onTheWay';
  if (task.completion_success === 1) return 'completed';
  return c?.failureReason === 'CANCELLED' || c?.failureReason === 'REJECTED' ? 'cancelled' : 'failed';
}

/**
 * The tracking data as sent, serialized by `serialize`: from the cache when nothing it shows has
 * changed, else read afresh and cached. A page whose time ran out (not one whose task changed) is
 * answered as it was while one read refreshes it, so a polling page never waits for the database.
 */
export async function trackingData(ctx: AppContext, shortId: string, serialize: (view: TrackingView) => string): Promise<string> {
  const cache = ctx.trackingCache;
  const read = async () => {
    const since = cache.version;
    const { view, watch } = await readView(ctx, shortId);
    const json = serialize(view);
    cache.set(view.shortId, json, watch, view.status === 'onTheWay' ? TrackingCache.ACTIVE_MS : TrackingCache.IDLE_MS, Date.now(), since);
    return json;
  };
  const hit = cache.lookup(shortId, Date.now());
  if (hit === null) return cache.load(shortId, read);
  if (!hit.fresh) {
    cache.load(shortId, read).catch((err: unknown) => {
      // gone meanwhile (its task deleted) or the database is away: the next request reads again
      cache.forget(shortId);
      if (!(err instanceof AppError)) ctx.log.warn({ err, shortId }, 'refreshing tracking data failed');
    });
  }
  return hit.json;
}

/** The page's data, and the tasks whose changes change it. */
async function readView(ctx: AppContext, shortId: string): Promise<{ view: TrackingView; watch: string[] }> {
  const { task, dependencies } = await readTracked(ctx, shortId);
  const watch = [task.id];
  const brand = await brandingFor(ctx, task);
  const s = brand.settings;
  const c = completionOf(task);
  const status = statusOf(task, c);

  const timeline: TrackingView['timeline'] = [{ event: 'created', time: task.time_created }];
  if (task.pickup_task !== 1) {
    watch.push(...dependencies.map((d) => d.id));
    const picked = dependencies.find((d) => d.state === 3 && d.completion_success === 1 && d.time_completed !== null);
    if (picked) timeline.push({ event: 'pickedUp', time: picked.time_completed! });
  }
  if (task.time_started !== null) timeline.push({ event: 'started', time: task.time_started });
  if (task.state === 3 && task.time_completed !== null) {
    timeline.push({ event: status === 'completed' ? 'completed' : status === 'cancelled' ? 'cancelled' : 'failed', time: task.time_completed });
  }

  let driver: TrackingView['driver'] = null;
  if (task.state === 2 && task.worker_id) {
    const w = await findWorker(ctx.db, task.organization_id, task.worker_id);
    driver = {
      name: s.showDriverName && w ? firstName(w.name) || null : null,
      location: s.showDriverLocation && w && w.location_lng !== null && w.location_lat !== null ? [w.location_lng, w.location_lat] : null,
    };
  }

  let proof: TrackingView['proof'] = null;
  if (status === 'completed' && s.showProofOfDelivery && c) {
    const base = `${ctx.config.publicUrl}/api/v2/tracking/${task.short_id}`;
    const photo = c.photoUploadId ?? c.photoUploadIds?.[0] ?? null;
    proof = { notes: c.notes || null, photo: photo ? `${base}/photo` : null, signature: c.signatureUploadId ? `${base}/signature` : null };
  }

  // Opening the page marks the task viewed (once; later views write nothing).
  if (task.tracking_viewed === 0) await markViewed(ctx, task.id);

  const view: TrackingView = {
    shortId: task.short_id,
    kind: task.pickup_task === 1 ? 'pickup' : 'dropoff',
    status,
    merchantName: brand.merchantName,
    branding: {
      logo: brand.logo,
      primaryColor: s.primaryColor,
      headline: s.headline,
      message: s.message,
      contactPhone: s.contactPhone,
      contactEmail: s.contactEmail,
    },
    destination: { address: task.address_text, location: task.location_lng !== null && task.location_lat !== null ? [task.location_lng, task.location_lat] : null },
    eta: task.state === 2 ? task.eta : null,
    completeAfter: task.complete_after,
    completeBefore: task.complete_before,
    timeline,
    driver,
    proof,
    feedback: { enabled: s.feedbackEnabled, submitted: (JSON.parse(task.feedback) as unknown[]).length > 0 },
    timeLastModified: task.time_last_modified,
  };
  return { view, watch };
}

/** The photo or signature of a completed delivery, when its merchant shows proof on the page. */
export async function trackingProof(ctx: AppContext, shortId: string, which: 'photo' | 'signature') {
  const { task } = await findTracked(ctx.db, shortId);
  const c = completionOf(task);
  const { settings } = await brandingFor(ctx, task);
  const id = which === 'photo' ? (c?.photoUploadId ?? c?.photoUploadIds?.[0] ?? null) : (c?.signatureUploadId ?? null);
  if (task.completion_success !== 1 || !settings.showProofOfDelivery || !id) throw notFound('Proof of delivery', shortId);
  return readAllowedUpload(ctx, id);
}

export async function giveFeedback(ctx: AppContext, shortId: string, input: FeedbackInput) {
  return ctx.db.transaction().execute(async (trx) => {
    const { task } = await findTracked(trx, shortId);
    const { settings } = await effectiveSettings(trx, task.merchant_id, task.organization_id);
    if (!settings.feedbackEnabled) throw forbidden('Feedback is turned off for this delivery.');
    if (task.state !== 3) throw stateConflict('You can rate the delivery once it is finished.');
    const feedback = JSON.parse(task.feedback) as Array<{ rating: number; comments: string; time: number }>;
    if (feedback.length > 0) throw stateConflict('Feedback was already sent for this delivery.');
    const now = ctx.now();
    feedback.push({ rating: input.rating, comments: input.comments?.trim() ?? '', time: now });
    const patch = { feedback: JSON.stringify(feedback), time_last_modified: now };
    await tasksRepo.updateTask(trx, task.id, patch);
    await taskChanged(trx, ctx, { ...task, ...patch }, 'task.updated', { organizationId: task.organization_id, id: null, label: 'The recipient' }, { feedback: { rating: input.rating } });
    return { ok: true as const };
  });
}
