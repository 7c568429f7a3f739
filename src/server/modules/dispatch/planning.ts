/**
 * Route planning as the solver sees it: the team's open tasks and its drivers become a pickup-and-delivery
 * problem (src/solver), and the solver's answer becomes routes of task ids. Pure functions, no database.
 *
 * Modelling choices (docs/decisions/0011-auto-dispatch.md):
 * - times are seconds after `base` (the planning moment); distances are meters;
 * - a linked pickup and dropoff are one request (same driver, pickup first); the pickup's quantity is loaded;
 * - a task without a partner is a request whose pickup is a stand-in stop at the task itself (no distance, no
 *   time between the two), so it needs its quantity of room only while it is served;
 * - a driver starts where it is now, or, when it already has tasks, after them (where the last one is, once
 *   they are done); capacity 0 means no limit;
 * - `maxTasks` is enforced after solving (stand-in stops count as stops for the solver): a route longer than it
 *   loses its last tasks, a dropoff taking its pickup along.
 */
import type { Problem, ProblemNode, Solution, Vehicle } from '../../../solver/types.ts';
import type { LngLat, TravelMatrix } from './metric.ts';

export interface PlanTask {
  id: string;
  location: LngLat;
  completeAfter: number | null;
  completeBefore: number | null;
  /** minutes; null = the plan's default */
  serviceMinutes: number | null;
  quantity: number;
}

export interface PlanDriver {
  id: string;
  /** where its new tasks start from and when (ms) */
  start: LngLat;
  startTime: number;
  /** where its route must end, or null (ends at its last stop) */
  end: LngLat | null;
  /** 0 = no limit */
  capacity: number;
  /** tasks it may still take */
  maxTasks: number;
}

export interface PlanInput {
  /** ms: the planning moment (time 0 for the solver) */
  base: number;
  /** ms: nothing may be planned after this (the end of the drivers' schedule) */
  horizon: number;
  tasks: PlanTask[];
  /** [pickup index, dropoff index] into `tasks`; every other task stands alone */
  pairs: Array<[number, number]>;
  drivers: PlanDriver[];
  defaultServiceMinutes: number;
}

export interface Built {
  problem: Problem;
  /** distinct places: matrix rows */
  places: LngLat[];
  /** node → place */
  placeOf: number[];
  /** node → task index, or -1 (driver start/end, stand-in stop) */
  taskOf: number[];
  /** tasks left out before solving, with the reason */
  excluded: Array<{ task: number; reason: string }>;
  vehicleDriver: number[];
  nodeCount: number;
}

const BIG_CAPACITY = 1e12;

function placeKey(p: LngLat) {
  return `${p[0].toFixed(6)},${p[1].toFixed(6)}`;
}

/** The nodes, requests and vehicles (without the metric: call `withMatrix` once the places' matrix is known). */
export function buildProblem(input: PlanInput): Built {
  const places: LngLat[] = [];
  const placeIdx = new Map<string, number>();
  const place = (p: LngLat) => {
    const k = placeKey(p);
    let i = placeIdx.get(k);
    if (i === undefined) {
      placeIdx.set(k, (i = places.length));
      places.push(p);
    }
    return i;
  };
  const horizon = Math.max(0, (input.horizon - input.base) / 1000);
  const nodes: ProblemNode[] = [];
  const placeOf: number[] = [];
  const taskOf: number[] = [];
  const excluded: Built['excluded'] = [];
  const node = (p: LngLat, n: ProblemNode, task = -1) => {
    nodes.push(n);
    placeOf.push(place(p));
    taskOf.push(task);
    return nodes.length - 1;
  };

  const window = (t: PlanTask) => {
    const service = 60 * (t.serviceMinutes ?? input.defaultServiceMinutes);
    const earliest = t.completeAfter != null ? Math.max(0, (t.completeAfter - input.base) / 1000) : 0;
    // service must be over by completeBefore
    const latest = Math.min(horizon, t.completeBefore != null ? (t.completeBefore - input.base) / 1000 - service : horizon);
    return { earliest, latest, service };
  };
  const paired = new Set<number>();
  const requests: Problem['requests'] = [];
  for (const [p, d] of input.pairs) {
    paired.add(p);
    paired.add(d);
    const wp = window(input.tasks[p]);
    const wd = window(input.tasks[d]);
    if (wp.latest < wp.earliest || wd.latest < wd.earliest) {
      const reason = 'Its time window cannot be met within the schedule.';
      excluded.push({ task: p, reason }, { task: d, reason });
      continue;
    }
    const q = input.tasks[p].quantity || input.tasks[d].quantity;
    const a = node(input.tasks[p].location, { demand: q, ...wp }, p);
    const b = node(input.tasks[d].location, { demand: -q, ...wd }, d);
    requests.push({ pickup: a, delivery: b });
  }
  input.tasks.forEach((t, i) => {
    if (paired.has(i)) return;
    const w = window(t);
    if (w.latest < w.earliest) {
      excluded.push({ task: i, reason: 'Its time window cannot be met within the schedule.' });
      return;
    }
    const standIn = node(t.location, { demand: t.quantity, earliest: w.earliest, latest: w.latest, service: 0 });
    const real = node(t.location, { demand: -t.quantity, ...w }, i);
    requests.push({ pickup: standIn, delivery: real });
  });
  const standAlone = input.tasks.length > 0 && paired.size < input.tasks.length;
  const vehicles: Vehicle[] = [];
  const vehicleDriver: number[] = [];
  input.drivers.forEach((d, k) => {
    if (d.maxTasks <= 0) return;
    const t0 = Math.max(0, (d.startTime - input.base) / 1000);
    const start = node(d.start, { demand: 0, earliest: t0, latest: Math.max(t0, horizon), service: 0 });
    const end = d.end ? node(d.end, { demand: 0, earliest: 0, latest: Math.max(t0, horizon), service: 0 }) : 'open';
    vehicles.push({
      capacity: d.capacity > 0 ? d.capacity : BIG_CAPACITY,
      start,
      end,
      startTime: t0,
      endTime: Math.max(t0, horizon),
      maxStops: standAlone ? 2 * d.maxTasks : d.maxTasks,
    });
    vehicleDriver.push(k);
  });
  return { problem: { nodes, requests, vehicles }, places, placeOf, taskOf, excluded, vehicleDriver, nodeCount: nodes.length };
}

/** The node × node matrices (row-major) from the places' matrix. */
export function nodeMatrix(b: Built, m: TravelMatrix): { n: number; distances: Float64Array; durations: Float64Array } {
  const n = b.nodeCount;
  const distances = new Float64Array(n * n);
  const durations = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const pi = b.placeOf[i] * m.n;
    for (let j = 0; j < n; j++) {
      distances[i * n + j] = m.distances[pi + b.placeOf[j]];
      durations[i * n + j] = m.durations[pi + b.placeOf[j]];
    }
  }
  return { n, distances, durations };
}

export interface PlannedStop {
  task: number;
  /** ms: when service starts */
  arrival: number;
}

export interface PlannedRoute {
  driver: number;
  stops: PlannedStop[];
  /** meters, from the start to the end (or the last stop) */
  distance: number;
  /** seconds from leaving the start to arriving at the end (or finishing the last stop) */
  duration: number;
}

export interface Plan {
  routes: PlannedRoute[];
  unassigned: Array<{ task: number; reason: string }>;
}

/**
 * The solver's routes as task indices in order, trimmed to each driver's task limit, with their schedule
 * recomputed from the matrix (so what is shown and checked is what the matrix says, stop by stop).
 */
export function readSolution(input: PlanInput, b: Built, m: TravelMatrix, sol: Solution): Plan {
  const unassigned = [...b.excluded];
  const partner = new Map<number, number>();
  for (const [p, d] of input.pairs) {
    partner.set(p, d);
    partner.set(d, p);
  }
  for (const r of sol.unassigned) {
    const req = b.problem.requests[r];
    for (const nd of [req.pickup, req.delivery]) {
      if (b.taskOf[nd] >= 0) unassigned.push({ task: b.taskOf[nd], reason: 'No on-duty driver can fit it in (time window, capacity or task limit).' });
    }
  }
  const routes: PlannedRoute[] = [];
  for (const r of sol.routes) {
    const driverIdx = b.vehicleDriver[r.vehicle];
    const driver = input.drivers[driverIdx];
    let tasks = r.stops.filter((nd) => b.taskOf[nd] >= 0).map((nd) => b.taskOf[nd]);
    while (tasks.length > driver.maxTasks) {
      const last = tasks[tasks.length - 1];
      const drop = new Set([last, partner.get(last) ?? -1]);
      for (const t of drop) if (t >= 0 && tasks.includes(t)) unassigned.push({ task: t, reason: 'The route reached its task limit (maxTasksPerRoute).' });
      tasks = tasks.filter((t) => !drop.has(t));
    }
    if (tasks.length === 0) continue;
    routes.push({ driver: driverIdx, ...schedule(input, driver, tasks, m, b) });
  }
  return { routes, unassigned };
}

/** Arrival times along a route and its length, from the places' matrix. */
export function schedule(input: PlanInput, driver: PlanDriver, tasks: number[], m: TravelMatrix, b: Pick<Built, 'places'>) {
  const idx = new Map(b.places.map((p, i) => [placeKey(p), i]));
  const at = (p: LngLat) => idx.get(placeKey(p))!;
  let here = at(driver.start);
  let time = Math.max(input.base, driver.startTime);
  let distance = 0;
  const stops: PlannedStop[] = [];
  for (const t of tasks) {
    const task = input.tasks[t];
    const next = at(task.location);
    distance += m.distances[here * m.n + next];
    time += 1000 * m.durations[here * m.n + next];
    if (task.completeAfter != null && time < task.completeAfter) time = task.completeAfter;
    stops.push({ task: t, arrival: Math.round(time) });
    time += 60_000 * (task.serviceMinutes ?? input.defaultServiceMinutes);
    here = next;
  }
  if (driver.end) {
    const end = at(driver.end);
    distance += m.distances[here * m.n + end];
    time += 1000 * m.durations[here * m.n + end];
  }
  return { stops, distance: Math.round(distance), duration: Math.round((time - Math.max(input.base, driver.startTime)) / 1000) };
}
