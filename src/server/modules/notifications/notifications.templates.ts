/** Recipient message templates: the tags they may use, checking, and rendering. Pure functions. */

export const TRIGGERS = [
  'taskStarted',
  'taskEta',
  'driverArriving',
  'taskCompleted',
  'taskFailed',
  'dependencyStarted',
  'dependencyCompleted',
  'taskDelayed',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** Triggers that take a threshold, its unit and its default. */
export const THRESHOLDS: Partial<Record<Trigger, { unit: 'seconds' | 'meters'; default: number }>> = {
  taskEta: { unit: 'seconds', default: 600 },
  driverArriving: { unit: 'meters', default: 150 },
  taskDelayed: { unit: 'seconds', default: 0 },
};

export const TAGS = [
  'recipientName',
  'merchantName',
  'courierName',
  'driverName',
  'eta',
  'trackingLink',
  'destinationAddress',
  'taskShortId',
  'orderShortId',
] as const;
export type Tag = (typeof TAGS)[number];
export type TemplateData = Record<Tag, string>;

const TAG_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The tags a template uses that Baton does not know, in order of appearance. */
export function unknownTags(template: string): string[] {
  const known = new Set<string>(TAGS);
  const bad: string[] = [];
  for (const m of template.matchAll(TAG_RE)) if (!known.has(m[1]) && !bad.includes(m[1])) bad.push(m[1]);
  return bad;
}

export function render(template: string, data: TemplateData): string {
  return template.replace(TAG_RE, (whole, tag: string) => (tag in data ? data[tag as Tag] : whole));
}

export const DEFAULT_SUBJECT = 'Update from {{merchantName}}';

/** "14:35 (in about 12 min)" in the organization's time zone, or "soon" when unknown. */
export function formatEta(eta: number | null, now: number, timeZone: string): string {
  if (eta === null) return 'soon';
  const minutes = Math.max(1, Math.round((eta - now) / 60_000));
  let clock: string;
  try {
    clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(eta);
  } catch {
    clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }).format(eta);
  }
  return `${clock} (in about ${minutes} min)`;
}

/** A driver is named to recipients by first name only. */
export function firstName(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] ?? '';
}
