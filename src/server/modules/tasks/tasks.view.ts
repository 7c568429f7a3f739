import { absoluteUrl, paths } from '../../../shared/paths.ts';
import type { TaskRow } from './tasks.repository.ts';

export interface AddressOut {
  number: string;
  street: string;
  apartment: string;
  city: string;
  state: string;
  postalCode: string;
  country: string;
  name: string;
  unparsed: string;
}

export interface StoredDestination {
  id: string;
  address: AddressOut;
  notes: string;
  warnings: string[];
}

export interface StoredRecipient {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  notes: string;
  skipSMSNotifications: boolean;
}

export interface Completion {
  success: boolean | null;
  time: number | null;
  notes: string;
  failureReason: string;
  events: Array<{ name: string; time: number; location: [number, number] | null }>;
  photoUploadIds: string[];
  photoUploadId: string | null;
  signatureUploadId: string | null;
}

export const EMPTY_COMPLETION: Completion = {
  success: null,
  time: null,
  notes: '',
  failureReason: 'NONE',
  events: [],
  photoUploadIds: [],
  photoUploadId: null,
  signatureUploadId: null,
};

export type TaskView = ReturnType<typeof toTask>;

/** A stored task in Onfleet's shape. */
export function toTask(r: TaskRow, dependencies: string[], publicUrl: string) {
  const dest = JSON.parse(r.destination) as StoredDestination;
  const completion = r.completion ? (JSON.parse(r.completion) as Completion) : EMPTY_COMPLETION;
  const container =
    r.container_type === 'WORKER'
      ? { type: 'WORKER', worker: r.container_id }
      : r.container_type === 'TEAM'
        ? { type: 'TEAM', team: r.container_id }
        : { type: 'ORGANIZATION', organization: r.container_id };
  const requirements = JSON.parse(r.requirements) as Partial<{ signature: boolean; photo: boolean; notes: boolean; minimumAge: number }>;
  const now = Date.now();
  return {
    id: r.id,
    shortId: r.short_id,
    trackingURL: absoluteUrl(publicUrl, paths.track(r.short_id)),
    organization: r.organization_id,
    merchant: r.merchant_id,
    executor: r.executor_id,
    creator: r.creator_id,
    state: r.state,
    pickupTask: r.pickup_task === 1,
    dependencies,
    orderShortId: r.order_short_id,
    completeAfter: r.complete_after,
    completeBefore: r.complete_before,
    container,
    worker: r.worker_id,
    destination: {
      id: dest.id,
      address: dest.address,
      location: r.location_lng !== null && r.location_lat !== null ? ([r.location_lng, r.location_lat] as [number, number]) : null,
      notes: dest.notes,
      warnings: dest.warnings,
      timeCreated: r.time_created,
      timeLastModified: r.time_last_modified,
    },
    recipients: JSON.parse(r.recipients) as StoredRecipient[],
    notes: r.notes,
    quantity: r.quantity,
    serviceTime: r.service_time,
    metadata: JSON.parse(r.metadata) as unknown[],
    requirements: {
      signature: !!requirements.signature,
      photo: !!requirements.photo,
      notes: !!requirements.notes,
      minimumAge: requirements.minimumAge ?? 0,
    },
    completionDetails: completion,
    feedback: JSON.parse(r.feedback) as Array<{ rating: number; comments: string; time: number }>,
    trackingViewed: r.tracking_viewed === 1,
    eta: r.eta,
    delayTime: r.state !== 3 && r.complete_before !== null && now > r.complete_before ? Math.round((now - r.complete_before) / 1000) : null,
    timeCreated: r.time_created,
    timeLastModified: r.time_last_modified,
  };
}

export function addressLine(a: Partial<AddressOut>): string {
  if (a.unparsed) return a.unparsed;
  return [[a.number, a.street].filter(Boolean).join(' '), a.apartment, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(', ');
}
