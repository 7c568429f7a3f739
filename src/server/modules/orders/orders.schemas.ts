import { Type, type Static } from '@sinclair/typebox';
import { Body, Email, Id } from '../../lib/schemas.ts';
import { DestinationIn, MetadataItem } from '../tasks/tasks.schemas.ts';

const Recipient = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    skipSMSNotifications: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const Time = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

const OrderTaskIn = Type.Object(
  {
    destination: DestinationIn,
    recipient: Type.Optional(Recipient),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    completeAfter: Type.Optional(Time),
    completeBefore: Type.Optional(Time),
    quantity: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
    serviceTime: Type.Optional(Type.Number({ minimum: 0, maximum: 1440 })),
  },
  { additionalProperties: false },
);

export const CreateOrderBody = Body({
  pickupTask: OrderTaskIn,
  dropoffTask: OrderTaskIn,
  metadata: Type.Optional(Type.Array(MetadataItem, { maxItems: 50 })),
  client: Type.Optional(Id('The client (required when a courier creates an order on its behalf)')),
});
export type CreateOrderInput = Static<typeof CreateOrderBody>;

const OrderTaskPatch = Type.Partial(OrderTaskIn, { additionalProperties: false });
export const UpdateOrderBody = Body({
  pickupTask: Type.Optional(OrderTaskPatch),
  dropoffTask: Type.Optional(OrderTaskPatch),
  metadata: Type.Optional(Type.Array(MetadataItem, { maxItems: 50 })),
});
export type UpdateOrderInput = Static<typeof UpdateOrderBody>;

export const OrderStatus = Type.Union(
  ['unassigned', 'assigned', 'in_progress', 'completed', 'failed', 'cancelled', 'rejected'].map((s) => Type.Literal(s)),
);

export const Order = Type.Object(
  {
    id: Type.String(),
    shortId: Type.String(),
    client: Type.String({ description: "The courier's client record" }),
    clientName: Type.String(),
    merchant: Type.String({ description: 'The client organization' }),
    status: OrderStatus,
    pickupTask: Type.Ref('Task'),
    dropoffTask: Type.Ref('Task'),
    metadata: Type.Array(Type.Unknown()),
    rejection: Type.Union([Type.Object({ reasons: Type.Array(Type.String()), time: Type.Number() }), Type.Null()]),
    trackingURL: Type.String(),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'Order', title: 'Order' },
);

export const ListOrdersQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 100, description: 'Comma-separated statuses' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Matches order id, addresses and recipient' })),
  from: Type.Optional(Type.Integer({ minimum: 0 })),
  to: Type.Optional(Type.Integer({ minimum: 0 })),
  client: Type.Optional(Id('Courier only: one client')),
  sort: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
  lastId: Type.Optional(Id()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const ShortIdParams = Type.Object({ shortId: Type.String({ pattern: '^[0-9a-f]{8}$' }) });
export const CancelBody = Body({ shortIds: Type.Array(Type.String({ pattern: '^[0-9a-f]{8}$' }), { minItems: 1, maxItems: 100, uniqueItems: true }) });
export const RejectBody = Body({
  reasons: Type.Union([Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { minItems: 1, maxItems: 10 }), Type.String({ minLength: 1, maxLength: 500 })]),
});
