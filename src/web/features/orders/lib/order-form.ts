import { ApiError, type FieldProblem } from '../../../lib/api.ts';
import { isBlank, type FieldErrors } from '../../../lib/form.ts';
import type { Order, TaskWithEta } from '../../../lib/types.ts';
import type { OrderTaskInput } from '../api/create-order.ts';
import { addressText } from './labels.ts';
import { msToZonedInput, zonedInputToMs } from './time.ts';

export type TaskKey = 'pickupTask' | 'dropoffTask';

/** The fields of one task in the order forms (new order, edit order). Times are datetime-local values. */
export type OrderFormValues = {
  'pickupTask.address': string;
  'pickupTask.coordinates': string;
  'pickupTask.name': string;
  'pickupTask.phone': string;
  'pickupTask.notes': string;
  'pickupTask.completeAfter': string;
  'dropoffTask.address': string;
  'dropoffTask.coordinates': string;
  'dropoffTask.name': string;
  'dropoffTask.phone': string;
  'dropoffTask.notes': string;
  'dropoffTask.completeAfter': string;
  'dropoffTask.completeBefore': string;
  quantity: number | string;
  reference: string;
};

export const emptyOrderForm = (): OrderFormValues => ({
  'pickupTask.address': '',
  'pickupTask.coordinates': '',
  'pickupTask.name': '',
  'pickupTask.phone': '',
  'pickupTask.notes': '',
  'pickupTask.completeAfter': '',
  'dropoffTask.address': '',
  'dropoffTask.coordinates': '',
  'dropoffTask.name': '',
  'dropoffTask.phone': '',
  'dropoffTask.notes': '',
  'dropoffTask.completeAfter': '',
  'dropoffTask.completeBefore': '',
  quantity: '',
  reference: '',
});

const coordinatesText = (t: TaskWithEta) => (t.destination.location ? `${t.destination.location[1]}, ${t.destination.location[0]}` : '');

/** The edit form, filled from the order as it is. */
export function orderFormFrom(order: Order, timeZone: string): OrderFormValues {
  const p = order.pickupTask;
  const d = order.dropoffTask;
  return {
    'pickupTask.address': addressText(p.destination.address),
    'pickupTask.coordinates': coordinatesText(p),
    'pickupTask.name': p.recipients[0]?.name ?? '',
    'pickupTask.phone': p.recipients[0]?.phone ?? '',
    'pickupTask.notes': p.notes,
    'pickupTask.completeAfter': msToZonedInput(p.completeAfter, timeZone),
    'dropoffTask.address': addressText(d.destination.address),
    'dropoffTask.coordinates': coordinatesText(d),
    'dropoffTask.name': d.recipients[0]?.name ?? '',
    'dropoffTask.phone': d.recipients[0]?.phone ?? '',
    'dropoffTask.notes': d.notes,
    'dropoffTask.completeAfter': msToZonedInput(d.completeAfter, timeZone),
    'dropoffTask.completeBefore': msToZonedInput(d.completeBefore, timeZone),
    quantity: d.quantity || '',
    reference: '',
  };
}

/** "37.7749, -122.4194" (latitude, longitude) → [lng, lat]; null when empty; 'invalid' when unreadable. */
export function parseCoordinates(text: string): [number, number] | null | 'invalid' {
  if (isBlank(text)) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*[,; ]\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return 'invalid';
  const lat = Number(m[1]);
  const lng = Number(m[2]);
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return 'invalid';
  return [lng, lat];
}

const PHONE_CHARS = /^\+?[\d\s().-]{3,}$/;

/** The checks the browser can make before sending; the server checks phone numbers for real. */
export function checkOrderForm(v: OrderFormValues, timeZone: string): FieldErrors<OrderFormValues> {
  const e: FieldErrors<OrderFormValues> = {};
  if (isBlank(v['pickupTask.address'])) e['pickupTask.address'] = 'Enter the pickup address.';
  if (isBlank(v['dropoffTask.address'])) e['dropoffTask.address'] = 'Enter the delivery address.';
  if (isBlank(v['dropoffTask.name'])) e['dropoffTask.name'] = 'Enter the recipient’s name.';
  for (const t of ['pickupTask', 'dropoffTask'] as const) {
    if (parseCoordinates(v[`${t}.coordinates`]) === 'invalid') {
      e[`${t}.coordinates`] = 'Enter latitude and longitude as two numbers, e.g. 37.7749, -122.4194 — or leave it empty.';
    }
    const phone = v[`${t}.phone`];
    if (!isBlank(phone) && !PHONE_CHARS.test(phone.trim())) e[`${t}.phone`] = 'Enter a phone number, e.g. +14155550123.';
    if (t === 'pickupTask' && !isBlank(phone) && isBlank(v['pickupTask.name'])) e['pickupTask.name'] = 'Enter the contact’s name too.';
  }
  for (const k of ['pickupTask.completeAfter', 'dropoffTask.completeAfter', 'dropoffTask.completeBefore'] as const) {
    if (!isBlank(v[k]) && zonedInputToMs(v[k], timeZone) === null) e[k] = 'Enter a date and time.';
  }
  const after = zonedInputToMs(v['dropoffTask.completeAfter'], timeZone);
  const before = zonedInputToMs(v['dropoffTask.completeBefore'], timeZone);
  if (after !== null && before !== null && after >= before) e['dropoffTask.completeBefore'] = 'The end of the window must be after its start.';
  if (v.quantity !== '' && (!Number.isInteger(Number(v.quantity)) || Number(v.quantity) < 0)) e.quantity = 'Enter a whole number, or leave it empty.';
  return e;
}

const trimmed = (s: string) => (s.trim() ? s.trim() : undefined);

/** One task of a new order, from the form. */
export function taskInputFrom(v: OrderFormValues, t: TaskKey, timeZone: string): OrderTaskInput {
  const location = parseCoordinates(v[`${t}.coordinates`]);
  const input: OrderTaskInput = {
    destination: { address: { unparsed: v[`${t}.address`].trim() }, ...(Array.isArray(location) ? { location } : {}) },
  };
  const name = trimmed(v[`${t}.name`]);
  const phone = trimmed(v[`${t}.phone`]);
  if (name) input.recipient = { name, ...(phone ? { phone } : {}) };
  const notes = trimmed(v[`${t}.notes`]);
  if (notes) input.notes = notes;
  const after = zonedInputToMs(v[`${t}.completeAfter`], timeZone);
  if (after !== null) input.completeAfter = after;
  if (t === 'dropoffTask') {
    const before = zonedInputToMs(v['dropoffTask.completeBefore'], timeZone);
    if (before !== null) input.completeBefore = before;
  }
  if (v.quantity !== '' && Number(v.quantity) > 0) input.quantity = Number(v.quantity);
  return input;
}

/** Only what the person changed in one task, for PUT /taskOrders/:shortId; undefined when nothing changed. */
export function taskPatchFrom(v: OrderFormValues, before: OrderFormValues, t: TaskKey, timeZone: string): Partial<OrderTaskInput> | undefined {
  const patch: Partial<OrderTaskInput> = {};
  const changed = (k: keyof OrderFormValues) => String(v[k]).trim() !== String(before[k]).trim();
  if (changed(`${t}.address`) || changed(`${t}.coordinates`)) {
    const location = parseCoordinates(v[`${t}.coordinates`]);
    patch.destination = { address: { unparsed: v[`${t}.address`].trim() }, location: Array.isArray(location) ? location : null };
  }
  if (changed(`${t}.name`) || changed(`${t}.phone`)) {
    const name = v[`${t}.name`].trim();
    const phone = trimmed(v[`${t}.phone`]);
    if (name) patch.recipient = { name, ...(phone ? { phone } : {}) };
  }
  if (changed(`${t}.notes`)) patch.notes = v[`${t}.notes`].trim();
  if (changed(`${t}.completeAfter`)) patch.completeAfter = zonedInputToMs(v[`${t}.completeAfter`], timeZone);
  if (t === 'dropoffTask' && changed('dropoffTask.completeBefore')) patch.completeBefore = zonedInputToMs(v['dropoffTask.completeBefore'], timeZone);
  if (changed('quantity')) patch.quantity = v.quantity === '' ? 0 : Number(v.quantity);
  return Object.keys(patch).length ? patch : undefined;
}

/** The form field a server field belongs to, e.g. "dropoffTask.recipients.0.phone" → "dropoffTask.phone". */
export function formFieldOf(field: string): string {
  if (field.startsWith('metadata')) return 'reference';
  const m = /^(pickupTask|dropoffTask)\.(.+)$/.exec(field);
  if (!m) return field;
  const [, t, rest] = m;
  if (rest.startsWith('destination.location')) return `${t}.coordinates`;
  if (rest.startsWith('destination')) return `${t}.address`;
  if (/^recipients?(\.\d+)?\.phone/.test(rest)) return `${t}.phone`;
  if (/^recipients?/.test(rest)) return `${t}.name`;
  if (rest.startsWith('quantity')) return 'quantity';
  return `${t}.${rest.split('.')[0]}`;
}

/**
 * The server's error with its fields renamed to the form's, so that each problem shows at its field.
 * A time-window error (1009) belongs to the delivery window.
 */
export function orderFormError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  let problems: FieldProblem[] = error.fieldProblems.map((p) => ({ field: formFieldOf(p.field), problem: p.problem }));
  if (error.error === 1009 && problems.length === 0) problems = [{ field: 'dropoffTask.completeBefore', problem: error.message }];
  if (problems.length === 0) return error;
  return new ApiError({
    status: error.status,
    code: error.code,
    error: error.error,
    message: error.message,
    requestId: error.requestId,
    cause: { fields: problems },
  });
}
