import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { AppError, invalid } from '../../lib/errors.ts';
import { authorize, type Principal, type UserPrincipal } from '../auth/principal.ts';
import { enqueueJob, loadJob } from '../jobs/jobs.service.ts';
import { registerJobKind, type ItemResult } from '../jobs/jobs.runner.ts';
import { createOrderIn, resolveClient } from '../orders/orders.service.ts';
import { createTask } from '../tasks/tasks.service.ts';
import { CreateTaskBody, type CreateTaskInput } from '../tasks/tasks.schemas.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CsvError, parseCsv } from './csv.ts';
import { columnsOf, MAX_IMPORT_ROWS, orderRows, type OrderRow, type RowProblem } from './order-rows.ts';

// ---------------------------------------------------------------- async task batches (Onfleet's batch-async)

export async function batchCreateAsync(ctx: AppContext, p: Principal | null, tasks: unknown[]) {
  const u = authorize(p, { org: 'courier', write: true });
  const jobId = await enqueueJob(ctx, u, 'tasks.batch', tasks);
  return { status: 'pending', jobId };
}

const checkTask = TypeCompiler.Compile(CreateTaskBody);

registerJobKind('tasks.batch', async (ctx, principal, item) => {
  if (!checkTask.Check(item)) {
    const first = [...checkTask.Errors(item)][0];
    throw invalid(`${first.path || '(task)'} ${first.message}.`, { field: first.path.replace(/^\//, '').replace(/\//g, '.') });
  }
  const task = await createTask(ctx, principal, item as CreateTaskInput);
  return { ok: true, task };
});

export async function batchStatus(ctx: AppContext, p: Principal | null, jobId: string) {
  const u = authorize(p, { org: 'courier' });
  const job = await loadJob(ctx, u.organizationId, jobId, 'tasks.batch');
  const input = JSON.parse(job.input) as unknown[];
  const results = JSON.parse(job.results) as ItemResult[];
  const errors = results.flatMap((r, i) => {
    if (r.ok) return [];
    const kind = (r.kind as string) ?? 'internal';
    return [{ statusCode: kind === 'notFound' ? 404 : kind === 'internal' ? 500 : 400, errorCode: kind === 'notFound' ? 1003 : 1000, message: r.error as string, cause: r.cause ?? null, taskData: input[i] }];
  });
  return {
    status: job.status,
    submitted: job.time_created,
    tasksReceived: job.total,
    tasksProcessed: job.processed,
    tasksCreated: job.succeeded,
    tasksErrored: job.failed,
    newTasks: results.filter((r) => r.ok).map((r) => r.task),
    newTasksWithWarnings: [],
    failedTasks: results.flatMap((r, i) => (r.ok ? [] : [input[i]])),
    errors,
  };
}

// ---------------------------------------------------------------- CSV import of orders

function readCsv(csv: string) {
  let table;
  try {
    table = parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvError) throw invalid(`The file could not be read: ${err.message}`, { field: 'csv', line: err.line });
    throw err;
  }
  const cols = columnsOf(table);
  if (cols.missing.length) throw invalid(`The file has no ${cols.missing.join(', ')} column${cols.missing.length > 1 ? 's' : ''}. The first line must name the columns.`, { field: 'csv', missing: cols.missing });
  if (table.rows.length === 0) throw invalid('The file has column names but no orders.', { field: 'csv' });
  if (table.rows.length > MAX_IMPORT_ROWS) throw invalid(`The file has ${table.rows.length} orders; import at most ${MAX_IMPORT_ROWS} at a time.`, { field: 'csv' });
  return { table, cols };
}

async function clientOrgFor(db: Db, u: UserPrincipal, client: string | undefined) {
  const c = await resolveClient(db, u, client);
  return c.organization_id!;
}

const DRY_RUN = Symbol('dry run');

/** Checks a row against every rule order creation applies, by creating it in a transaction that is rolled back. */
async function dryRun(ctx: AppContext, u: UserPrincipal, body: NonNullable<OrderRow['body']>): Promise<RowProblem | null> {
  try {
    await ctx.db.transaction().execute(async (trx) => {
      await createOrderIn(trx, ctx, u, body);
      throw DRY_RUN;
    });
  } catch (err) {
    if (err === DRY_RUN) return null;
    if (err instanceof AppError) {
      const field = (err.cause as { field?: string } | null)?.field ?? 'row';
      return { field, message: err.message };
    }
    throw err;
  }
  return null;
}

async function existingKeys(db: Db, clientOrgId: string, keys: string[]) {
  const found = new Map<string, string>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db.selectFrom('order_import_keys').select(['key', 'order_short_id']).where('client_org_id', '=', clientOrgId).where('key', 'in', keys.slice(i, i + 500)).execute();
    for (const r of rows) found.set(r.key, r.order_short_id);
  }
  return found;
}

export async function previewImport(ctx: AppContext, p: Principal | null, input: { csv: string; client?: string }) {
  const u = authorize(p, { write: true });
  const { table, cols } = readCsv(input.csv);
  const clientOrgId = await clientOrgFor(ctx.db, u, input.client);
  const rows = orderRows(table, input.client);
  const imported = await existingKeys(ctx.db, clientOrgId, rows.map((r) => r.key));
  const firstLineOfKey = new Map<string, number>();
  const out = [];
  for (const r of rows) {
    let status: 'ready' | 'invalid' | 'duplicate' = 'ready';
    let duplicateOf: { orderShortId?: string; line?: number } | null = null;
    const problems = [...r.problems];
    if (imported.has(r.key)) {
      status = 'duplicate';
      duplicateOf = { orderShortId: imported.get(r.key)! };
    } else if (firstLineOfKey.has(r.key)) {
      status = 'duplicate';
      duplicateOf = { line: firstLineOfKey.get(r.key)! };
    } else {
      firstLineOfKey.set(r.key, r.line);
      if (r.body && problems.length === 0) {
        const problem = await dryRun(ctx, u, r.body);
        if (problem) problems.push(problem);
      }
      if (problems.length) status = 'invalid';
    }
    out.push({ line: r.line, status, reference: r.reference, ...r.summary, problems, duplicateOf });
  }
  return {
    columns: { used: cols.used, ignored: cols.ignored },
    rows: out,
    summary: { total: out.length, ready: out.filter((r) => r.status === 'ready').length, invalid: out.filter((r) => r.status === 'invalid').length, duplicate: out.filter((r) => r.status === 'duplicate').length },
  };
}

export async function startImport(ctx: AppContext, p: Principal | null, input: { csv: string; client?: string }) {
  const u = authorize(p, { write: true });
  const { table } = readCsv(input.csv);
  await clientOrgFor(ctx.db, u, input.client);
  const items = orderRows(table, input.client).map((r) => ({ line: r.line, key: r.key, body: r.body, problems: r.problems }));
  const jobId = await enqueueJob(ctx, u, 'orders.import', items);
  return { jobId, total: items.length };
}

class Duplicate extends Error {
  constructor(readonly orderShortId: string) {
    super('duplicate');
  }
}

registerJobKind('orders.import', async (ctx, principal, raw) => {
  const item = raw as { line: number; key: string; body: OrderRow['body']; problems: RowProblem[] };
  if (!item.body || item.problems.length) {
    const first = item.problems[0];
    throw invalid(first ? `${first.field}: ${first.message}` : 'The row is not an order.', { line: item.line, problems: item.problems });
  }
  const u = principal as UserPrincipal;
  try {
    const order = await ctx.db.transaction().execute(async (trx) => {
      const clientOrgId = await clientOrgFor(trx, u, item.body!.client);
      const existing = await trx.selectFrom('order_import_keys').select('order_short_id').where('client_org_id', '=', clientOrgId).where('key', '=', item.key).executeTakeFirst();
      if (existing) throw new Duplicate(existing.order_short_id);
      const created = await createOrderIn(trx, ctx, u, item.body!);
      const claimed = await trx
        .insertInto('order_import_keys')
        .values({ client_org_id: clientOrgId, key: item.key, order_id: created.id, order_short_id: created.shortId, time_created: ctx.now() })
        .onConflict((oc) => oc.columns(['client_org_id', 'key']).doNothing())
        .executeTakeFirst();
      // another import of the same row won the race: undo this one
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0n) === 0) {
        const winner = await trx.selectFrom('order_import_keys').select('order_short_id').where('client_org_id', '=', clientOrgId).where('key', '=', item.key).executeTakeFirst();
        throw new Duplicate(winner?.order_short_id ?? '');
      }
      return created;
    });
    return { ok: true, line: item.line, status: 'created', orderShortId: order.shortId };
  } catch (err) {
    if (err instanceof Duplicate) return { ok: true, line: item.line, status: 'duplicate', orderShortId: err.orderShortId };
    throw err;
  }
});

export async function importStatus(ctx: AppContext, p: Principal | null, jobId: string) {
  const u = authorize(p);
  const job = await loadJob(ctx, u.organizationId, jobId, 'orders.import');
  const input = JSON.parse(job.input) as { line: number }[];
  const results = JSON.parse(job.results) as ItemResult[];
  const rows = results.map((r, i) => ({
    line: input[i].line,
    status: (r.ok ? r.status : 'failed') as 'created' | 'duplicate' | 'failed',
    orderShortId: (r.orderShortId as string | undefined) ?? null,
    error: r.ok ? null : (r.error as string),
  }));
  return {
    id: job.id,
    status: job.status,
    total: job.total,
    processed: job.processed,
    created: rows.filter((r) => r.status === 'created').length,
    duplicates: rows.filter((r) => r.status === 'duplicate').length,
    failed: rows.filter((r) => r.status === 'failed').length,
    rows,
    timeCreated: job.time_created,
    timeFinished: job.time_finished,
  };
}
