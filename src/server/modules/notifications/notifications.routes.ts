import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import { CreateRuleBody, LogPage, LogQuery, NotificationRule, Preview, PreviewBody, RuleList, UpdateRuleBody } from './notifications.schemas.ts';
import * as service from './notifications.service.ts';

export async function notificationRoutes(app: App, ctx: AppContext) {
  app.addSchema(NotificationRule);
  const tags = ['Recipient notifications'];
  const one = { 200: Type.Ref(NotificationRule), ...errors(...AUTH_ERRORS, 404) };

  app.get(
    '/api/v2/notifications',
    {
      schema: {
        tags,
        summary: 'Your organization’s recipient message rules (a courier’s are the default for clients with none)',
        response: { 200: RuleList, ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.listRules(ctx, req.principal),
  );
  app.post('/api/v2/notifications', { schema: { tags, summary: 'Add a message rule', body: CreateRuleBody, response: one } }, (req) =>
    service.createRule(ctx, req.principal, req.body),
  );
  app.post(
    '/api/v2/notifications/preview',
    {
      schema: {
        tags,
        summary: 'Render a template with a real task’s data (your most recent task unless taskId is given)',
        body: PreviewBody,
        response: { 200: Preview, ...errors(...AUTH_ERRORS, 404) },
      },
    },
    (req) => service.preview(ctx, req.principal, req.body),
  );
  app.get(
    '/api/v2/notifications/log',
    {
      schema: {
        tags,
        summary: 'Every recipient message, newest first, with its status, attempts and error',
        querystring: LogQuery,
        response: { 200: LogPage, ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.notificationLog(ctx, req.principal, req.query),
  );
  app.put('/api/v2/notifications/:id', { schema: { tags, summary: 'Change a message rule', params: IdParams, body: UpdateRuleBody, response: one } }, (req) =>
    service.updateRule(ctx, req.principal, req.params.id, req.body),
  );
  app.delete(
    '/api/v2/notifications/:id',
    { schema: { tags, summary: 'Delete a message rule', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404) } } },
    async (req, reply) => {
      await service.deleteRule(ctx, req.principal, req.params.id);
      return sendEmpty(reply);
    },
  );
}
