import { TaskState } from '../tasks/task-state.ts';

export type OrderStatus = 'unassigned' | 'assigned' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'rejected';

export const ORDER_STATUSES: OrderStatus[] = ['unassigned', 'assigned', 'in_progress', 'completed', 'failed', 'cancelled', 'rejected'];

interface TaskLike {
  state: number;
  success: boolean | null;
  /** assigned to a driver */
  hasWorker: boolean;
}

/**
 * An order's status derived from its two tasks (cancelled and rejected are decisions recorded on
 * the order and win over the tasks).
 */
export function deriveOrderStatus(pickup: TaskLike, dropoff: TaskLike, decision: 'cancelled' | 'rejected' | null): OrderStatus {
  if (decision) return decision;
  if (pickup.state === TaskState.Completed && pickup.success === false) return 'failed';
  if (dropoff.state === TaskState.Completed) return dropoff.success ? 'completed' : 'failed';
  if (pickup.state === TaskState.Active || pickup.state === TaskState.Completed || dropoff.state === TaskState.Active) return 'in_progress';
  if (pickup.hasWorker || dropoff.hasWorker) return 'assigned';
  return 'unassigned';
}

/** A client may edit or cancel its order until the pickup starts. */
export function orderEditable(status: OrderStatus): boolean {
  return status === 'unassigned' || status === 'assigned';
}
