/** Onfleet's webhook trigger ids and names. */
export const TRIGGERS: Record<number, string> = {
  0: 'taskStarted',
  1: 'taskEta',
  2: 'taskArrival',
  3: 'taskCompleted',
  4: 'taskFailed',
  5: 'workerDuty',
  6: 'taskCreated',
  7: 'taskUpdated',
  8: 'taskDeleted',
  9: 'taskAssigned',
  10: 'taskUnassigned',
  12: 'taskDelayed',
  13: 'taskCloned',
  15: 'workerCreated',
  16: 'workerDeleted',
};
export const TRIGGER_IDS = Object.keys(TRIGGERS).map(Number);

/** Triggers that take a threshold: seconds for ETA and delay, meters for arrival. */
export const THRESHOLD_TRIGGERS: Record<number, { unit: 'seconds' | 'meters'; default: number }> = {
  1: { unit: 'seconds', default: 300 },
  2: { unit: 'meters', default: 150 },
  12: { unit: 'seconds', default: 0 },
};

/** The trigger a recorded event fires, if any. */
export function triggerOfEvent(type: string, payload: unknown): number | null {
  switch (type) {
    case 'task.started':
      return 0;
    case 'task.completed': {
      const task = (payload as { task?: { completionDetails?: { success?: boolean | null } } })?.task;
      return task?.completionDetails?.success === false ? 4 : 3;
    }
    case 'task.created':
      return 6;
    case 'task.updated':
      return 7;
    case 'task.deleted':
      return 8;
    case 'task.assigned':
      return 9;
    case 'task.unassigned':
      return 10;
    case 'task.cloned':
      return 13;
    case 'worker.duty':
      return 5;
    case 'worker.created':
      return 15;
    case 'worker.deleted':
      return 16;
    default:
      return null;
  }
}
