import type { DeliveryStatus } from './api/webhooks.ts';

/** Plain-language names of Onfleet's webhook triggers, and the thresholds some of them take. */

export interface TriggerText {
  /** Onfleet's name, e.g. "taskCompleted" */
  key: string;
  /** what Baton calls it */
  name: string;
  description: string;
  /** about drivers rather than tasks: never sent to a client organization */
  worker?: boolean;
}

export const TRIGGERS: Record<number, TriggerText> = {
  0: { key: 'taskStarted', name: 'Task started', description: 'A driver starts a task and sets off to its address.' },
  1: {
    key: 'taskEta',
    name: 'Task arriving soon (ETA)',
    description: 'Once per task, when the driver’s estimated arrival is closer than the minutes you choose.',
  },
  2: {
    key: 'taskArrival',
    name: 'Driver nearby',
    description: 'Once per task, when the driver comes within the distance you choose of the address.',
  },
  3: { key: 'taskCompleted', name: 'Task completed', description: 'A driver completes a task successfully.' },
  4: { key: 'taskFailed', name: 'Task failed', description: 'A driver could not complete a task and marked it as failed.' },
  5: { key: 'workerDuty', name: 'Driver on or off duty', description: 'A driver goes on or off duty.', worker: true },
  6: { key: 'taskCreated', name: 'Task created', description: 'A task is created.' },
  7: { key: 'taskUpdated', name: 'Task updated', description: 'A task’s details change.' },
  8: { key: 'taskDeleted', name: 'Task deleted', description: 'A task is deleted.' },
  9: { key: 'taskAssigned', name: 'Task assigned', description: 'A task is assigned to a driver.' },
  10: { key: 'taskUnassigned', name: 'Task unassigned', description: 'A task is taken away from its driver.' },
  12: {
    key: 'taskDelayed',
    name: 'Task delayed',
    description: 'Once per task, when it is late (or expected to be) by more than the minutes you allow.',
  },
  13: { key: 'taskCloned', name: 'Task cloned', description: 'A task is copied, for example for a redelivery.' },
  15: { key: 'workerCreated', name: 'Driver created', description: 'A driver is added.', worker: true },
  16: { key: 'workerDeleted', name: 'Driver deleted', description: 'A driver is removed.', worker: true },
};

/** The triggers in the order the form offers them. */
export const TRIGGER_ORDER = [6, 9, 10, 0, 1, 2, 12, 3, 4, 7, 13, 8, 5, 15, 16];

/** e.g. "Task completed (3)"; an unknown trigger by its id. */
export function triggerLabel(id: number): string {
  const t = TRIGGERS[id];
  return t ? `${t.name} (${id})` : `Trigger ${id}`;
}

export interface ThresholdSpec {
  /** what the person types; the API takes seconds for minutes */
  unit: 'minutes' | 'meters';
  label: string;
  description: string;
  /** the server's default, in the API's unit */
  apiDefault: number;
  /** in the form's unit */
  min: number;
  max: number;
}

export const THRESHOLDS: Record<number, ThresholdSpec> = {
  1: {
    unit: 'minutes',
    label: 'Send when the arrival is less than (minutes)',
    description: 'Sent once per task, as soon as the estimated arrival is closer than this.',
    apiDefault: 300,
    min: 1,
    max: 1440,
  },
  2: {
    unit: 'meters',
    label: 'Send when the driver is within (meters)',
    description: 'Straight-line distance between the driver and the task’s address.',
    apiDefault: 150,
    min: 1,
    max: 86_400,
  },
  12: {
    unit: 'minutes',
    label: 'Send when a task is late by more than (minutes)',
    description: '0 sends it as soon as the task is late, or expected to be.',
    apiDefault: 0,
    min: 0,
    max: 1440,
  },
};

/** The API's threshold (seconds or meters) in the form's unit. */
export function thresholdToForm(trigger: number, apiValue: number | undefined): number {
  const spec = THRESHOLDS[trigger];
  if (!spec) return 0;
  const value = apiValue ?? spec.apiDefault;
  return spec.unit === 'minutes' ? Math.round((value / 60) * 10) / 10 : value;
}

/** The form's threshold in the API's unit (seconds or meters). */
export function thresholdFromForm(trigger: number, formValue: number): number {
  const spec = THRESHOLDS[trigger];
  return spec?.unit === 'minutes' ? Math.round(formValue * 60) : Math.round(formValue);
}

/** The webhook's condition in words, e.g. "ETA below 5 min"; null for triggers without a threshold. */
export function thresholdText(trigger: number, threshold: number | undefined): string | null {
  const spec = THRESHOLDS[trigger];
  if (!spec) return null;
  const value = threshold ?? spec.apiDefault;
  const min = `${Math.round((value / 60) * 10) / 10} min`;
  switch (trigger) {
    case 1:
      return `ETA below ${min}`;
    case 2:
      return `within ${value} m`;
    case 12:
      return value > 0 ? `more than ${min} late` : 'as soon as it is late';
    default:
      return null;
  }
}

export const DELIVERY_STATUS: Record<DeliveryStatus, { label: string; color: string; help: string }> = {
  pending: { label: 'Pending', color: 'blue', help: 'Not delivered yet: Baton is sending it or will try again.' },
  delivered: { label: 'Delivered', color: 'green', help: 'The receiver answered with a 2xx status.' },
  failed: { label: 'Failed', color: 'red', help: 'Every attempt failed until Baton gave up. Redeliver sends it again.' },
};
