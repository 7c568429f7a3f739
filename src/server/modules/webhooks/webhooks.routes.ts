import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { sendEmpty, type App } from '../../lib/http.ts';
import { AUTH_ERRORS, Empty, errors, IdParams } from '../../lib/schemas.ts';
import { CreateWebhookBody, Delivery, DeliveryPage, DeliveryParams, DeliveryQuery, Secret, UpdateWebhookBody, Webhook } from './webhooks.schemas.ts';
import * as service from './webhooks.service.ts';

export async function webhookRoutes(app: App, ctx: AppContext) {
  app.addSchema(Webhook);
  const tags = ['Webhooks'];
  const one = { 200: Type.Ref(Webhook), ...errors(...AUTH_ERRORS, 404) };

  app.get('/api/v2/webhooks', { schema: { tags, summary: 'Your organization’s webhooks', response: { 200: Type.Array(Type.Ref(Webhook)), ...errors(...AUTH_ERRORS) } } }, (req) =>
    service.listWebhooks(ctx, req.principal),
  );
  app.post(
    '/api/v2/webhooks',
    {
      schema: {
        tags,
        summary: 'Register a webhook (Baton first sends GET url?check=<value> and needs 200 with exactly that value; else error 1008)',
        body: CreateWebhookBody,
        response: one,
      },
    },
    (req) => service.createWebhook(ctx, req.principal, req.body),
  );
  app.post('/api/v2/webhooks/secret', { schema: { tags, summary: 'Rotate the signing secret of all your webhooks (returned only now)', response: { 200: Secret, ...errors(...AUTH_ERRORS) } } }, (req) =>
    service.rotateSecret(ctx, req.principal),
  );
  app.get('/api/v2/webhooks/:id', { schema: { tags, summary: 'One webhook', params: IdParams, response: one } }, (req) => service.getWebhook(ctx, req.principal, req.params.id));
  app.put('/api/v2/webhooks/:id', { schema: { tags, summary: 'Rename a webhook, change its threshold, or turn it off or back on', params: IdParams, body: UpdateWebhookBody, response: one } }, (req) =>
    service.updateWebhook(ctx, req.principal, req.params.id, req.body),
  );
  app.delete('/api/v2/webhooks/:id', { schema: { tags, summary: 'Delete a webhook', params: IdParams, response: { 200: Empty, ...errors(...AUTH_ERRORS, 404) } } }, async (req, reply) => {
    await service.deleteWebhook(ctx, req.principal, req.params.id);
    return sendEmpty(reply);
  });
  app.get(
    '/api/v2/webhooks/:id/deliveries',
    { schema: { tags, summary: 'The webhook’s delivery log, newest first, with every attempt', params: IdParams, querystring: DeliveryQuery, response: { 200: DeliveryPage, ...errors(...AUTH_ERRORS, 404) } } },
    (req) => service.listDeliveries(ctx, req.principal, req.params.id, req.query),
  );
  app.post(
    '/api/v2/webhooks/:id/deliveries/:deliveryId/redeliver',
    { schema: { tags, summary: 'Send a delivery again now', params: DeliveryParams, response: { 200: Delivery, ...errors(...AUTH_ERRORS, 404) } } },
    (req) => service.redeliver(ctx, req.principal, req.params.id, req.params.deliveryId),
  );
}
