import { Type, type Static } from '@sinclair/typebox';
import { Body, Email, Id } from '../../lib/schemas.ts';

const Str = (max: number) => Type.String({ maxLength: max });
const NStr = (max: number) => Type.Union([Type.String({ maxLength: max }), Type.Null()]);
export const LngLat = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 })], {
  description: '[longitude, latitude]',
});

export const AddressIn = Type.Object(
  {
    number: Type.Optional(Str(20)),
    street: Type.Optional(Str(200)),
    apartment: Type.Optional(Str(100)),
    city: Type.Optional(Str(100)),
    state: Type.Optional(Str(100)),
    postalCode: Type.Optional(Str(20)),
    country: Type.Optional(Str(100)),
    name: Type.Optional(Str(200)),
    unparsed: Type.Optional(Str(500)),
  },
  { additionalProperties: false },
);

export const DestinationIn = Type.Object(
  {
    address: AddressIn,
    location: Type.Optional(Type.Union([LngLat, Type.Null()])),
    notes: Type.Optional(Str(2000)),
  },
  { additionalProperties: false },
);

export const RecipientIn = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
    email: Type.Optional(Type.Union([Email, Type.Null()])),
    notes: Type.Optional(Str(2000)),
    skipSMSNotifications: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const MetadataItem = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    type: Type.Union([Type.Literal('boolean'), Type.Literal('number'), Type.Literal('string'), Type.Literal('object'), Type.Literal('array')]),
    value: Type.Unknown(),
    subtype: Type.Optional(Str(20)),
    visibility: Type.Optional(Type.Array(Type.Union([Type.Literal('api'), Type.Literal('dashboard'), Type.Literal('worker')]), { maxItems: 3 })),
  },
  { additionalProperties: false },
);

export const Requirements = Type.Object(
  {
    signature: Type.Optional(Type.Boolean()),
    photo: Type.Optional(Type.Boolean()),
    notes: Type.Optional(Type.Boolean()),
    minimumAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 99 })),
  },
  { additionalProperties: false },
);

export const ContainerIn = Type.Object(
  {
    type: Type.Union([Type.Literal('ORGANIZATION'), Type.Literal('TEAM'), Type.Literal('WORKER')]),
    organization: Type.Optional(Id()),
    team: Type.Optional(Id()),
    worker: Type.Optional(Id()),
  },
  { additionalProperties: false },
);

const taskFields = {
  destination: DestinationIn,
  recipients: Type.Optional(Type.Array(RecipientIn, { maxItems: 10 })),
  notes: Type.Optional(Str(10_000)),
  completeAfter: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  completeBefore: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  pickupTask: Type.Optional(Type.Boolean()),
  dependencies: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true })),
  quantity: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  serviceTime: Type.Optional(Type.Number({ minimum: 0, maximum: 1440, description: 'minutes' })),
  metadata: Type.Optional(Type.Array(MetadataItem, { maxItems: 50 })),
  requirements: Type.Optional(Requirements),
  container: Type.Optional(ContainerIn),
};

export const CreateTaskBody = Body(taskFields);
export type CreateTaskInput = Static<typeof CreateTaskBody>;

export const UpdateTaskBody = Body({
  destination: Type.Optional(DestinationIn),
  recipients: Type.Optional(Type.Array(RecipientIn, { maxItems: 10 })),
  notes: Type.Optional(Str(10_000)),
  completeAfter: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  completeBefore: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  pickupTask: Type.Optional(Type.Boolean()),
  dependencies: Type.Optional(Type.Array(Id(), { maxItems: 50, uniqueItems: true })),
  quantity: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  serviceTime: Type.Optional(Type.Number({ minimum: 0, maximum: 1440 })),
  metadata: Type.Optional(Type.Array(MetadataItem, { maxItems: 50 })),
  requirements: Type.Optional(Requirements),
  container: Type.Optional(ContainerIn),
});
export type UpdateTaskInput = Static<typeof UpdateTaskBody>;

export const CompleteTaskBody = Body({
  completionDetails: Type.Object(
    {
      success: Type.Boolean(),
      notes: Type.Optional(Str(5000)),
      failureReason: Type.Optional(Str(100)),
      photoUploadIds: Type.Optional(Type.Array(Id(), { maxItems: 10, uniqueItems: true })),
      photoUploadId: Type.Optional(Id()),
      signatureUploadId: Type.Optional(Id()),
    },
    { additionalProperties: false },
  ),
});
export type CompleteTaskInput = Static<typeof CompleteTaskBody>['completionDetails'];

const Address = Type.Object({
  number: Type.String(),
  street: Type.String(),
  apartment: Type.String(),
  city: Type.String(),
  state: Type.String(),
  postalCode: Type.String(),
  country: Type.String(),
  name: Type.String(),
  unparsed: Type.String(),
});

export const Task = Type.Object(
  {
    id: Type.String(),
    shortId: Type.String(),
    trackingURL: Type.String(),
    organization: Type.String(),
    merchant: Type.String(),
    executor: Type.String(),
    creator: Type.Union([Type.String(), Type.Null()]),
    state: Type.Integer({ description: '0 unassigned, 1 assigned, 2 active, 3 completed' }),
    pickupTask: Type.Boolean(),
    dependencies: Type.Array(Type.String()),
    orderShortId: Type.Union([Type.String(), Type.Null()]),
    completeAfter: Type.Union([Type.Number(), Type.Null()]),
    completeBefore: Type.Union([Type.Number(), Type.Null()]),
    container: Type.Object({
      type: Type.String(),
      organization: Type.Optional(Type.String()),
      team: Type.Optional(Type.String()),
      worker: Type.Optional(Type.String()),
    }),
    worker: Type.Union([Type.String(), Type.Null()]),
    destination: Type.Object({
      id: Type.String(),
      address: Address,
      location: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]),
      notes: Type.String(),
      warnings: Type.Array(Type.String()),
      timeCreated: Type.Number(),
      timeLastModified: Type.Number(),
    }),
    recipients: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        phone: Type.Union([Type.String(), Type.Null()]),
        email: Type.Union([Type.String(), Type.Null()]),
        notes: Type.String(),
        skipSMSNotifications: Type.Boolean(),
      }),
    ),
    notes: Type.String(),
    quantity: Type.Number(),
    serviceTime: Type.Number(),
    metadata: Type.Array(Type.Unknown()),
    requirements: Type.Object({
      signature: Type.Boolean(),
      photo: Type.Boolean(),
      notes: Type.Boolean(),
      minimumAge: Type.Integer(),
    }),
    completionDetails: Type.Object({
      success: Type.Union([Type.Boolean(), Type.Null()]),
      time: Type.Union([Type.Number(), Type.Null()]),
      notes: Type.String(),
      failureReason: Type.String(),
      events: Type.Array(Type.Object({ name: Type.String(), time: Type.Number(), location: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]) })),
      photoUploadIds: Type.Array(Type.String()),
      photoUploadId: Type.Union([Type.String(), Type.Null()]),
      signatureUploadId: Type.Union([Type.String(), Type.Null()]),
    }),
    feedback: Type.Array(Type.Object({ rating: Type.Number(), comments: Type.String(), time: Type.Number() })),
    trackingViewed: Type.Boolean(),
    eta: Type.Union([Type.Number(), Type.Null()]),
    delayTime: Type.Union([Type.Number(), Type.Null()]),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'Task', title: 'Task' },
);

export const ListTasksQuery = Type.Object({
  from: Type.Optional(Type.Integer({ minimum: 0, description: 'timeCreated ≥ from (ms); defaults to 0' })),
  to: Type.Optional(Type.Integer({ minimum: 0, description: 'timeCreated ≤ to (ms)' })),
  state: Type.Optional(Type.String({ maxLength: 10, pattern: '^[0-3](,[0-3])*$', description: 'Comma-separated states' })),
  worker: Type.Optional(Id()),
  team: Type.Optional(Id()),
  merchant: Type.Optional(Id('Client organization')),
  lastId: Type.Optional(Id()),
});

export const ContainerBody = Body({
  tasks: Type.Array(Type.Union([Id(), Type.Integer({ minimum: -1 })]), { maxItems: 500 }),
  considerDependencies: Type.Optional(Type.Boolean()),
});

export const BatchBody = Body({ tasks: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 100 }) });
