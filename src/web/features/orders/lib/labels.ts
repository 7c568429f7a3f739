import type { Order, OrderStatus, Task, TaskAddress } from '../../../lib/types.ts';

export const ORDER_STATUS: Record<OrderStatus, { label: string; color: string }> = {
  unassigned: { label: 'Unassigned', color: 'orange' },
  assigned: { label: 'Assigned', color: 'blue' },
  in_progress: { label: 'In progress', color: 'violet' },
  completed: { label: 'Completed', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  rejected: { label: 'Rejected', color: 'red' },
};

export const ORDER_STATUS_OPTIONS = (Object.keys(ORDER_STATUS) as OrderStatus[]).map((value) => ({ value, label: ORDER_STATUS[value].label }));

/** The client may change or cancel an order until its pickup starts. */
export const orderEditable = (o: Pick<Order, 'status'>) => o.status === 'unassigned' || o.status === 'assigned';

export type TaskStatusKey = 'unassigned' | 'assigned' | 'active' | 'succeeded' | 'failed' | 'cancelled' | 'rejected';

export const TASK_STATUS: Record<TaskStatusKey, { label: string; color: string }> = {
  unassigned: { label: 'Unassigned', color: 'orange' },
  assigned: { label: 'Assigned', color: 'blue' },
  active: { label: 'Active', color: 'violet' },
  succeeded: { label: 'Completed', color: 'green' },
  failed: { label: 'Failed', color: 'red' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  rejected: { label: 'Rejected', color: 'red' },
};

/** A task ended because its order was cancelled by the client or rejected by the courier. */
export const endedByDecision = (t: Pick<Task, 'state' | 'completionDetails'>) =>
  t.state === 3 && (t.completionDetails.failureReason === 'CANCELLED' || t.completionDetails.failureReason === 'REJECTED');

export function taskStatusKey(t: Pick<Task, 'state' | 'completionDetails'>): TaskStatusKey {
  if (t.state === 3) {
    if (t.completionDetails.failureReason === 'CANCELLED') return 'cancelled';
    if (t.completionDetails.failureReason === 'REJECTED') return 'rejected';
    return t.completionDetails.success === false ? 'failed' : 'succeeded';
  }
  if (t.state === 2) return 'active';
  if (t.state === 1) return 'assigned';
  return 'unassigned';
}

export const taskKind = (t: Pick<Task, 'pickupTask' | 'orderShortId'>) => (t.pickupTask ? 'Pickup' : t.orderShortId ? 'Dropoff' : 'Delivery');

/** One line for an address: the text as entered, or its parts joined. */
export function addressText(a: TaskAddress): string {
  if (a.unparsed) return a.unparsed;
  const line = [[a.number, a.street].filter(Boolean).join(' '), a.apartment, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(', ');
  return a.name ? `${a.name}, ${line}` : line;
}

const FAILURE_REASONS: Record<string, string> = {
  NONE: '',
  CUSTOMER_NOT_AVAILABLE: 'Recipient not available',
  WRONG_ADDRESS: 'Wrong address',
  REFUSED_DELIVERY: 'Delivery refused',
  DAMAGED: 'Damaged',
  CANCELLED: 'Cancelled by the client',
  REJECTED: 'Rejected by the courier',
  OTHER: 'Other',
};

export const failureReasonText = (r: string) => FAILURE_REASONS[r] ?? r.replace(/_/g, ' ').toLowerCase();

/** The order's reference, when the client gave one (metadata "reference"). */
export function orderReference(o: Pick<Order, 'metadata'>): string | null {
  const m = o.metadata.find((x) => x.name === 'reference');
  return m && (typeof m.value === 'string' || typeof m.value === 'number') && String(m.value).trim() ? String(m.value) : null;
}
