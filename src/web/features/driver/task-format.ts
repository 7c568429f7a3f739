import type { FailureReason, Task, TaskAddress } from '../../lib/types.ts';

/** The failure reasons a driver chooses from (Onfleet's), with the words the driver sees. */
export const FAILURE_REASONS: { value: FailureReason; label: string }[] = [
  { value: 'CUSTOMER_NOT_AVAILABLE', label: 'Recipient not available' },
  { value: 'WRONG_ADDRESS', label: 'Wrong address' },
  { value: 'REFUSED_DELIVERY', label: 'Refused delivery' },
  { value: 'DAMAGED', label: 'Damaged' },
  { value: 'OTHER', label: 'Other' },
  { value: 'NONE', label: 'No reason given' },
];

/** The street part of an address, e.g. "12 High Street, Apt 3". */
export function streetLine(a: TaskAddress): string {
  const street = [[a.number, a.street].filter(Boolean).join(' '), a.apartment].filter(Boolean).join(', ');
  return street || a.unparsed;
}

/** The rest of the address, e.g. "San Francisco, CA 94103"; empty when the address is only text. */
export function placeLine(a: TaskAddress): string {
  const street = [a.number, a.street].filter(Boolean).join(' ');
  if (!street) return '';
  return [a.city, [a.state, a.postalCode].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ');
}

/** The whole address on one line, as the server writes it. */
export function addressText(a: TaskAddress): string {
  if (a.unparsed) return a.unparsed;
  return [[a.number, a.street].filter(Boolean).join(' '), a.apartment, a.city, a.state, a.postalCode, a.country].filter(Boolean).join(', ');
}

/** Directions to the destination in Google Maps (its app opens on phones that have it). */
export function navigationUrl(task: Task): string {
  const { location, address } = task.destination;
  const destination = location ? `${location[1]},${location[0]}` : addressText(address);
  return `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}`;
}

export const taskKind = (task: Task) => (task.pickupTask ? 'Pickup' : 'Dropoff');

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

function dayLabel(ms: number, now: Date): string | null {
  const d = new Date(ms);
  if (sameDay(d, now)) return null;
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (sameDay(d, tomorrow)) return 'Tomorrow';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (sameDay(d, yesterday)) return 'Yesterday';
  return new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric' }).format(d);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** A moment in the phone's time zone: "2:30 PM", or "Tomorrow 2:30 PM" when it is not today. */
export function when(ms: number, now = new Date()): string {
  const day = dayLabel(ms, now);
  return day ? `${day} ${timeFormat.format(ms)}` : timeFormat.format(ms);
}

/** The task's time window, e.g. "9:00 AM – 11:00 AM", "By 5:00 PM", "After 2:00 PM"; null without one. */
export function timeWindow(task: Pick<Task, 'completeAfter' | 'completeBefore'>, now = new Date()): string | null {
  const { completeAfter: after, completeBefore: before } = task;
  if (after != null && before != null) {
    const end = sameDay(new Date(after), new Date(before)) ? timeFormat.format(before) : when(before, now);
    return `${when(after, now)} – ${end}`;
  }
  if (before != null) return `By ${when(before, now)}`;
  if (after != null) return `After ${when(after, now)}`;
  return null;
}

export const isLate = (task: Task, now = Date.now()) => task.completeBefore != null && task.completeBefore < now;

/** What the task needs for a successful completion, in words. */
export function requirementList(task: Task): string[] {
  const r = task.requirements;
  return [
    r.photo ? 'Photo' : null,
    r.signature ? 'Signature' : null,
    r.notes ? 'Notes' : null,
    r.minimumAge > 0 ? `Check ID: recipient ${r.minimumAge}+` : null,
  ].filter((x): x is string => x !== null);
}
