import type { Client, Team, TaskWithEta, Worker } from '../../../lib/types.ts';

/** One order's tasks (its pickup before its dropoff), or a task of no order on its own. */
export interface TaskGroup {
  key: string;
  orderShortId: string | null;
  tasks: TaskWithEta[];
}

/** Groups the listed tasks by order, keeping the list's order (the first task of each group decides). */
export function groupTasks(tasks: TaskWithEta[]): TaskGroup[] {
  const groups = new Map<string, TaskGroup>();
  const out: TaskGroup[] = [];
  for (const t of tasks) {
    const key = t.orderShortId ? `order:${t.orderShortId}` : `task:${t.id}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, orderShortId: t.orderShortId, tasks: [] };
      groups.set(key, g);
      out.push(g);
    }
    g.tasks.push(t);
  }
  for (const g of out) g.tasks.sort((a, b) => (a.pickupTask === b.pickupTask ? a.timeCreated - b.timeCreated : a.pickupTask ? -1 : 1));
  return out;
}

/** Whether a dispatcher can still move the task to a driver, a team or back (not once it started). */
export const movable = (t: Pick<TaskWithEta, 'state'>) => t.state === 0 || t.state === 1;

/** Names by id for what the tasks refer to. */
export interface Directory {
  driver(id: string | null | undefined): string | null;
  team(id: string | null | undefined): string | null;
  /** the client organization's name; null for the courier's own tasks */
  client(task: Pick<TaskWithEta, 'merchant' | 'organization'>): string | null;
  drivers: Worker[];
  teams: Team[];
  clients: Client[];
}

export function makeDirectory(workers: Worker[] = [], teams: Team[] = [], clients: Client[] = []): Directory {
  const driverNames = new Map(workers.map((w) => [w.id, w.name]));
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const clientNames = new Map(clients.filter((c) => c.organization).map((c) => [c.organization!, c.name]));
  return {
    driver: (id) => (id ? (driverNames.get(id) ?? null) : null),
    team: (id) => (id ? (teamNames.get(id) ?? null) : null),
    client: (t) => (t.merchant === t.organization ? null : (clientNames.get(t.merchant) ?? 'Unknown client')),
    drivers: workers,
    teams,
    clients,
  };
}

/** "Bob Rider", "Team Downtown" or "Unassigned". */
export function assigneeText(t: TaskWithEta, dir: Directory): string {
  if (t.worker) return dir.driver(t.worker) ?? 'Unknown driver';
  if (t.container.type === 'TEAM') return `Team ${dir.team(t.container.team) ?? '(unknown)'}`;
  return 'Unassigned';
}

export interface AssignWarning {
  taskId: string;
  text: string;
}

/**
 * What a dispatcher should know before assigning `selected` to `workerId`: a dropoff going to a
 * different driver than its pickup (or the other way round). `known` holds every task the page knows.
 */
export function splitPairWarnings(selected: TaskWithEta[], workerId: string, known: Map<string, TaskWithEta>, dir: Directory): AssignWarning[] {
  const chosen = new Set(selected.map((t) => t.id));
  const target = dir.driver(workerId) ?? 'this driver';
  const warnings: AssignWarning[] = [];
  const holder = (t: TaskWithEta) => (t.worker ? (dir.driver(t.worker) ?? 'another driver') : 'no driver yet');
  for (const t of selected) {
    if (!movable(t)) continue;
    if (!t.pickupTask && t.orderShortId) {
      for (const depId of t.dependencies) {
        if (chosen.has(depId)) continue;
        const pickup = known.get(depId);
        if (!pickup) {
          warnings.push({ taskId: t.id, text: `Dropoff ${t.shortId}: its pickup's driver is not known here; check that the same driver collects the parcel.` });
        } else if (pickup.state !== 3 && pickup.worker !== workerId) {
          warnings.push({
            taskId: t.id,
            text: `Dropoff ${t.shortId} goes to ${target}, but its pickup ${pickup.shortId} is with ${holder(pickup)}.`,
          });
        }
      }
    }
    if (t.pickupTask) {
      for (const other of known.values()) {
        if (chosen.has(other.id) || !other.dependencies.includes(t.id) || other.state === 3) continue;
        if (other.worker && other.worker !== workerId) {
          warnings.push({ taskId: t.id, text: `Pickup ${t.shortId} goes to ${target}, but its dropoff ${other.shortId} is with ${holder(other)}.` });
        }
      }
    }
  }
  return warnings;
}
