import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import { replyWithSession } from '../auth/auth.routes.ts';
import { SessionView } from '../auth/auth.schemas.ts';
import * as service from './admins.service.ts';
import { AcceptAdminInvitationBody, Admin, AdminInvitation, CreateAdminBody, TokenParams, UpdateAdminBody } from './admins.schemas.ts';

export async function adminRoutes(app: App, ctx: AppContext) {
  app.addSchema(Admin);
  const tags = ['Admins'];
  const one = { 200: Type.Ref(Admin), ...errors(...AUTH_ERRORS, 404, 409) };

  app.get('/api/v2/admins', { schema: { tags, summary: 'List the people of your organization', response: { 200: Type.Array(Type.Ref(Admin)), ...errors(...AUTH_ERRORS) } } }, (req) =>
    service.listAdmins(ctx, req.principal),
  );
  app.get('/api/v2/admins/:id', { schema: { tags, summary: 'Get a person', params: IdParams, response: one } }, (req) =>
    service.getAdmin(ctx, req.principal, req.params.id),
  );
  app.post(
    '/api/v2/admins',
    { schema: { tags, summary: 'Invite an administrator or dispatcher (an invitation email is sent)', body: CreateAdminBody, response: one } },
    (req) => service.createAdmin(ctx, req.principal, req.body),
  );
  app.put('/api/v2/admins/:id', { schema: { tags, summary: 'Update a person', params: IdParams, body: UpdateAdminBody, response: one } }, (req) =>
    service.updateAdmin(ctx, req.principal, req.params.id, req.body),
  );
  app.post('/api/v2/admins/:id/deactivate', { schema: { tags, summary: 'Deactivate (signs the person out)', params: IdParams, response: one } }, (req) =>
    service.setActive(ctx, req.principal, req.params.id, false),
  );
  app.post('/api/v2/admins/:id/activate', { schema: { tags, summary: 'Reactivate', params: IdParams, response: one } }, (req) =>
    service.setActive(ctx, req.principal, req.params.id, true),
  );
  app.post('/api/v2/admins/:id/invite', { schema: { tags, summary: 'Send the invitation again (voids the earlier link)', params: IdParams, response: one } }, (req) =>
    service.resendInvitation(ctx, req.principal, req.params.id),
  );
  app.delete(
    '/api/v2/admins/:id',
    { schema: { tags, summary: 'Delete a person', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404, 409) } } },
    async (req, reply) => {
      await service.deleteAdmin(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );

  app.get(
    '/api/v2/admin-invitations/:token',
    { schema: { tags, summary: 'What an invitation link shows', security: [], params: TokenParams, response: { 200: AdminInvitation, ...errors(400, 410) } } },
    (req) => service.viewInvitation(ctx, req.params.token),
  );
  app.post(
    '/api/v2/admin-invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accept an invitation: set a password and sign in',
        security: [],
        params: TokenParams,
        body: AcceptAdminInvitationBody,
        response: { 200: Type.Ref(SessionView), ...errors(400, 403, 410) },
      },
    },
    async (req, reply) => {
      const r = await service.acceptInvitation(ctx, req.params.token, req.body);
      return replyWithSession(ctx, reply, r.session);
    },
  );
}
