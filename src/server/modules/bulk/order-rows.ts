import crypto from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CreateOrderBody, type CreateOrderInput } from '../orders/orders.schemas.ts';
import type { CsvTable } from './csv.ts';

/** The columns an order CSV may have (header names are matched without case, spaces or dashes). */
export const ORDER_COLUMNS = {
  reference: 'Your reference; re-importing a row with the same reference does not create it again',
  pickup_address: 'Pickup address (required)',
  pickup_contact: 'Pickup contact name',
  pickup_phone: 'Pickup contact phone',
  pickup_notes: 'Notes for the driver at the pickup',
  pickup_after: 'Ready for pickup from (ISO 8601 date-time)',
  pickup_before: 'Pick up by (ISO 8601 date-time)',
  dropoff_address: 'Delivery address (required)',
  recipient_name: 'Recipient name (required)',
  recipient_phone: 'Recipient phone',
  recipient_email: 'Recipient email',
  dropoff_notes: 'Notes for the driver at the delivery',
  dropoff_after: 'Deliver from (ISO 8601 date-time)',
  dropoff_before: 'Deliver by (ISO 8601 date-time)',
  quantity: 'Number of parcels',
  skip_sms: '“yes” if the recipient does not want text messages',
} as const;
type Column = keyof typeof ORDER_COLUMNS;
const REQUIRED: Column[] = ['pickup_address', 'dropoff_address', 'recipient_name'];
export const MAX_IMPORT_ROWS = 2000;

const normalize = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');
const checkBody = TypeCompiler.Compile(CreateOrderBody);

export interface RowProblem {
  field: string;
  message: string;
}

export interface OrderRow {
  line: number;
  reference: string | null;
  /** what keeps the row from being imported twice */
  key: string;
  body: CreateOrderInput | null;
  problems: RowProblem[];
  summary: { pickup: string; dropoff: string; recipient: string };
}

function time(value: string, field: string, problems: RowProblem[]): number | undefined {
  if (!value) return undefined;
  const n = /^\d{12,}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) {
    problems.push({ field, message: `“${value}” is not a date and time (use e.g. 2026-11-25T14:30:00Z).` });
    return undefined;
  }
  return n;
}

/** Reads the columns of a CSV: which it uses, which it ignores, and which required ones are missing. */
export function columnsOf(table: CsvTable) {
  const names = table.header.map(normalize);
  const used = names.filter((n): n is Column => n in ORDER_COLUMNS);
  const ignored = table.header.filter((_, i) => !(names[i] in ORDER_COLUMNS) && table.header[i] !== '');
  const missing = REQUIRED.filter((r) => !used.includes(r));
  return { names, used, ignored, missing };
}

/** Turns each data row into an order body, or the problems that keep it from being one. */
export function orderRows(table: CsvTable, client: string | undefined): OrderRow[] {
  const { names } = columnsOf(table);
  return table.rows.map(({ line, cells }) => {
    const get = (c: Column) => {
      const i = names.indexOf(c);
      return i >= 0 ? (cells[i] ?? '').trim() : '';
    };
    const problems: RowProblem[] = [];
    for (const r of REQUIRED) if (!get(r)) problems.push({ field: r, message: `${ORDER_COLUMNS[r].replace(' (required)', '')} is missing.` });
    const quantityText = get('quantity');
    const quantity = quantityText ? Number(quantityText) : undefined;
    if (quantityText && (!Number.isFinite(quantity) || quantity! < 0)) problems.push({ field: 'quantity', message: `“${quantityText}” is not a number of parcels.` });
    const reference = get('reference') || null;
    const body: CreateOrderInput = {
      pickupTask: {
        destination: { address: { unparsed: get('pickup_address') } },
        ...(get('pickup_contact') || get('pickup_phone') ? { recipient: { name: get('pickup_contact') || 'Pickup contact', ...(get('pickup_phone') ? { phone: get('pickup_phone') } : {}) } } : {}),
        ...(get('pickup_notes') ? { notes: get('pickup_notes') } : {}),
        completeAfter: time(get('pickup_after'), 'pickup_after', problems),
        completeBefore: time(get('pickup_before'), 'pickup_before', problems),
      },
      dropoffTask: {
        destination: { address: { unparsed: get('dropoff_address') } },
        recipient: {
          name: get('recipient_name'),
          ...(get('recipient_phone') ? { phone: get('recipient_phone') } : {}),
          ...(get('recipient_email') ? { email: get('recipient_email') } : {}),
          ...(/^(y|yes|true|1)$/i.test(get('skip_sms')) ? { skipSMSNotifications: true } : {}),
        },
        ...(get('dropoff_notes') ? { notes: get('dropoff_notes') } : {}),
        completeAfter: time(get('dropoff_after'), 'dropoff_after', problems),
        completeBefore: time(get('dropoff_before'), 'dropoff_before', problems),
        ...(quantity !== undefined && Number.isFinite(quantity) ? { quantity } : {}),
      },
      ...(reference ? { metadata: [{ name: 'reference', type: 'string' as const, value: reference }] } : {}),
      ...(client ? { client } : {}),
    };
    // drop undefined times so the schema sees only what was given
    for (const t of [body.pickupTask, body.dropoffTask]) {
      if (t.completeAfter === undefined) delete t.completeAfter;
      if (t.completeBefore === undefined) delete t.completeBefore;
    }
    if (problems.length === 0) {
      for (const e of checkBody.Errors(body)) {
        problems.push({ field: e.path.replace(/^\//, '').replace(/\//g, '.') || 'row', message: e.message });
        break;
      }
    }
    const key = reference ? `ref:${reference}` : `row:${crypto.createHash('sha256').update(JSON.stringify(cells.map((c) => c.trim()))).digest('hex').slice(0, 40)}`;
    return {
      line,
      reference,
      key,
      body: problems.length ? null : body,
      problems,
      summary: { pickup: get('pickup_address'), dropoff: get('dropoff_address'), recipient: get('recipient_name') },
    };
  });
}
