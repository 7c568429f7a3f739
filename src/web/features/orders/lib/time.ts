/**
 * Wall-clock times in a given time zone ↔ Unix milliseconds, for <input type="date"> and
 * <input type="datetime-local">, whose values carry no zone. The organization's zone applies.
 */

function partsIn(ms: number, timeZone: string) {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p: Record<string, number> = {};
  for (const { type, value } of f.formatToParts(ms)) if (type !== 'literal') p[type] = Number(value);
  return p as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** How far the zone is ahead of UTC at that instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = partsIn(ms, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** "2025-03-04T14:05" (or "2025-03-04", midnight) in `timeZone` → ms; null when empty or malformed. */
export function zonedInputToMs(value: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0'] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi));
  // Two passes settle the offset across daylight-saving changes.
  let ms = wall - offsetAt(wall, timeZone);
  ms = wall - offsetAt(ms, timeZone);
  return Number.isFinite(ms) ? ms : null;
}

/** The last millisecond of the given day ("2025-03-04") in `timeZone`. */
export function endOfZonedDay(value: string, timeZone: string): number | null {
  const start = zonedInputToMs(value, timeZone);
  if (start === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1));
  const nextValue = next.toISOString().slice(0, 10);
  const end = zonedInputToMs(nextValue, timeZone);
  return end === null ? null : end - 1;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** ms → "2025-03-04T14:05" in `timeZone`, for a datetime-local input. */
export function msToZonedInput(ms: number | null | undefined, timeZone: string): string {
  if (ms === null || ms === undefined) return '';
  const p = partsIn(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** "2:05 PM" today, or "Mar 4, 2:05 PM" on another day, in `timeZone`. */
export function shortDateTime(ms: number, timeZone: string, now = Date.now()): string {
  const sameDay = partsIn(ms, timeZone).day === partsIn(now, timeZone).day && Math.abs(ms - now) < 86_400_000;
  const f = new Intl.DateTimeFormat(undefined, sameDay ? { timeStyle: 'short', timeZone } : { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone });
  return f.format(ms);
}
