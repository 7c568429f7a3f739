import { Type, type Static } from '@sinclair/typebox';
import { Body, Id } from '../../lib/schemas.ts';

const Ids = (max: number, description: string) => Type.Array(Id(), { maxItems: max, uniqueItems: true, description });

export const AutoAssignBody = Body({
  tasks: Type.Array(Id(), { minItems: 1, maxItems: 500, uniqueItems: true, description: 'The tasks to assign (unassigned ones are assigned; others are left as they are)' }),
  options: Body({
    mode: Type.Union([Type.Literal('distance'), Type.Literal('load')], {
      description: '`distance`: the driver closest to the task (from where its current list ends); `load`: the driver with the fewest open tasks',
    }),
    teams: Type.Optional(Ids(100, 'Drivers of these teams are preferred (only they are considered with restrictAutoAssignmentToTeam)')),
    restrictAutoAssignmentToTeam: Type.Optional(Type.Boolean({ description: 'Consider only drivers of `teams`' })),
    maxAssignedTaskCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'At most this many open tasks per driver after the assignment' })),
    excludedWorkerIds: Type.Optional(Ids(1000, 'Drivers never chosen')),
    considerDependencies: Type.Optional(
      Type.Boolean({ description: 'Also assign the unassigned tasks linked to the given ones (an order’s other task). Linked tasks always go to the same driver.' }),
    ),
  }),
});
export type AutoAssignInput = Static<typeof AutoAssignBody>;

export const AutoAssignResult = Type.Object({
  assignedTasksCount: Type.Integer(),
  assignedTasks: Type.Record(Type.String(), Type.String(), { description: 'task id → worker id' }),
});

const UnixSecondsWindow = (description: string) =>
  Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2, maxItems: 2, description: `${description}: [start, end] in Unix seconds` });

export const TeamDispatchBody = Body({
  maxTasksPerRoute: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, description: 'Tasks a route may hold, counting the driver’s tasks kept from before (default 100)' })),
  taskTimeWindow: Type.Optional(
    UnixSecondsWindow('Only tasks whose time window overlaps this are planned (tasks without a window always are); default [now − 4 h, now + 4 h]'),
  ),
  scheduleTimeWindow: Type.Optional(UnixSecondsWindow('When the drivers work; routes start no earlier and end by its end; default [now, now + 6 h]')),
  serviceTime: Type.Optional(Type.Number({ minimum: 0, maximum: 1440, description: 'Minutes at each stop for tasks without their own serviceTime (default 2)' })),
  routeEnd: Type.Optional(
    Type.Union([Type.String({ pattern: '^(teams://DEFAULT|workers://ROUTING_ADDRESS|hub://[A-Za-z0-9~*]{24})$' }), Type.Null()], {
      description:
        'Where routes end: `teams://DEFAULT` the team’s hub (the default when it has one), `workers://ROUTING_ADDRESS` each driver’s routing address, `hub://{teamId}` that team’s hub, null at the last stop (the default without a hub)',
    }),
  ),
  preview: Type.Optional(Type.Boolean({ description: 'true: only propose routes (apply them with POST /dispatches/{id}/apply); false (default): assign at once' })),
  timeLimitSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'How long the optimisation may run (default 10 s); it stops earlier when it can do no better' })),
});
export type TeamDispatchInput = Static<typeof TeamDispatchBody>;

const Point = Type.Tuple([Type.Number(), Type.Number()], { description: '[longitude, latitude]' });

export const DispatchView = Type.Object(
  {
    id: Type.String(),
    dispatchId: Type.String({ description: 'The same as id (Onfleet’s name)' }),
    team: Type.String(),
    status: Type.String({ description: 'pending | processing | completed (routes ready, not applied) | applied | discarded | failed' }),
    preview: Type.Boolean(),
    progress: Type.Union([
      Type.Object({
        fraction: Type.Number({ description: '0..1 of the time budget' }),
        phase: Type.String(),
        vehicles: Type.Integer({ description: 'drivers used by the best plan so far' }),
        distance: Type.Number({ description: 'meters, best plan so far' }),
        unassigned: Type.Integer(),
      }),
      Type.Null(),
    ]),
    result: Type.Union([
      Type.Object({
        routes: Type.Array(
          Type.Object({
            worker: Type.String(),
            workerName: Type.String(),
            start: Point,
            end: Type.Union([Point, Type.Null()]),
            keptTasks: Type.Array(Type.String(), { description: 'the driver’s tasks from before, served first' }),
            tasks: Type.Array(
              Type.Object({
                id: Type.String(),
                shortId: Type.String(),
                pickupTask: Type.Boolean(),
                location: Point,
                address: Type.String(),
                arrival: Type.Number({ description: 'planned start of service, Unix ms' }),
                completeAfter: Type.Union([Type.Number(), Type.Null()]),
                completeBefore: Type.Union([Type.Number(), Type.Null()]),
              }),
            ),
            distance: Type.Number({ description: 'meters' }),
            duration: Type.Number({ description: 'seconds' }),
          }),
        ),
        unassigned: Type.Array(Type.Object({ id: Type.String(), shortId: Type.String(), reason: Type.String() })),
        drivers: Type.Integer({ description: 'on-duty drivers considered' }),
        metric: Type.String({ description: 'how travel times were estimated' }),
        warnings: Type.Array(Type.String()),
        elapsedMs: Type.Number(),
        applied: Type.Union([
          Type.Object({ time: Type.Number(), assignedTasksCount: Type.Integer(), skipped: Type.Array(Type.Object({ id: Type.String(), reason: Type.String() })) }),
          Type.Null(),
        ]),
      }),
      Type.Null(),
    ]),
    error: Type.Union([Type.String(), Type.Null()]),
    timeCreated: Type.Number(),
    timeFinished: Type.Union([Type.Number(), Type.Null()]),
  },
  { $id: 'Dispatch', title: 'Dispatch' },
);
