import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import * as service from './teams.service.ts';
import { CreateTeamBody, Team, UpdateTeamBody } from './teams.schemas.ts';

export async function teamRoutes(app: App, ctx: AppContext) {
  app.addSchema(Team);
  const tags = ['Teams'];
  const one = { 200: Type.Ref(Team), ...errors(...AUTH_ERRORS, 404, 409) };
  app.get('/api/v2/teams', { schema: { tags, summary: 'List teams', response: { 200: Type.Array(Type.Ref(Team)), ...errors(...AUTH_ERRORS) } } }, (req) =>
    service.listTeams(ctx, req.principal),
  );
  app.post('/api/v2/teams', { schema: { tags, summary: 'Create a team', body: CreateTeamBody, response: one } }, (req) =>
    service.createTeam(ctx, req.principal, req.body),
  );
  app.get('/api/v2/teams/:id', { schema: { tags, summary: 'Get a team', params: IdParams, response: one } }, (req) =>
    service.getTeam(ctx, req.principal, req.params.id),
  );
  app.put('/api/v2/teams/:id', { schema: { tags, summary: 'Update a team', params: IdParams, body: UpdateTeamBody, response: one } }, (req) =>
    service.updateTeam(ctx, req.principal, req.params.id, req.body),
  );
  app.delete(
    '/api/v2/teams/:id',
    { schema: { tags, summary: 'Delete a team (refused while it has drivers)', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404, 409) } } },
    async (req, reply) => {
      await service.deleteTeam(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
}
