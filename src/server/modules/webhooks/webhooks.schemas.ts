import { Type, type Static } from '@sinclair/typebox';
import { Body, Id } from '../../lib/schemas.ts';
import { TRIGGERS, TRIGGER_IDS } from './webhook-triggers.ts';

const TRIGGER_NOTE = TRIGGER_IDS.map((id) => `${id} ${TRIGGERS[id]}`).join(', ');

export const Webhook = Type.Object(
  {
    id: Type.String(),
    organization: Type.String(),
    name: Type.String(),
    url: Type.String(),
    trigger: Type.Integer({ description: TRIGGER_NOTE }),
    threshold: Type.Optional(Type.Number()),
    isEnabled: Type.Boolean(),
    disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why Baton turned it off (deliveries kept failing)' }),
    count: Type.Integer({ description: 'Deliveries made' }),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'Webhook', title: 'Webhook' },
);

export const CreateWebhookBody = Body({
  url: Type.String({ minLength: 8, maxLength: 2000 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  trigger: Type.Integer({ enum: TRIGGER_IDS, description: TRIGGER_NOTE }),
  threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
});
export type CreateWebhookInput = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Body({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  isEnabled: Type.Optional(Type.Boolean({ description: 'Turn a webhook back on after it was disabled' })),
  threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 86_400 })),
});
export type UpdateWebhookInput = Static<typeof UpdateWebhookBody>;

export const Secret = Type.Object({ secret: Type.String({ description: 'Hex; shown only now. X-Onfleet-Signature is the hex HMAC-SHA512 of the raw body keyed with its bytes.' }) });

const Attempt = Type.Object({
  attempt: Type.Integer(),
  time: Type.Number(),
  statusCode: Type.Union([Type.Integer(), Type.Null()]),
  latencyMs: Type.Integer(),
  responseExcerpt: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const Delivery = Type.Object({
  id: Type.String(),
  triggerId: Type.Integer(),
  triggerName: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'pending | delivered | failed' }),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.Number(), Type.Null()]),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  timeCreated: Type.Number(),
  timeDelivered: Type.Union([Type.Number(), Type.Null()]),
  attemptLog: Type.Array(Attempt),
});

export const DeliveryPage = Type.Object({ deliveries: Type.Array(Delivery), lastId: Type.Optional(Type.String()) });
export const DeliveryQuery = Type.Object({ lastId: Type.Optional(Id()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })) });
export const DeliveryParams = Type.Object({ id: Id(), deliveryId: Id() });
