import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import type { App } from '../../lib/http.ts';
import { AUTH_ERRORS, errors } from '../../lib/schemas.ts';
import * as service from './orders.service.ts';
import { CancelBody, CreateOrderBody, ListOrdersQuery, Order, RejectBody, ShortIdParams, UpdateOrderBody } from './orders.schemas.ts';

export async function orderRoutes(app: App, ctx: AppContext) {
  app.addSchema(Order);
  const tags = ['Task orders'];
  const one = { 200: Type.Ref(Order), ...errors(...AUTH_ERRORS, 404, 409) };
  app.post(
    '/api/v2/taskOrders',
    {
      schema: {
        tags,
        summary: 'Create an order: a pickup task and a dropoff task that depends on it, in one transaction',
        body: CreateOrderBody,
        response: { 201: Type.Ref(Order), ...errors(...AUTH_ERRORS, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await service.createOrder(ctx, req.principal, req.body)),
  );
  app.get(
    '/api/v2/taskOrders',
    {
      schema: {
        tags,
        summary: 'Orders, newest first (a client sees only its own)',
        querystring: ListOrdersQuery,
        response: { 200: Type.Object({ orders: Type.Array(Type.Ref(Order)), lastId: Type.Optional(Type.String()) }), ...errors(...AUTH_ERRORS) },
      },
    },
    (req) => service.listOrders(ctx, req.principal, req.query),
  );
  app.post(
    '/api/v2/taskOrders/cancel',
    {
      schema: {
        tags,
        summary: 'Cancel orders whose pickup has not started',
        body: CancelBody,
        response: {
          200: Type.Object({
            cancelled: Type.Array(Type.String()),
            errors: Type.Array(Type.Object({ shortId: Type.String(), code: Type.String(), error: Type.Integer(), message: Type.String() })),
          }),
          ...errors(...AUTH_ERRORS),
        },
      },
    },
    (req) => service.cancelOrders(ctx, req.principal, req.body.shortIds),
  );
  app.get('/api/v2/taskOrders/:shortId', { schema: { tags, summary: 'Get an order', params: ShortIdParams, response: one } }, (req) =>
    service.getOrder(ctx, req.principal, req.params.shortId),
  );
  app.put(
    '/api/v2/taskOrders/:shortId',
    { schema: { tags, summary: 'Change an order until its pickup starts', params: ShortIdParams, body: UpdateOrderBody, response: one } },
    (req) => service.updateOrder(ctx, req.principal, req.params.shortId, req.body),
  );
  app.post(
    '/api/v2/taskOrders/:shortId/reject',
    { schema: { tags, summary: 'Reject an order with reasons the client sees (courier only)', params: ShortIdParams, body: RejectBody, response: one } },
    (req) => service.rejectOrder(ctx, req.principal, req.params.shortId, req.body.reasons),
  );
}
