import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import { AutoAssignBody, AutoAssignResult, DispatchView, TeamDispatchBody } from './dispatch.schemas.ts';
import * as service from './dispatch.service.ts';

const EVENT_NOTE =
  'When the job ends, a `dispatch.completed` event (live updates at /api/v2/events) carries `{dispatch: {id, team, status, routes, tasks, unassigned, assignedTasksCount}}`; applying a preview later sends `dispatch.applied`.';

export async function dispatchRoutes(app: App, ctx: AppContext) {
  app.addSchema(DispatchView);
  app.post(
    '/api/v2/tasks/autoAssign',
    {
      schema: {
        tags: ['Tasks'],
        summary: 'Assign tasks to on-duty drivers automatically (Onfleet’s autoAssign); linked tasks go to the same driver',
        body: AutoAssignBody,
        response: { 200: AutoAssignResult, ...errors(...AUTH_ERRORS, 404) },
      },
    },
    (req) => service.autoAssign(ctx, req.principal, req.body),
  );
  app.post(
    '/api/v2/teams/:id/dispatch',
    {
      schema: {
        tags: ['Teams'],
        summary: 'Optimise routes for the team’s unassigned tasks and its on-duty drivers, in the background (Onfleet’s team auto-dispatch)',
        description: `Answers 202 with the dispatch id; follow it at GET /api/v2/dispatches/{id} (progress, then the routes). With \`preview\` the routes are only proposed. ${EVENT_NOTE}`,
        params: IdParams,
        body: TeamDispatchBody,
        response: {
          202: Type.Object({ id: Type.String(), dispatchId: Type.String(), team: Type.String(), status: Type.String() }),
          ...errors(...AUTH_ERRORS, 404),
        },
      },
    },
    async (req, reply) => {
      const out = await service.startTeamDispatch(ctx, req.principal, req.params.id, req.body ?? {});
      return reply.code(202).send(out);
    },
  );
  const one = { 200: Type.Ref(DispatchView), ...errors(...AUTH_ERRORS, 404, 409) };
  app.get(
    '/api/v2/dispatches/:id',
    { schema: { tags: ['Teams'], summary: 'A route optimisation: its progress while it runs, then its routes', description: EVENT_NOTE, params: IdParams, response: one } },
    (req) => service.getDispatch(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/v2/dispatches/:id/apply',
    { schema: { tags: ['Teams'], summary: 'Assign a previewed plan’s tasks to its drivers, in route order', params: IdParams, response: one } },
    (req) => service.applyDispatch(ctx, req.principal, req.params.id),
  );
  app.delete(
    '/api/v2/dispatches/:id',
    { schema: { tags: ['Teams'], summary: 'Discard a previewed plan (nothing is assigned)', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404, 409) } } },
    async (req, reply) => {
      await service.discardDispatch(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
}
