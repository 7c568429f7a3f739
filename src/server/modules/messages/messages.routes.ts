import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, errors, Paging } from '../../lib/schemas.ts';
import { authorize } from '../auth/principal.ts';
import { listOutbox } from './messages.service.ts';

const Message = Type.Object(
  {
    id: Type.String(),
    channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
    to: Type.String(),
    subject: Type.Union([Type.String(), Type.Null()]),
    text: Type.String(),
    links: Type.Array(Type.String()),
    status: Type.String({ description: 'queued | sent | kept (no transport configured) | failed' }),
    attempts: Type.Integer(),
    lastError: Type.Union([Type.String(), Type.Null()]),
    timeCreated: Type.Number(),
    timeSent: Type.Union([Type.Number(), Type.Null()]),
  },
  { $id: 'Message', title: 'Message' },
);

export async function messageRoutes(app: App, ctx: AppContext) {
  app.addSchema(Message);
  app.get(
    '/api/v2/outbox',
    {
      schema: {
        tags: ['Outbox'],
        summary: "Messages your organization sent or keeps (the local outbox when no SMTP server is configured)",
        querystring: Paging,
        response: { 200: Type.Object({ messages: Type.Array(Type.Ref(Message)), lastId: Type.Optional(Type.String()) }), ...errors(...AUTH_ERRORS) },
      },
    },
    async (req) => {
      const u = authorize(req.principal, { admin: true });
      return listOutbox(ctx.db, u.organizationId, 50, req.query.lastId);
    },
  );
}
