import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUDIT_ENTRY_NOTE, AuditEntry, AUTH_ERRORS, Empty, errors, Id, IdParams } from '../../lib/schemas.ts';
import { getTeam } from '../teams/teams.service.ts';
import { getWorker } from '../workers/workers.service.ts';
import { getContainer, setWorkerTasks } from './containers.service.ts';
import * as service from './tasks.service.ts';
import { BatchBody, CompleteTaskBody, ContainerBody, CreateTaskBody, ListTasksQuery, Task, UpdateTaskBody } from './tasks.schemas.ts';
import { AppError, ERRORS } from '../../lib/errors.ts';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const Container = Type.Object({
  id: Type.String(),
  type: Type.String(),
  organization: Type.String(),
  worker: Type.Optional(Type.String()),
  team: Type.Optional(Type.String()),
  tasks: Type.Array(Type.String()),
  activeTask: Type.Union([Type.String(), Type.Null()]),
  timeLastModified: Type.Number(),
});

const TaskPage = Type.Object({ tasks: Type.Array(Type.Ref(Task)), lastId: Type.Optional(Type.String()) });
const checkCreate = TypeCompiler.Compile(CreateTaskBody);

export async function taskRoutes(app: App, ctx: AppContext) {
  app.addSchema(Task);
  const tags = ['Tasks'];
  const one = { 200: Type.Ref(Task), ...errors(...AUTH_ERRORS, 404, 409) };

  app.post('/api/v2/tasks', { schema: { tags, summary: 'Create a task', body: CreateTaskBody, response: one } }, (req) =>
    service.createTask(ctx, req.principal, req.body),
  );
  app.get(
    '/api/v2/tasks/all',
    { schema: { tags, summary: 'List tasks created in a time range, 64 per page', querystring: ListTasksQuery, response: { 200: TaskPage, ...errors(...AUTH_ERRORS) } } },
    (req) => service.listTasks(ctx, req.principal, req.query),
  );
  app.get(
    '/api/v2/tasks/shortId/:shortId',
    { schema: { tags, summary: 'Get a task by its short id', params: Type.Object({ shortId: Type.String({ pattern: '^[0-9a-f]{8}$' }) }), response: one } },
    (req) => service.getTaskByShortId(ctx, req.principal, req.params.shortId),
  );
  app.get('/api/v2/tasks/:id', { schema: { tags, summary: 'Get a task', params: IdParams, response: one } }, (req) => service.getTask(ctx, req.principal, req.params.id));
  app.get(
    '/api/v2/tasks/:id/history',
    {
      schema: {
        tags,
        summary: 'What happened to a task, oldest first (courier only)',
        description: AUDIT_ENTRY_NOTE,
        params: IdParams,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...errors(...AUTH_ERRORS, 404) },
      },
    },
    (req) => service.taskHistory(ctx, req.principal, req.params.id),
  );
  app.put('/api/v2/tasks/:id', { schema: { tags, summary: 'Update a task (or move it: `container`)', params: IdParams, body: UpdateTaskBody, response: one } }, (req) =>
    service.updateTask(ctx, req.principal, req.params.id, req.body),
  );
  app.delete(
    '/api/v2/tasks/:id',
    { schema: { tags, summary: 'Delete a task (not when active or completed)', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404, 409) } } },
    async (req, reply) => {
      await service.deleteTask(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
  app.post('/api/v2/tasks/:id/clone', { schema: { tags, summary: 'Clone a task (e.g. a failed one, for redelivery)', params: IdParams, response: one } }, (req) =>
    service.cloneTask(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/v2/tasks/:id/complete',
    {
      schema: {
        tags,
        summary: 'Complete an active task: force-complete by a dispatcher, or by its driver (driver session)',
        params: IdParams,
        body: CompleteTaskBody,
        response: one,
      },
    },
    (req) => service.forceComplete(ctx, req.principal, req.params.id, req.body.completionDetails),
  );
  app.post(
    '/api/v2/tasks/batch',
    {
      schema: {
        tags,
        summary: 'Create up to 100 tasks; each is validated and created on its own',
        body: BatchBody,
        response: {
          200: Type.Object({
            tasks: Type.Array(Type.Ref(Task)),
            errors: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), error: Type.Integer(), message: Type.String(), cause: Type.Unknown() })),
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    async (req) => {
      const tasks = [];
      const errs = [];
      for (const [index, raw] of req.body.tasks.entries()) {
        try {
          if (!checkCreate.Check(raw)) {
            const first = [...checkCreate.Errors(raw)][0];
            throw new AppError('invalid', `Task ${index}: ${first.path || '(body)'} ${first.message}.`, { field: first.path.replace(/^\//, '').replace(/\//g, '.') });
          }
          tasks.push(await service.createTask(ctx, req.principal, raw));
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          if (err.kind === 'unauthenticated' || err.kind === 'forbidden' || err.kind === 'readOnly') throw err;
          const e = ERRORS[err.kind];
          errs.push({ index, code: e.code, error: e.error, message: err.message, cause: err.cause ?? null });
        }
      }
      return { tasks, errors: errs };
    },
  );

  const containerParams = Type.Object({ id: Id() });
  for (const kind of ['workers', 'teams', 'organizations'] as const) {
    app.get(
      `/api/v2/containers/${kind}/:id`,
      { schema: { tags: ['Containers'], summary: `The ${kind.slice(0, -1)}'s task container`, params: containerParams, response: { 200: Container, ...errors(...AUTH_ERRORS, 404) } } },
      (req) => getContainer(ctx, req.principal, kind, req.params.id),
    );
  }
  app.put(
    '/api/v2/containers/workers/:id',
    {
      schema: {
        tags: ['Containers'],
        summary: "Set a driver's ordered task list ([ids] replaces it; [index, ...ids] inserts at index)",
        params: containerParams,
        body: ContainerBody,
        response: { 200: Container, ...errors(...AUTH_ERRORS, 404, 409) },
      },
    },
    (req) => setWorkerTasks(ctx, req.principal, req.params.id, req.body),
  );
  app.get(
    '/api/v2/teams/:id/tasks',
    { schema: { tags: ['Teams'], summary: "Tasks in a team's container", params: IdParams, querystring: ListTasksQuery, response: { 200: TaskPage, ...errors(...AUTH_ERRORS, 404) } } },
    async (req) => {
      await getTeam(ctx, req.principal, req.params.id);
      return service.listTasks(ctx, req.principal, { ...req.query, team: req.params.id });
    },
  );
  app.get(
    '/api/v2/workers/:id/tasks',
    { schema: { tags: ['Workers'], summary: 'Tasks assigned to a driver', params: IdParams, querystring: ListTasksQuery, response: { 200: TaskPage, ...errors(...AUTH_ERRORS, 404) } } },
    async (req) => {
      await getWorker(ctx, req.principal, req.params.id);
      return service.listTasks(ctx, req.principal, { ...req.query, worker: req.params.id });
    },
  );
}
