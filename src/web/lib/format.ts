import { useMemo } from 'react';
import { useSessionOrNull } from './session.tsx';

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

export interface Formatters {
  timeZone: string;
  /** e.g. "Mar 4, 2025, 2:05 PM" in the organization's time zone */
  dateTime(ms: number): string;
  /** e.g. "Mar 4, 2025" */
  date(ms: number): string;
  /** e.g. "3 minutes ago", "just now" */
  relative(ms: number, now?: number): string;
}

export function makeFormatters(timeZone: string, locale?: string): Formatters {
  const zone = safeZone(timeZone);
  const dt = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: zone });
  const d = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: zone });
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  return {
    timeZone: zone,
    dateTime: (ms) => dt.format(ms),
    date: (ms) => d.format(ms),
    relative: (ms, now = Date.now()) => {
      const diff = ms - now;
      const abs = Math.abs(diff);
      if (abs < 60_000) return 'just now';
      for (const [unit, size] of UNITS) {
        if (abs >= size || unit === 'minute') return rtf.format(Math.round(diff / size), unit);
      }
      return rtf.format(Math.round(diff / 60_000), 'minute');
    },
  };
}

/** Date formatting in the organization's time zone (the browser's outside a session). */
export function useFormatters(): Formatters {
  const zone = useSessionOrNull()?.organization.timezone ?? browserZone();
  return useMemo(() => makeFormatters(zone), [zone]);
}
