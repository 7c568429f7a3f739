import { Type } from '@sinclair/typebox';
import { Body, Email, Id, Name, Place, PlaceIn } from '../../lib/schemas.ts';

export const VehicleType = Type.Union([Type.Literal('CAR'), Type.Literal('BICYCLE'), Type.Literal('MOTORCYCLE'), Type.Literal('TRUCK')]);

const VehicleIn = Type.Object(
  {
    type: VehicleType,
    description: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    licensePlate: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
    color: Type.Optional(Type.Union([Type.String({ maxLength: 32 }), Type.Null()])),
  },
  { additionalProperties: false },
);

export const Vehicle = Type.Object({
  id: Type.String(),
  type: VehicleType,
  description: Type.Union([Type.String(), Type.Null()]),
  licensePlate: Type.Union([Type.String(), Type.Null()]),
  color: Type.Union([Type.String(), Type.Null()]),
});

export const Worker = Type.Object(
  {
    id: Type.String(),
    organization: Type.String(),
    name: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    phone: Type.String({ description: 'E.164' }),
    email: Type.Union([Type.String(), Type.Null()]),
    teams: Type.Array(Type.String()),
    onDuty: Type.Boolean(),
    location: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()], { description: '[longitude, latitude]' }),
    timeLastSeen: Type.Union([Type.Number(), Type.Null()]),
    activeTask: Type.Union([Type.String(), Type.Null()]),
    tasks: Type.Array(Type.String()),
    vehicle: Type.Union([Vehicle, Type.Null()]),
    capacity: Type.Number({ description: 'Units the driver can carry at once (task quantities), for route optimisation; 0 = no limit' }),
    routingAddress: Type.Union([Place, Type.Null()], {
      description: 'Where the driver’s optimised routes may end (routeEnd `workers://ROUTING_ADDRESS`)',
    }),
    accountStatus: Type.String({ description: 'INVITED until the driver first signs in, then ACCEPTED' }),
    metadata: Type.Array(Type.Unknown()),
    imageUrl: Type.Union([Type.String(), Type.Null()]),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'Worker', title: 'Worker' },
);

const Teams = Type.Array(Id(), { minItems: 1, maxItems: 100, uniqueItems: true, description: 'At least one team' });

export const CreateWorkerBody = Body({
  name: Name(),
  phone: Type.String({ minLength: 3, maxLength: 32 }),
  teams: Teams,
  vehicle: Type.Optional(Type.Union([VehicleIn, Type.Null()])),
  capacity: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  routingAddress: Type.Optional(Type.Union([PlaceIn, Type.Null()], { description: 'Where the driver’s optimised routes may end; null clears it' })),
});

export const UpdateWorkerBody = Body({
  name: Type.Optional(Name()),
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 32 })),
  teams: Type.Optional(Teams),
  vehicle: Type.Optional(Type.Union([VehicleIn, Type.Null()])),
  capacity: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  email: Type.Optional(Type.Union([Email, Type.Null()])),
  routingAddress: Type.Optional(Type.Union([PlaceIn, Type.Null()], { description: 'Where the driver’s optimised routes may end; null clears it' })),
});

export const ListWorkersQuery = Type.Object({
  teams: Type.Optional(Type.String({ description: 'Comma-separated team ids', maxLength: 2500 })),
  states: Type.Optional(Type.String({ description: 'Comma-separated: 0 off duty, 1 idle (on duty), 2 active', maxLength: 10 })),
});
