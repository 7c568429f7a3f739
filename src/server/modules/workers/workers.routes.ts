import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import * as service from './workers.service.ts';
import { CreateWorkerBody, ListWorkersQuery, UpdateWorkerBody, Worker } from './workers.schemas.ts';

export async function workerRoutes(app: App, ctx: AppContext) {
  app.addSchema(Worker);
  const tags = ['Workers'];
  const one = { 200: Type.Ref(Worker), ...errors(...AUTH_ERRORS, 404, 409) };
  app.get(
    '/api/v2/workers',
    { schema: { tags, summary: 'List drivers', querystring: ListWorkersQuery, response: { 200: Type.Array(Type.Ref(Worker)), ...errors(...AUTH_ERRORS) } } },
    (req) => service.listWorkers(ctx, req.principal, req.query),
  );
  app.post('/api/v2/workers', { schema: { tags, summary: 'Create a driver', body: CreateWorkerBody, response: one } }, (req) =>
    service.createWorker(ctx, req.principal, req.body),
  );
  app.get('/api/v2/workers/:id', { schema: { tags, summary: 'Get a driver', params: IdParams, response: one } }, (req) =>
    service.getWorker(ctx, req.principal, req.params.id),
  );
  app.put('/api/v2/workers/:id', { schema: { tags, summary: 'Update a driver', params: IdParams, body: UpdateWorkerBody, response: one } }, (req) =>
    service.updateWorker(ctx, req.principal, req.params.id, req.body),
  );
  app.delete(
    '/api/v2/workers/:id',
    { schema: { tags, summary: 'Delete a driver', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404) } } },
    async (req, reply) => {
      await service.deleteWorker(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
}
