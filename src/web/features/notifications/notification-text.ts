import type { AppliesTo, Channel, NotificationStatus, Trigger } from './api/notifications.ts';

/** Plain-language names and explanations of everything a notification rule is made of. */

interface TriggerText {
  /** what the trigger is called in lists and in the message log */
  name: string;
  description: string;
}

export const TRIGGERS: Record<Trigger, TriggerText> = {
  dependencyStarted: {
    name: 'Pickup under way',
    description: 'When the driver starts the pickup this delivery depends on: the parcel is about to be collected.',
  },
  dependencyCompleted: {
    name: 'Picked up — on its way',
    description: 'When the driver has collected the parcel (the pickup this delivery depends on is completed).',
  },
  taskStarted: {
    name: 'Driver is on the way',
    description: 'When the driver sets off to this address.',
  },
  taskEta: {
    name: 'Arriving soon',
    description: 'Once, when the estimated time of arrival drops below the number of minutes you choose.',
  },
  driverArriving: {
    name: 'Driver is nearby',
    description: 'When the driver comes within the distance you choose of the address.',
  },
  taskDelayed: {
    name: 'Running late',
    description: 'When the task is past its “complete before” time, or is expected to be, by more than the minutes you allow.',
  },
  taskCompleted: {
    name: 'Delivered',
    description: 'When the driver completes the task (for a pickup: when the parcel has been collected).',
  },
  taskFailed: {
    name: 'Delivery failed',
    description: 'When the driver could not complete the task and marked it as failed.',
  },
};

/** The triggers in the order a delivery goes through them. */
export const TRIGGER_ORDER: Trigger[] = [
  'dependencyStarted',
  'dependencyCompleted',
  'taskStarted',
  'taskEta',
  'driverArriving',
  'taskDelayed',
  'taskCompleted',
  'taskFailed',
];

/** The trigger's name as offered in the form, e.g. "Arriving soon (ETA below …)". */
export function triggerOptionLabel(trigger: Trigger): string {
  switch (trigger) {
    case 'taskEta':
      return 'Arriving soon (ETA below …)';
    case 'driverArriving':
      return 'Driver is nearby (within …)';
    case 'taskDelayed':
      return 'Running late (by more than …)';
    default:
      return TRIGGERS[trigger].name;
  }
}

interface ThresholdSpec {
  /** what the person types: minutes or meters */
  unit: 'minutes' | 'meters';
  label: string;
  description: string;
  /** the API's default, in the API's unit (seconds or meters) */
  apiDefault: number;
  min: number;
  max: number;
}

export const THRESHOLDS: Partial<Record<Trigger, ThresholdSpec>> = {
  taskEta: {
    unit: 'minutes',
    label: 'Send when the arrival is less than (minutes)',
    description: 'The message goes out once, as soon as the estimated arrival is closer than this.',
    apiDefault: 600,
    min: 1,
    max: 240,
  },
  driverArriving: {
    unit: 'meters',
    label: 'Send when the driver is within (meters)',
    description: 'Distance between the driver and the address.',
    apiDefault: 150,
    min: 10,
    max: 10_000,
  },
  taskDelayed: {
    unit: 'minutes',
    label: 'Minutes late allowed before sending',
    description: '0 sends the message as soon as the task is, or is expected to be, late.',
    apiDefault: 0,
    min: 0,
    max: 1440,
  },
};

/** The API's threshold (seconds or meters) in the unit the form shows. */
export function thresholdToForm(trigger: Trigger, apiValue: number | null): number {
  const spec = THRESHOLDS[trigger];
  if (!spec) return 0;
  const value = apiValue ?? spec.apiDefault;
  return spec.unit === 'minutes' ? Math.round((value / 60) * 10) / 10 : value;
}

/** The form's threshold in the API's unit (seconds or meters); null for triggers without one. */
export function thresholdFromForm(trigger: Trigger, formValue: number): number | null {
  const spec = THRESHOLDS[trigger];
  if (!spec) return null;
  return spec.unit === 'minutes' ? Math.round(formValue * 60) : Math.round(formValue);
}

function minutes(seconds: number): string {
  const m = Math.round((seconds / 60) * 10) / 10;
  return `${m} min`;
}

/** The rule's condition in words, for triggers that have a threshold; null otherwise. */
export function thresholdText(trigger: Trigger, threshold: number | null): string | null {
  const spec = THRESHOLDS[trigger];
  if (!spec) return null;
  const value = threshold ?? spec.apiDefault;
  switch (trigger) {
    case 'taskEta':
      return `ETA below ${minutes(value)}`;
    case 'driverArriving':
      return `within ${value} m`;
    case 'taskDelayed':
      return value > 0 ? `more than ${minutes(value)} late` : 'as soon as it is late';
    default:
      return null;
  }
}

/** e.g. "Arriving soon (ETA below 10 min)" */
export function ruleTitle(trigger: Trigger, threshold: number | null): string {
  const condition = thresholdText(trigger, threshold);
  return condition ? `${TRIGGERS[trigger].name} (${condition})` : TRIGGERS[trigger].name;
}

export const APPLIES_TO: Record<AppliesTo, { label: string; short: string }> = {
  pickup: { label: 'Pickups', short: 'Pickups only' },
  dropoff: { label: 'Dropoffs', short: 'Dropoffs only' },
  both: { label: 'Both', short: 'Pickups and dropoffs' },
};

export const CHANNELS: Record<Channel, { label: string; color: string }> = {
  sms: { label: 'SMS', color: 'teal' },
  email: { label: 'Email', color: 'indigo' },
};

export const TAGS: { tag: string; description: string }[] = [
  { tag: 'recipientName', description: 'The recipient’s name' },
  { tag: 'merchantName', description: 'The business the order is for' },
  { tag: 'courierName', description: 'The courier company’s name' },
  { tag: 'driverName', description: 'The driver’s name' },
  { tag: 'eta', description: 'The estimated time of arrival' },
  { tag: 'trackingLink', description: 'A link to the live tracking page' },
  { tag: 'destinationAddress', description: 'The address of the pickup or dropoff' },
  { tag: 'taskShortId', description: 'The task’s short ID' },
  { tag: 'orderShortId', description: 'The order number' },
];

export const DEFAULT_SUBJECT = 'Update from {{merchantName}}';

/** The longest SMS template the server accepts. */
export const SMS_TEMPLATE_MAX = 480;

export const STATUS: Record<NotificationStatus, { label: string; color: string; help: string }> = {
  queued: { label: 'Queued', color: 'blue', help: 'Waiting to be sent.' },
  sent: { label: 'Sent', color: 'green', help: 'Handed to the email or SMS provider.' },
  kept: {
    label: 'Stored (no provider configured)',
    color: 'gray',
    help: 'No email or SMS provider is configured on this Baton server, so the message was stored here instead of being sent.',
  },
  failed: { label: 'Failed', color: 'red', help: 'Sending failed, even after retrying.' },
  skipped: { label: 'Not sent', color: 'orange', help: 'The recipient opted out of text messages or has no address for this channel.' },
};

// The GSM 03.38 alphabet of a plain text message; anything else makes it a Unicode message.
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** How many SMS parts a text needs: 160 characters in one, 153 a part when longer (70/67 with Unicode characters). */
export function smsSegments(text: string): { segments: number; perMessage: number; unicode: boolean; length: number } {
  let gsmLength = 0;
  let unicode = false;
  for (const ch of text) {
    if (GSM_BASIC.includes(ch)) gsmLength += 1;
    else if (GSM_EXTENDED.includes(ch)) gsmLength += 2;
    else {
      unicode = true;
      break;
    }
  }
  if (unicode) {
    const length = [...text].length;
    return { segments: length <= 70 ? 1 : Math.ceil(length / 67), perMessage: 70, unicode, length };
  }
  return { segments: gsmLength <= 160 ? 1 : Math.ceil(gsmLength / 153), perMessage: 160, unicode, length: gsmLength };
}
