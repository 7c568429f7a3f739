import type { Tracking, TrackingEvent } from '../api/types.ts';

/** The status in plain words, as the recipient reads it. */
export function statusLabel(t: Pick<Tracking, 'status' | 'kind'>): string {
  const pickup = t.kind === 'pickup';
  switch (t.status) {
    case 'scheduled':
      return 'Scheduled';
    case 'assigned':
      return 'Assigned to a driver';
    case 'onTheWay':
      return 'On the way';
    case 'completed':
      return pickup ? 'Picked up' : 'Delivered';
    case 'failed':
      return pickup ? 'Pickup failed' : 'Delivery failed';
    case 'cancelled':
      return 'Cancelled';
  }
}

/** One sentence under the status. */
export function statusDetail(t: Pick<Tracking, 'status' | 'kind' | 'merchantName'>): string | null {
  const what = t.kind === 'pickup' ? 'pickup' : 'delivery';
  switch (t.status) {
    case 'scheduled':
      return `Your ${what} is scheduled. This page shows the driver as soon as they set off.`;
    case 'assigned':
      return 'A driver has been assigned. You can follow them here once they set off.';
    case 'onTheWay':
      return null;
    case 'completed':
      return null;
    case 'failed':
      return `The driver could not complete this ${what}. ${t.merchantName} will be in touch, or contact them below.`;
    case 'cancelled':
      return `This ${what} was cancelled.`;
  }
}

export function timelineLabel(event: TrackingEvent, kind: Tracking['kind']): string {
  const pickup = kind === 'pickup';
  switch (event) {
    case 'created':
      return pickup ? 'Pickup booked' : 'Order received';
    case 'pickedUp':
      return 'Parcel collected by the driver';
    case 'started':
      return 'Driver on the way';
    case 'completed':
      return pickup ? 'Picked up' : 'Delivered';
    case 'failed':
      return pickup ? 'Pickup failed' : 'Delivery failed';
    case 'cancelled':
      return 'Cancelled';
  }
}

const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', month: 'short', day: 'numeric' });

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** A clock time in the recipient's own time zone, e.g. "2:45 PM". */
export const clock = (ms: number) => clockFormat.format(ms);

/** "2:45 PM" today, "Tomorrow 2:45 PM", "Yesterday 2:45 PM" or "Tue, Mar 4 2:45 PM". */
export function dayAndTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  if (sameDay(d, today)) return clock(ms);
  const other = new Date(now);
  other.setDate(today.getDate() + 1);
  if (sameDay(d, other)) return `Tomorrow ${clock(ms)}`;
  other.setDate(today.getDate() - 1);
  if (sameDay(d, other)) return `Yesterday ${clock(ms)}`;
  return `${dayFormat.format(d)} ${clock(ms)}`;
}

/** For a sentence: "at 2:45 PM", "yesterday at 2:45 PM" or "on Tue, Mar 4 at 2:45 PM". */
export function atTime(ms: number, now = Date.now()): string {
  const d = new Date(ms);
  const today = new Date(now);
  if (sameDay(d, today)) return `at ${clock(ms)}`;
  const other = new Date(now);
  other.setDate(today.getDate() - 1);
  if (sameDay(d, other)) return `yesterday at ${clock(ms)}`;
  other.setDate(today.getDate() + 1);
  if (sameDay(d, other)) return `tomorrow at ${clock(ms)}`;
  return `on ${dayFormat.format(d)} at ${clock(ms)}`;
}

/** "in 12 min", "in 1 h 5 min", or "any minute now" once the ETA is reached. */
export function minutesUntil(ms: number, now = Date.now()): string {
  const minutes = Math.round((ms - now) / 60_000);
  if (minutes < 1) return 'any minute now';
  if (minutes < 60) return `in ${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `in ${h} h ${m} min` : `in ${h} h`;
}

/** The time window, e.g. "2:00 PM – 4:00 PM", "By 5:00 PM", "After 2:00 PM"; null without one. */
export function windowText(after: number | null, before: number | null, now = Date.now()): string | null {
  if (after != null && before != null) {
    const end = sameDay(new Date(after), new Date(before)) ? clock(before) : dayAndTime(before, now);
    return `${dayAndTime(after, now)} – ${end}`;
  }
  if (before != null) return `By ${dayAndTime(before, now)}`;
  if (after != null) return `After ${dayAndTime(after, now)}`;
  return null;
}

/** Initials for the driver's map marker, e.g. "AM"; "" without a name. */
export function initials(name: string | null): string {
  if (!name) return '';
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '';
  return ((parts[0][0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1][0] ?? '') : '')).toUpperCase();
}
