import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AuditEntry, AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import { TokenParams } from '../admins/admins.schemas.ts';
import { replyWithSession } from '../auth/auth.routes.ts';
import { SessionView } from '../auth/auth.schemas.ts';
import * as service from './clients.service.ts';
import { AcceptInvitationBody, Client, CreateClientBody, Invitation, ListClientsQuery, UpdateClientBody } from './clients.schemas.ts';

export async function clientRoutes(app: App, ctx: AppContext) {
  app.addSchema(Client);
  const tags = ['Clients'];
  const one = { 200: Type.Ref(Client), ...errors(...AUTH_ERRORS, 404, 409) };

  app.get(
    '/api/v2/clients',
    {
      schema: {
        tags,
        summary: "The courier's clients, newest first (filter by status, search by name or email)",
        querystring: ListClientsQuery,
        response: { 200: Type.Object({ clients: Type.Array(Type.Ref(Client)), lastId: Type.Optional(Type.String()) }), ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.listClients(ctx, req.principal, req.query),
  );
  app.post(
    '/api/v2/clients',
    { schema: { tags, summary: 'Create a client (status pending; nothing is sent yet)', body: CreateClientBody, response: { ...one, 201: Type.Ref(Client) } } },
    async (req, reply) => reply.status(201).send(await service.createClient(ctx, req.principal, req.body)),
  );
  app.get('/api/v2/clients/:id', { schema: { tags, summary: 'Get a client', params: IdParams, response: one } }, (req) =>
    service.getClient(ctx, req.principal, req.params.id),
  );
  app.put(
    '/api/v2/clients/:id',
    {
      schema: {
        tags,
        summary: 'Change name, email or auto-assign team (after acceptance a new email waits for the client’s confirmation)',
        params: IdParams,
        body: UpdateClientBody,
        response: one,
      },
    },
    (req) => service.updateClient(ctx, req.principal, req.params.id, req.body),
  );
  app.post(
    '/api/v2/clients/:id/invite',
    { schema: { tags, summary: 'Mail an invitation (single use, 7 days; voids the earlier link)', params: IdParams, response: one } },
    (req) => service.inviteClient(ctx, req.principal, req.params.id),
  );
  app.delete(
    '/api/v2/clients/:id',
    {
      schema: {
        tags,
        summary: 'Delete a client: it can no longer sign in, its sessions and keys stop working; its orders stay',
        params: IdParams,
        response: { 200: Empty, ...errors(...AUTH_ERRORS, 404) },
      },
    },
    async (req, reply) => {
      await service.deleteClient(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
  app.get(
    '/api/v2/clients/:id/audit',
    {
      schema: {
        tags,
        summary: 'Who changed what on this client, newest first',
        params: IdParams,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...errors(...AUTH_ERRORS, 404) },
      },
    },
    (req) => service.clientAudit(ctx, req.principal, req.params.id),
  );

  app.get(
    '/api/v2/invitations/:token',
    {
      schema: {
        tags,
        summary: 'What a client invitation shows (public)',
        security: [],
        params: TokenParams,
        response: { 200: Invitation, ...errors(400, 410) },
      },
    },
    (req) => service.viewInvitation(ctx, req.params.token),
  );
  app.post(
    '/api/v2/invitations/:token/accept',
    {
      schema: {
        tags,
        summary: 'Accept a client invitation: creates the client organization and its first user, and signs in',
        security: [],
        params: TokenParams,
        body: AcceptInvitationBody,
        response: { 201: Type.Ref(SessionView), ...errors(400, 403, 409, 410) },
      },
    },
    async (req, reply) => {
      const r = await service.acceptInvitation(ctx, req.params.token, req.body);
      return replyWithSession(ctx, reply, r.session, 201);
    },
  );
}
