import { Type } from '@sinclair/typebox';
import { Body, Id, Name, Place, PlaceIn } from '../../lib/schemas.ts';

export const Team = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    workers: Type.Array(Type.String()),
    managers: Type.Array(Type.String()),
    hub: Type.Union([Type.String(), Type.Null()]),
    hubLocation: Type.Union([Place, Type.Null()], { description: 'Where the team’s routes start and end by default (route optimisation’s `teams://DEFAULT`)' }),
    enableSelfAssignment: Type.Boolean(),
    tasks: Type.Array(Type.String()),
    timeCreated: Type.Number(),
    timeLastModified: Type.Number(),
  },
  { $id: 'Team', title: 'Team' },
);

const Ids = Type.Array(Id(), { maxItems: 1000, uniqueItems: true });

export const CreateTeamBody = Body({
  name: Name(100),
  workers: Type.Optional(Ids),
  managers: Type.Optional(Ids),
  enableSelfAssignment: Type.Optional(Type.Boolean()),
  hubLocation: Type.Optional(Type.Union([PlaceIn, Type.Null()], { description: 'The team’s hub on the map; null clears it' })),
});

export const UpdateTeamBody = Body({
  name: Type.Optional(Name(100)),
  workers: Type.Optional(Ids),
  managers: Type.Optional(Ids),
  enableSelfAssignment: Type.Optional(Type.Boolean()),
  hubLocation: Type.Optional(Type.Union([PlaceIn, Type.Null()], { description: 'The team’s hub on the map; null clears it' })),
});
