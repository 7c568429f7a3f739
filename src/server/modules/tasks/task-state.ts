/**
 * The task state machine: every allowed and refused transition, as pure functions.
 * States follow Onfleet: 0 Unassigned (also while in a team's container), 1 Assigned to a worker,
 * 2 Active (started by its worker), 3 Completed (succeeded or failed).
 */
export const TaskState = { Unassigned: 0, Assigned: 1, Active: 2, Completed: 3 } as const;
export type TaskStateValue = (typeof TaskState)[keyof typeof TaskState];

export const STATE_NAMES: Record<TaskStateValue, string> = {
  0: 'unassigned',
  1: 'assigned',
  2: 'active',
  3: 'completed',
};

export type TaskAction =
  /** put it on a worker's list */
  | { type: 'assignWorker' }
  /** move it to a team's or the organization's container (unassigned) */
  | { type: 'assignContainer' }
  | { type: 'unassign' }
  | { type: 'start'; byAssignedWorker: boolean; workerOnDuty: boolean; dependenciesSucceeded: boolean }
  | { type: 'complete'; by: 'worker' | 'dispatcher'; byAssignedWorker: boolean; dependenciesSucceeded: boolean }
  | { type: 'update' }
  | { type: 'delete' }
  | { type: 'clone' }
  /** the order was cancelled by its client or rejected by the courier */
  | { type: 'cancel' };

export type Transition = { ok: true; state: TaskStateValue } | { ok: false; reason: string };

const refuse = (reason: string): Transition => ({ ok: false, reason });
const to = (state: TaskStateValue): Transition => ({ ok: true, state });

export function transition(state: TaskStateValue, action: TaskAction): Transition {
  const completed = state === TaskState.Completed;
  switch (action.type) {
    case 'assignWorker':
      if (completed) return refuse('A completed task cannot be reassigned; clone it for a new attempt.');
      if (state === TaskState.Active) return refuse('An active task cannot be reassigned; complete it first.');
      return to(TaskState.Assigned);
    case 'assignContainer':
    case 'unassign':
      if (completed) return refuse('A completed task cannot be moved.');
      if (state === TaskState.Active) return refuse('An active task cannot be unassigned; complete it first.');
      return to(TaskState.Unassigned);
    case 'start':
      if (state === TaskState.Unassigned) return refuse('The task must be assigned to a driver before it starts.');
      if (state === TaskState.Active) return refuse('The task has already started.');
      if (completed) return refuse('The task is already completed.');
      if (!action.byAssignedWorker) return refuse('Only the driver the task is assigned to can start it.');
      if (!action.workerOnDuty) return refuse('Go on duty before starting a task.');
      if (!action.dependenciesSucceeded) return refuse('The tasks this one depends on (the pickup) must be completed successfully first.');
      return to(TaskState.Active);
    case 'complete':
      if (completed) return refuse('The task is already completed.');
      if (state !== TaskState.Active) return refuse('Only an active (started) task can be completed.');
      if (action.by === 'worker' && !action.byAssignedWorker) return refuse('Only the driver the task is assigned to can complete it.');
      if (!action.dependenciesSucceeded) return refuse('The tasks this one depends on must be completed successfully first.');
      return to(TaskState.Completed);
    case 'update':
      if (completed) return refuse('A completed task cannot be changed.');
      return to(state);
    case 'delete':
      if (state === TaskState.Active) return refuse('An active task cannot be deleted.');
      if (completed) return refuse('A completed task cannot be deleted.');
      return to(state);
    case 'clone':
      return to(TaskState.Unassigned);
    case 'cancel':
      if (state === TaskState.Active) return refuse('The task has already started.');
      if (completed) return refuse('The task is already completed.');
      return to(TaskState.Completed);
  }
}

/** True when the dependency graph stays acyclic after `taskId` depends on `dependsOn`. */
export function wouldCycle(edges: ReadonlyMap<string, readonly string[]>, taskId: string, dependsOn: readonly string[]): boolean {
  const stack = [...dependsOn];
  const seen = new Set<string>();
  while (stack.length) {
    const id = stack.pop()!;
    if (id === taskId) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(edges.get(id) ?? []));
  }
  return false;
}
