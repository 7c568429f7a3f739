import type { ImportJobRow, PreviewRowStatus } from '../api/imports.ts';

export const PREVIEW_STATUS: Record<PreviewRowStatus, { label: string; color: string }> = {
  ready: { label: 'Ready', color: 'green' },
  invalid: { label: 'Invalid', color: 'red' },
  duplicate: { label: 'Duplicate', color: 'gray' },
};

export const RESULT_STATUS: Record<ImportJobRow['status'], { label: string; color: string }> = {
  created: { label: 'Created', color: 'green' },
  duplicate: { label: 'Already imported', color: 'gray' },
  failed: { label: 'Failed', color: 'red' },
};

/** The server names a problem's field by the column, or by its place in the order ("dropoffTask.recipient.phone"). */
const FIELD_COLUMNS: [RegExp, string][] = [
  [/^pickupTask\.destination/, 'pickup_address'],
  [/^pickupTask\.recipients?(\.\d+)?\.name/, 'pickup_contact'],
  [/^pickupTask\.recipients?(\.\d+)?\.phone/, 'pickup_phone'],
  [/^pickupTask\.notes/, 'pickup_notes'],
  [/^pickupTask\.completeAfter/, 'pickup_after'],
  [/^pickupTask\.completeBefore/, 'pickup_before'],
  [/^dropoffTask\.destination/, 'dropoff_address'],
  [/^dropoffTask\.recipients?(\.\d+)?\.name/, 'recipient_name'],
  [/^dropoffTask\.recipients?(\.\d+)?\.phone/, 'recipient_phone'],
  [/^dropoffTask\.recipients?(\.\d+)?\.email/, 'recipient_email'],
  [/^dropoffTask\.recipients?(\.\d+)?\.skipSMS/, 'skip_sms'],
  [/^dropoffTask\.notes/, 'dropoff_notes'],
  [/^dropoffTask\.completeAfter/, 'dropoff_after'],
  [/^dropoffTask\.completeBefore/, 'dropoff_before'],
  [/^dropoffTask\.quantity/, 'quantity'],
  [/^metadata/, 'reference'],
];

const COLUMN = /^[a-z_]+$/;

/** The column a problem is about, when it can be told. */
export function problemColumn(field: string): string | null {
  for (const [re, column] of FIELD_COLUMNS) if (re.test(field)) return column;
  return COLUMN.test(field) && field !== 'row' && field !== 'csv' ? field : null;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
