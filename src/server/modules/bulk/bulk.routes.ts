import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, Body, errors, Id } from '../../lib/schemas.ts';
import * as service from './bulk.service.ts';
import { MAX_IMPORT_ROWS, ORDER_COLUMNS } from './order-rows.ts';

const JobParams = Type.Object({ jobId: Id() });
const CSV_NOTE = `The first line names the columns: ${Object.entries(ORDER_COLUMNS)
  .map(([k, v]) => `\`${k}\` (${v})`)
  .join(', ')}. Commas or semicolons; at most ${MAX_IMPORT_ROWS} orders.`;
const ImportBody = Body({
  csv: Type.String({ minLength: 1, maxLength: 900_000, description: CSV_NOTE }),
  client: Type.Optional(Id('The client the orders are for (a courier importing on a client’s behalf)')),
});
const Problem = Type.Object({ field: Type.String(), message: Type.String() });

export async function bulkRoutes(app: App, ctx: AppContext) {
  app.post(
    '/api/v2/tasks/batch-async',
    {
      schema: {
        tags: ['Tasks'],
        summary: 'Create up to 500 tasks in the background (Onfleet’s batch-async); follow the job at /tasks/batch/{jobId}',
        body: Body({ tasks: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 500 }) }),
        response: { 200: Type.Object({ status: Type.String(), jobId: Type.String() }), ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.batchCreateAsync(ctx, req.principal, req.body.tasks),
  );
  app.get(
    '/api/v2/tasks/batch/:jobId',
    {
      schema: {
        tags: ['Tasks'],
        summary: 'Progress and results of an async task batch',
        params: JobParams,
        response: {
          200: Type.Object({
            status: Type.String({ description: 'pending | processing | completed | completedWithErrors' }),
            submitted: Type.Number(),
            tasksReceived: Type.Integer(),
            tasksProcessed: Type.Integer(),
            tasksCreated: Type.Integer(),
            tasksErrored: Type.Integer(),
            newTasks: Type.Array(Type.Unknown()),
            newTasksWithWarnings: Type.Array(Type.Unknown()),
            failedTasks: Type.Array(Type.Unknown()),
            errors: Type.Array(Type.Object({ statusCode: Type.Integer(), errorCode: Type.Integer(), message: Type.String(), cause: Type.Unknown(), taskData: Type.Unknown() })),
          }),
          ...errors(...AUTH_ERRORS, 404),
        },
      },
    },
    (req) => service.batchStatus(ctx, req.principal, req.params.jobId),
  );

  const tags = ['Task orders'];
  app.post(
    '/api/v2/taskOrders/import/preview',
    {
      schema: {
        tags,
        summary: 'Check a CSV of orders row by row without creating anything',
        body: ImportBody,
        response: {
          200: Type.Object({
            columns: Type.Object({ used: Type.Array(Type.String()), ignored: Type.Array(Type.String()) }),
            rows: Type.Array(
              Type.Object({
                line: Type.Integer(),
                status: Type.String({ description: 'ready | invalid | duplicate (already imported, or repeated in the file)' }),
                reference: Type.Union([Type.String(), Type.Null()]),
                pickup: Type.String(),
                dropoff: Type.String(),
                recipient: Type.String(),
                problems: Type.Array(Problem),
                duplicateOf: Type.Union([Type.Object({ orderShortId: Type.Optional(Type.String()), line: Type.Optional(Type.Integer()) }), Type.Null()]),
              }),
            ),
            summary: Type.Object({ total: Type.Integer(), ready: Type.Integer(), invalid: Type.Integer(), duplicate: Type.Integer() }),
          }),
          ...errors(...AUTH_ERRORS, 409),
        },
      },
    },
    (req) => service.previewImport(ctx, req.principal, req.body),
  );
  app.post(
    '/api/v2/taskOrders/import',
    {
      schema: {
        tags,
        summary: 'Import a CSV of orders in the background; rows already imported are skipped, so a re-run creates no duplicates',
        body: ImportBody,
        response: { 200: Type.Object({ jobId: Type.String(), total: Type.Integer() }), ...errors(...AUTH_ERRORS, 409) },
      },
    },
    (req) => service.startImport(ctx, req.principal, req.body),
  );
  app.get(
    '/api/v2/taskOrders/import/:jobId',
    {
      schema: {
        tags,
        summary: 'Progress and per-row results of an import',
        params: JobParams,
        response: {
          200: Type.Object({
            id: Type.String(),
            status: Type.String({ description: 'pending | processing | completed | completedWithErrors' }),
            total: Type.Integer(),
            processed: Type.Integer(),
            created: Type.Integer(),
            duplicates: Type.Integer(),
            failed: Type.Integer(),
            rows: Type.Array(
              Type.Object({
                line: Type.Integer(),
                status: Type.String({ description: 'created | duplicate | failed' }),
                orderShortId: Type.Union([Type.String(), Type.Null()]),
                error: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            timeCreated: Type.Number(),
            timeFinished: Type.Union([Type.Number(), Type.Null()]),
          }),
          ...errors(...AUTH_ERRORS, 404),
        },
      },
    },
    (req) => service.importStatus(ctx, req.principal, req.params.jobId),
  );
}
