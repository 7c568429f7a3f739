import { zonedInputToMs } from '../../orders/lib/time.ts';

/** The columns an order CSV may have, as the server reads them (its header names ignore case, spaces and dashes). */
export const IMPORT_COLUMNS: { name: string; meaning: string; required?: boolean }[] = [
  { name: 'reference', meaning: 'Your reference. A row whose reference was imported before is not imported again.' },
  { name: 'pickup_address', meaning: 'Pickup address', required: true },
  { name: 'pickup_contact', meaning: 'Pickup contact name' },
  { name: 'pickup_phone', meaning: 'Pickup contact phone' },
  { name: 'pickup_notes', meaning: 'Notes for the driver at the pickup' },
  { name: 'pickup_after', meaning: 'Ready for pickup from (date and time)' },
  { name: 'pickup_before', meaning: 'Pick up by (date and time)' },
  { name: 'dropoff_address', meaning: 'Delivery address', required: true },
  { name: 'recipient_name', meaning: 'Recipient name', required: true },
  { name: 'recipient_phone', meaning: 'Recipient phone, e.g. +14155550123' },
  { name: 'recipient_email', meaning: 'Recipient email' },
  { name: 'dropoff_notes', meaning: 'Notes for the driver at the delivery' },
  { name: 'dropoff_after', meaning: 'Deliver from (date and time)' },
  { name: 'dropoff_before', meaning: 'Deliver by (date and time)' },
  { name: 'quantity', meaning: 'Number of parcels' },
  { name: 'skip_sms', meaning: '“yes” if the recipient does not want text messages' },
];

export const REQUIRED_COLUMNS = IMPORT_COLUMNS.filter((c) => c.required).map((c) => c.name);
export const MAX_IMPORT_ROWS = 2000;
/** The server takes at most 900,000 characters of CSV. */
export const MAX_CSV_CHARS = 900_000;

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/** Tomorrow at `hour`:00 in `timeZone`, as ISO 8601 with the zone's offset ("2026-05-02T09:00:00+02:00"). */
function tomorrowAt(hour: number, timeZone: string): string {
  const now = new Date();
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
  const wall = `${day.toISOString().slice(0, 10)}T${pad(hour)}:00`;
  const ms = zonedInputToMs(wall, timeZone);
  if (ms === null) return `${wall}:00Z`;
  const offsetMinutes = Math.round((Date.parse(`${wall}:00Z`) - ms) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  return `${wall}:00${sign}${pad(Math.trunc(offsetMinutes / 60))}:${pad(offsetMinutes % 60)}`;
}

function csvField(value: string): string {
  return /[",;\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The header and one example order, times tomorrow in the organization's time zone. */
export function templateCsv(timeZone: string): string {
  const example: Record<string, string> = {
    reference: 'INV-1001',
    pickup_address: '12 Market Street, Springfield',
    pickup_contact: 'Front desk',
    pickup_phone: '',
    pickup_notes: 'Ring the bell at the back door',
    pickup_after: tomorrowAt(9, timeZone),
    pickup_before: tomorrowAt(12, timeZone),
    dropoff_address: '48 Oak Avenue, Apt 3, Springfield',
    recipient_name: 'Jamie Doe',
    recipient_phone: '',
    recipient_email: 'jamie@example.com',
    dropoff_notes: 'Leave with the neighbour if out',
    dropoff_after: tomorrowAt(13, timeZone),
    dropoff_before: tomorrowAt(17, timeZone),
    quantity: '1',
    skip_sms: 'no',
  };
  const header = IMPORT_COLUMNS.map((c) => c.name);
  return `${header.join(',')}\r\n${header.map((h) => csvField(example[h] ?? '')).join(',')}\r\n`;
}

/** Saves the template as orders-template.csv through the browser's download. */
export function downloadTemplate(timeZone: string) {
  const blob = new Blob([templateCsv(timeZone)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = 'orders-template.csv';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
