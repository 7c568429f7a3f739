import { Type, type Static } from '@sinclair/typebox';
import { Body, Id } from '../../lib/schemas.ts';
import { TAGS, TRIGGERS } from './notifications.templates.ts';

export const TriggerSchema = Type.Union(
  TRIGGERS.map((t) => Type.Literal(t)),
  { description: 'taskEta (threshold: seconds), driverArriving (threshold: meters, default 150), taskDelayed (threshold: seconds late)' },
);
const AppliesTo = Type.Union([Type.Literal('both'), Type.Literal('pickup'), Type.Literal('dropoff')]);
const Channel = Type.Union([Type.Literal('sms'), Type.Literal('email')]);
const TEMPLATE_NOTE = `Tags: ${TAGS.map((t) => `{{${t}}}`).join(' ')}; any other tag is refused.`;

export const NotificationRule = Type.Object(
  {
    id: Type.String(),
    trigger: TriggerSchema,
    appliesTo: AppliesTo,
    channels: Type.Array(Channel),
    template: Type.String(),
    subject: Type.Union([Type.String(), Type.Null()]),
    threshold: Type.Union([Type.Number(), Type.Null()]),
    enabled: Type.Boolean(),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'NotificationRule', title: 'NotificationRule' },
);
export type NotificationRuleView = Static<typeof NotificationRule>;

const ruleFields = {
  trigger: TriggerSchema,
  appliesTo: Type.Optional(AppliesTo),
  channels: Type.Array(Channel, { minItems: 1, maxItems: 2, uniqueItems: true }),
  template: Type.String({ minLength: 1, maxLength: 1000, pattern: '\\S', description: TEMPLATE_NOTE }),
  subject: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()], { description: 'Email subject (same tags); default "Update from {{merchantName}}"' })),
  threshold: Type.Optional(Type.Union([Type.Number({ minimum: 0, maximum: 86_400 * 7 }), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
};

export const CreateRuleBody = Body(ruleFields);
export type CreateRuleInput = Static<typeof CreateRuleBody>;

export const UpdateRuleBody = Body({
  trigger: Type.Optional(ruleFields.trigger),
  appliesTo: ruleFields.appliesTo,
  channels: Type.Optional(ruleFields.channels),
  template: Type.Optional(ruleFields.template),
  subject: ruleFields.subject,
  threshold: ruleFields.threshold,
  enabled: ruleFields.enabled,
});
export type UpdateRuleInput = Static<typeof UpdateRuleBody>;

export const RuleList = Type.Object({
  rules: Type.Array(Type.Ref(NotificationRule)),
  usesCourierDefaults: Type.Boolean({ description: 'A client without rules of its own: its courier’s rules apply to its orders' }),
  courierDefaults: Type.Array(Type.Ref(NotificationRule)),
});

export const PreviewBody = Body({
  template: Type.String({ maxLength: 1000 }),
  subject: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  trigger: Type.Optional(TriggerSchema),
  taskId: Type.Optional(Id('Render with this task’s data (default: your most recent task)')),
});
export type PreviewInput = Static<typeof PreviewBody>;

export const Preview = Type.Object({
  text: Type.String(),
  subject: Type.String(),
  taskId: Type.Union([Type.String(), Type.Null()]),
  taskShortId: Type.Union([Type.String(), Type.Null()]),
  sample: Type.Boolean({ description: 'true when no task exists yet and made-up data was used' }),
});

export const LogQuery = Type.Object({
  taskId: Type.Optional(Id()),
  lastId: Type.Optional(Id()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});

export const NotificationMessage = Type.Object({
  id: Type.String(),
  taskId: Type.String(),
  taskShortId: Type.String(),
  orderShortId: Type.Union([Type.String(), Type.Null()]),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  trigger: Type.String(),
  channel: Channel,
  to: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  status: Type.String({ description: 'queued | sent | kept (no provider configured) | failed | skipped (e.g. opted out; reason in lastError)' }),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  timeCreated: Type.Number(),
  timeSent: Type.Union([Type.Number(), Type.Null()]),
});

export const LogPage = Type.Object({ messages: Type.Array(NotificationMessage), lastId: Type.Optional(Type.String()) });
