/**
 * Auto-dispatch: auto-assignment of chosen tasks to on-duty drivers (Onfleet's POST /tasks/autoAssign), and
 * route optimisation of a team's unassigned tasks (POST /teams/:id/dispatch) as a background job that runs the
 * solver (src/solver) in a worker thread. Every assignment goes through the tasks service's
 * `assignTaskToWorker`, so events, webhooks, history and tracking are the same as for a dispatcher's.
 */
import type { AppContext } from '../../context.ts';
import type { Db } from '../../db/database.ts';
import { invalid, notFound, stateConflict } from '../../lib/errors.ts';
import type { Actor } from '../audit/audit.service.ts';
import { authorize, type Principal, type UserPrincipal } from '../auth/principal.ts';
import { recordEvent } from '../events/events.service.ts';
import { findJob } from '../jobs/jobs.repository.ts';
import { registerJobKind, type ItemResult, type JobHandle } from '../jobs/jobs.runner.ts';
import { enqueueJob } from '../jobs/jobs.service.ts';
import { findTeam } from '../teams/teams.repository.ts';
import { hubOf } from '../teams/teams.service.ts';
import { TaskState } from '../tasks/task-state.ts';
import type { TaskRow } from '../tasks/tasks.repository.ts';
import { actorFor, assignTaskToWorker } from '../tasks/tasks.service.ts';
import { openTasksOfWorkers } from '../tasks/tasks.repository.ts';
import { announceRoutes } from '../tasks/containers.service.ts';
import type { WorkerRow } from '../workers/workers.repository.ts';
import * as repo from './dispatch.repository.ts';
import type { AutoAssignInput, TeamDispatchInput } from './dispatch.schemas.ts';
import { createTravelMetric, type LngLat, type TravelMetricProvider } from './metric.ts';
import { buildProblem, nodeMatrix, readSolution, type PlanDriver, type PlanInput, type PlanTask } from './planning.ts';
import { solveInWorker } from './solve-in-worker.ts';

const metricCache = new WeakMap<object, TravelMetricProvider>();
function metricOf(ctx: AppContext): TravelMetricProvider {
  let m = metricCache.get(ctx.config);
  if (!m) metricCache.set(ctx.config, (m = createTravelMetric(ctx.config.routing)));
  return m;
}

const locationOf = (t: Pick<TaskRow, 'location_lng' | 'location_lat'>): LngLat | null =>
  t.location_lng !== null && t.location_lat !== null ? [t.location_lng, t.location_lat] : null;
const workerLocation = (w: WorkerRow): LngLat | null => (w.location_lng !== null && w.location_lat !== null ? [w.location_lng, w.location_lat] : null);
const routingLocation = (w: WorkerRow): LngLat | null => (w.routing_lng !== null && w.routing_lat !== null ? [w.routing_lng, w.routing_lat] : null);

/** Families of linked tasks (dependency edges, both ways) among `ids`, via union-find. */
function families(ids: string[], links: Array<{ task_id: string; depends_on_id: string }>) {
  const parent = new Map(ids.map((i) => [i, i]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const l of links) {
    if (parent.has(l.task_id) && parent.has(l.depends_on_id)) parent.set(find(l.task_id), find(l.depends_on_id));
  }
  const groups = new Map<string, string[]>();
  for (const i of ids) groups.set(find(i), [...(groups.get(find(i)) ?? []), i]);
  return [...groups.values()];
}

/** Orders a family so every task comes after the tasks it depends on (a pickup before its dropoff). */
function dependencyOrder(ids: string[], links: Array<{ task_id: string; depends_on_id: string }>) {
  const inFamily = new Set(ids);
  const deps = new Map<string, string[]>();
  for (const l of links) if (inFamily.has(l.task_id) && inFamily.has(l.depends_on_id)) deps.set(l.task_id, [...(deps.get(l.task_id) ?? []), l.depends_on_id]);
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    for (const d of deps.get(id) ?? []) visit(d);
    out.push(id);
  };
  for (const id of ids) visit(id);
  return out;
}

// ---------------------------------------------------------------- auto-assignment (Onfleet's /tasks/autoAssign)

interface Candidate {
  worker: WorkerRow;
  teams: string[];
  open: number;
  /** where its list ends now: the last open task's place, else its position */
  tail: LngLat | null;
}

export async function autoAssign(ctx: AppContext, p: Principal | null, body: AutoAssignInput) {
  const u = authorize(p, { org: 'courier', write: true });
  const o = body.options;
  const org = u.organizationId;
  const rows = await repo.tasksByIds(ctx.db, org, body.tasks);
  const missing = body.tasks.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw notFound('Task', missing.join(', '));
  if (o.teams?.length) {
    for (const t of o.teams) if (!(await findTeam(ctx.db, org, t))) throw invalid(`Unknown team ${t}.`, { field: 'options.teams', ids: [t] });
  }

  // the tasks and everything linked to them
  const byId = new Map(rows.map((r) => [r.id, r]));
  let links = await repo.linksOf(ctx.db, org, [...byId.keys()]);
  if (o.considerDependencies) {
    const more = [...new Set(links.flatMap((l) => [l.task_id, l.depends_on_id]))].filter((id) => !byId.has(id));
    for (const r of await repo.tasksByIds(ctx.db, org, more)) if (r.state === TaskState.Unassigned) byId.set(r.id, r);
    links = await repo.linksOf(ctx.db, org, [...byId.keys()]);
  }
  const linked = await repo.tasksByIds(ctx.db, org, [...new Set(links.flatMap((l) => [l.task_id, l.depends_on_id]))].filter((id) => !byId.has(id)));
  const others = new Map(linked.map((r) => [r.id, r]));

  // drivers: on duty, not excluded
  const excluded = new Set(o.excludedWorkerIds ?? []);
  const workers = (await repo.onDutyWorkers(ctx.db, org)).filter((w) => !excluded.has(w.id));
  const teamsOf = await repo.teamsOfWorkers(ctx.db, workers.map((w) => w.id));
  const openOf = await openTasksOfWorkers(ctx.db, workers.map((w) => w.id));
  const candidates: Candidate[] = workers.map((w) => {
    const open = openOf.get(w.id) ?? [];
    const lastPlaced = [...open].reverse().map(locationOf).find((l) => l !== null) ?? null;
    return { worker: w, teams: teamsOf.get(w.id) ?? [], open: open.length, tail: lastPlaced ?? workerLocation(w) };
  });

  // one travel matrix over the drivers' tails and the tasks' places
  const points: LngLat[] = [];
  const pointIdx = new Map<string, number>();
  const pt = (l: LngLat) => {
    const k = l.join(',');
    if (!pointIdx.has(k)) {
      pointIdx.set(k, points.length);
      points.push(l);
    }
    return pointIdx.get(k)!;
  };
  for (const c of candidates) if (c.tail) pt(c.tail);
  for (const r of byId.values()) {
    const l = locationOf(r);
    if (l) pt(l);
  }
  const m = await metricOf(ctx).matrix(points);
  const dist = (a: LngLat | null, b: LngLat | null) => (a && b ? m.distances[pt(a) * m.n + pt(b)] : Infinity);

  const requested = new Set(body.tasks);
  const plan: Array<{ tasks: string[]; worker: string }> = [];
  for (const fam of families([...byId.keys()], links)) {
    if (!fam.some((id) => requested.has(id))) continue;
    const members = dependencyOrder(fam, links).filter((id) => byId.get(id)!.state === TaskState.Unassigned);
    if (members.length === 0) continue;
    // a family member already with a driver decides: the rest goes to the same driver, or nowhere
    const anchorIds = new Set(
      [...fam, ...links.filter((l) => fam.includes(l.task_id) || fam.includes(l.depends_on_id)).flatMap((l) => [l.task_id, l.depends_on_id])]
        .map((id) => byId.get(id) ?? others.get(id))
        .filter((r): r is TaskRow => !!r && (r.state === TaskState.Assigned || r.state === TaskState.Active) && !!r.worker_id)
        .map((r) => r.worker_id!),
    );
    const room = (c: Candidate) => o.maxAssignedTaskCount === undefined || c.open + members.length <= o.maxAssignedTaskCount;
    let pool = candidates.filter(room);
    if (anchorIds.size > 0) {
      pool = anchorIds.size === 1 ? pool.filter((c) => anchorIds.has(c.worker.id)) : [];
    } else {
      const preferred = o.teams?.length ? o.teams : teamOfFamily(members.map((id) => byId.get(id)!));
      if (preferred) {
        const inTeams = pool.filter((c) => c.teams.some((t) => preferred.includes(t)));
        pool = inTeams.length || o.restrictAutoAssignmentToTeam ? inTeams : pool;
      }
    }
    if (pool.length === 0) continue;
    const first = locationOf(byId.get(members[0])!);
    const score = (c: Candidate): [number, number] => (o.mode === 'load' ? [c.open, dist(c.tail, first)] : [dist(c.tail, first), c.open]);
    const best = pool.reduce((a, b) => {
      const [a1, a2] = score(a);
      const [b1, b2] = score(b);
      return b1 < a1 || (b1 === a1 && b2 < a2) ? b : a;
    });
    plan.push({ tasks: members, worker: best.worker.id });
    best.open += members.length;
    const lastPlace = [...members].reverse().map((id) => locationOf(byId.get(id)!)).find((l) => l !== null);
    if (lastPlace) best.tail = lastPlace;
  }

  // assign, checking that nothing changed since the plan was made (a changed family is left as it is)
  const assignedTasks: Record<string, string> = {};
  await ctx.db.transaction().execute(async (trx) => {
    const touched = new Set<string>();
    for (const step of plan) {
      const now = await repo.tasksByIds(trx, org, step.tasks);
      if (now.length !== step.tasks.length || now.some((r) => r.state !== TaskState.Unassigned)) continue;
      const rowsNow = new Map(now.map((r) => [r.id, r]));
      for (const id of step.tasks) {
        await assignTaskToWorker(trx, ctx, rowsNow.get(id)!, step.worker, actorFor(u), { autoAssign: o.mode });
        assignedTasks[id] = step.worker;
      }
      touched.add(step.worker);
    }
    await announceRoutes(trx, ctx, org, touched);
  });
  return { assignedTasksCount: Object.keys(assignedTasks).length, assignedTasks };
}

/** The team whose container holds all of these tasks, as a preference list, or undefined. */
function teamOfFamily(rows: TaskRow[]): string[] | undefined {
  const teams = new Set(rows.map((r) => (r.container_type === 'TEAM' ? r.container_id : '')));
  return teams.size === 1 && !teams.has('') ? [...teams] : undefined;
}

// ---------------------------------------------------------------- team route optimisation (a job)

const KIND = 'teams.dispatch';

interface DispatchParams {
  teamId: string;
  preview: boolean;
  maxTasksPerRoute: number;
  taskWindow: [number, number];
  schedule: [number, number];
  serviceMinutes: number;
  routeEnd: 'team' | 'worker' | { hubTeam: string } | null;
  timeLimitMs: number;
}

interface DispatchResult {
  routes: Array<{
    worker: string;
    workerName: string;
    start: LngLat;
    end: LngLat | null;
    keptTasks: string[];
    tasks: Array<{ id: string; shortId: string; pickupTask: boolean; location: LngLat; address: string; arrival: number; completeAfter: number | null; completeBefore: number | null }>;
    distance: number;
    duration: number;
  }>;
  unassigned: Array<{ id: string; shortId: string; reason: string }>;
  drivers: number;
  metric: string;
  warnings: string[];
  elapsedMs: number;
  applied: { time: number; assignedTasksCount: number; skipped: Array<{ id: string; reason: string }> } | null;
}

const HOUR = 3_600_000;

function windowOf(w: number[] | undefined, fallback: [number, number], field: string): [number, number] {
  if (!w) return fallback;
  const [a, b] = [w[0] * 1000, w[1] * 1000];
  if (!(a < b)) throw invalid(`${field} must be [start, end] with start before end (Unix seconds).`, { field });
  if (b - a > 16 * HOUR) throw invalid(`${field} may span at most 16 hours.`, { field });
  return [a, b];
}

export async function startTeamDispatch(ctx: AppContext, p: Principal | null, teamId: string, body: TeamDispatchInput) {
  const u = authorize(p, { org: 'courier', write: true });
  const team = await findTeam(ctx.db, u.organizationId, teamId);
  if (!team) throw notFound('Team', teamId);
  const now = ctx.now();
  const schedule = windowOf(body.scheduleTimeWindow, [now, now + 6 * HOUR], 'scheduleTimeWindow');
  const taskWindow = windowOf(body.taskTimeWindow, [now - 4 * HOUR, now + 4 * HOUR], 'taskTimeWindow');
  let routeEnd: DispatchParams['routeEnd'];
  if (body.routeEnd === undefined) routeEnd = hubOf(team) ? 'team' : null;
  else if (body.routeEnd === null) routeEnd = null;
  else if (body.routeEnd === 'teams://DEFAULT') {
    if (!hubOf(team)) throw invalid('The team has no hub: set its hubLocation, or choose another routeEnd.', { field: 'routeEnd' });
    routeEnd = 'team';
  } else if (body.routeEnd === 'workers://ROUTING_ADDRESS') routeEnd = 'worker';
  else {
    const hubTeam = body.routeEnd.slice('hub://'.length);
    const other = await findTeam(ctx.db, u.organizationId, hubTeam);
    if (!other || !hubOf(other)) throw invalid(`routeEnd names ${hubTeam}, which is not a team of yours with a hub.`, { field: 'routeEnd' });
    routeEnd = { hubTeam };
  }
  const params: DispatchParams = {
    teamId,
    preview: body.preview ?? false,
    maxTasksPerRoute: body.maxTasksPerRoute ?? 100,
    taskWindow,
    schedule,
    serviceMinutes: body.serviceTime ?? 2,
    routeEnd,
    timeLimitMs: (body.timeLimitSeconds ?? 10) * 1000,
  };
  const id = await enqueueJob(ctx, u, KIND, [params]);
  return { id, dispatchId: id, team: teamId, status: 'pending' };
}

/** The plan for a team as the database has it now (read-only; the solver runs afterwards). */
async function planInput(ctx: AppContext, organizationId: string, prm: DispatchParams) {
  const db = ctx.db;
  const team = await findTeam(db, organizationId, prm.teamId);
  if (!team) throw notFound('Team', prm.teamId);
  const warnings: string[] = [];
  const unassigned: Array<{ row: TaskRow; reason: string }> = [];
  const now = ctx.now();
  const base = Math.max(now, prm.schedule[0]);

  // tasks: the team's unassigned ones whose window overlaps the task window
  const all = await repo.teamUnassignedTasks(db, organizationId, prm.teamId);
  const inWindow = all.filter((t) => (t.complete_before ?? Infinity) >= prm.taskWindow[0] && (t.complete_after ?? -Infinity) <= prm.taskWindow[1]);
  const links = await repo.linksOf(db, organizationId, inWindow.map((t) => t.id));
  const linkedIds = [...new Set(links.flatMap((l) => [l.task_id, l.depends_on_id]))];
  const linkedRows = new Map((await repo.tasksByIds(db, organizationId, linkedIds)).map((r) => [r.id, r]));
  const candidates = new Map(inWindow.map((t) => [t.id, t]));
  const pairs: Array<[string, string]> = [];
  const drop = (row: TaskRow, reason: string) => {
    if (candidates.delete(row.id)) unassigned.push({ row, reason });
  };
  for (const t of inWindow) {
    if (!locationOf(t)) drop(t, 'Its address has no coordinates yet.');
  }
  for (const t of inWindow) {
    if (!candidates.has(t.id)) continue;
    const deps = links.filter((l) => l.task_id === t.id).map((l) => linkedRows.get(l.depends_on_id)!).filter(Boolean);
    const open = deps.filter((d) => !(d.state === TaskState.Completed && d.completion_success === 1));
    if (open.length === 0) continue;
    if (open.length > 1) {
      drop(t, 'It depends on more than one open task; assign it by hand.');
      continue;
    }
    const dep = open[0];
    const dependents = links.filter((l) => l.depends_on_id === dep.id).length;
    if (candidates.has(dep.id) && dependents === 1) pairs.push([dep.id, t.id]);
    else if (dep.worker_id && dep.state !== TaskState.Completed) drop(t, 'Its linked task is already with a driver; auto-assign keeps them together.');
    else drop(t, 'Its linked task is not among the tasks planned (another container, time window or no coordinates).');
  }
  // a pickup whose dropoff fell out goes too, so linked tasks are never split
  for (const t of inWindow) {
    if (!candidates.has(t.id)) continue;
    const dependents = links.filter((l) => l.depends_on_id === t.id).map((l) => l.task_id);
    if (dependents.some((d) => !pairs.some(([, b]) => b === d))) drop(t, 'Its linked task cannot be planned with it.');
  }
  const keptPairs = pairs.filter(([a, b]) => candidates.has(a) && candidates.has(b));
  for (const [a, b] of pairs) {
    if (!candidates.has(a) || !candidates.has(b)) {
      for (const id of [a, b]) if (candidates.has(id)) drop(candidates.get(id)!, 'Its linked task cannot be planned with it.');
    }
  }
  const tasks = [...candidates.values()];
  const index = new Map(tasks.map((t, i) => [t.id, i]));

  // drivers: on duty in the team, starting after the tasks they already have
  const hub = hubOf(team)?.location ?? null;
  const endHub = prm.routeEnd && typeof prm.routeEnd === 'object' ? hubOf((await findTeam(db, organizationId, prm.routeEnd.hubTeam))!)?.location ?? null : hub;
  const workers = await repo.onDutyWorkers(db, organizationId, [prm.teamId]);
  const openOf = await openTasksOfWorkers(db, workers.map((w) => w.id));
  const drivers: Array<PlanDriver & { name: string; kept: string[] }> = [];
  const chainPoints: LngLat[] = [];
  const chains: Array<{ w: WorkerRow; start: LngLat; kept: TaskRow[] }> = [];
  for (const w of workers) {
    const start = workerLocation(w) ?? hub ?? routingLocation(w);
    if (!start) {
      warnings.push(`${w.name} has no known position (no location shared, no team hub, no routing address) and was left out.`);
      continue;
    }
    const kept = openOf.get(w.id) ?? [];
    chains.push({ w, start, kept });
    chainPoints.push(start, ...kept.map(locationOf).filter((l): l is LngLat => l !== null));
  }
  const metric = metricOf(ctx);
  const chainMatrix = await metric.matrix(chainPoints);
  if (chainMatrix.warning) warnings.push(chainMatrix.warning);
  let ci = 0;
  for (const { w, start, kept } of chains) {
    // time and place once the kept tasks are done
    let here = ci++;
    let t = base;
    for (const k of kept) {
      if (!locationOf(k)) continue;
      const next = ci++;
      t += 1000 * chainMatrix.durations[here * chainMatrix.n + next];
      if (k.complete_after && t < k.complete_after) t = k.complete_after;
      t += 60_000 * (k.service_time || prm.serviceMinutes);
      here = next;
    }
    const from = chainPoints[here];
    const keptIds = new Set(kept.map((k) => k.id));
    const loadCarried = (
      await Promise.all(kept.filter((k) => k.pickup_task === 1).map(async (k) => ({ k, deps: await repo.linksOf(db, organizationId, [k.id]) })))
    )
      .filter(({ k, deps }) => deps.filter((l) => l.depends_on_id === k.id).every((l) => !keptIds.has(l.task_id)))
      .reduce((s, { k }) => s + k.quantity, 0);
    let end: LngLat | null = null;
    if (prm.routeEnd === 'worker') {
      end = routingLocation(w);
      if (!end) warnings.push(`${w.name} has no routing address; the route ends at its last stop.`);
    } else if (prm.routeEnd) end = endHub;
    drivers.push({
      id: w.id,
      name: w.name,
      kept: kept.map((k) => k.id),
      start: from,
      startTime: Math.max(t, prm.schedule[0]),
      end,
      capacity: w.capacity > 0 ? Math.max(1e-9, w.capacity - loadCarried) : 0,
      maxTasks: prm.maxTasksPerRoute - kept.length,
    });
  }
  const input: PlanInput = {
    base,
    horizon: prm.schedule[1],
    tasks: tasks.map(
      (t): PlanTask => ({
        id: t.id,
        location: locationOf(t)!,
        completeAfter: t.complete_after,
        completeBefore: t.complete_before,
        serviceMinutes: t.service_time > 0 ? t.service_time : null,
        quantity: t.quantity,
      }),
    ),
    pairs: keptPairs.map(([a, b]) => [index.get(a)!, index.get(b)!] as [number, number]),
    drivers,
    defaultServiceMinutes: prm.serviceMinutes,
  };
  return { input, tasks, drivers, unassigned, warnings, outside: all.length - inWindow.length };
}

async function runDispatch(ctx: AppContext, principal: Principal, prm: DispatchParams, job: JobHandle): Promise<ItemResult> {
  const t0 = Date.now();
  const { input, tasks, drivers, unassigned, warnings, outside } = await planInput(ctx, job.organizationId, prm);
  if (outside > 0) warnings.push(`${outside} task${outside === 1 ? ' is' : 's are'} outside the task time window and ${outside === 1 ? 'was' : 'were'} not planned.`);
  const result: DispatchResult = { routes: [], unassigned: [], drivers: drivers.length, metric: '', warnings, elapsedMs: 0, applied: null };
  const b = buildProblem(input);
  let plan: ReturnType<typeof readSolution> = { routes: [], unassigned: b.excluded };
  if (tasks.length > 0 && b.problem.vehicles.length > 0) {
    const m = await metricOf(ctx).matrix(b.places);
    if (m.warning && !warnings.includes(m.warning)) warnings.push(m.warning);
    result.metric = m.source;
    let lastSaved = 0;
    let pending: Promise<void> = Promise.resolve();
    const sol = await solveInWorker(
      b.problem,
      nodeMatrix(b, m),
      { seed: 1, timeLimitMs: prm.timeLimitMs, maxIterations: Math.min(100_000, Math.max(2_000, 400 * b.problem.requests.length)) },
      {
        signal: job.signal,
        onProgress: (pr) => {
          const now = Date.now();
          if (now - lastSaved < 300 && pr.fraction < 1) return;
          lastSaved = now;
          const progress = { fraction: pr.fraction, phase: pr.phase, vehicles: pr.vehicles, distance: Math.round(pr.distance), unassigned: pr.unassigned };
          pending = pending.then(() => job.report(progress)).catch((err) => ctx.log.warn({ err }, 'dispatch progress not saved'));
        },
      },
    );
    await pending;
    plan = readSolution(input, b, m, sol);
  } else {
    result.metric = ctx.config.routing.routingUrl ? 'routing service' : `straight line at ${ctx.config.routing.speedKmh} km/h`;
    if (b.problem.vehicles.length === 0) for (let i = 0; i < tasks.length; i++) if (!plan.unassigned.some((x) => x.task === i)) plan.unassigned.push({ task: i, reason: 'No on-duty driver of the team can take tasks.' });
  }
  const addressOf = (t: TaskRow) => {
    try {
      const d = JSON.parse(t.destination) as { address?: { unparsed?: string; number?: string; street?: string; city?: string } };
      const a = d.address ?? {};
      return a.unparsed || [a.number, a.street, a.city].filter(Boolean).join(' ');
    } catch {
      return '';
    }
  };
  result.routes = plan.routes.map((r) => {
    const d = drivers[r.driver];
    return {
      worker: d.id,
      workerName: d.name,
      start: d.start,
      end: d.end,
      keptTasks: d.kept,
      tasks: r.stops.map((s) => {
        const t = tasks[s.task];
        return {
          id: t.id,
          shortId: t.short_id,
          pickupTask: t.pickup_task === 1,
          location: locationOf(t)!,
          address: addressOf(t),
          arrival: s.arrival,
          completeAfter: t.complete_after,
          completeBefore: t.complete_before,
        };
      }),
      distance: r.distance,
      duration: r.duration,
    };
  });
  result.unassigned = [
    ...unassigned.map((x) => ({ id: x.row.id, shortId: x.row.short_id, reason: x.reason })),
    ...plan.unassigned.map((x) => ({ id: tasks[x.task].id, shortId: tasks[x.task].short_id, reason: x.reason })),
  ];
  result.elapsedMs = Date.now() - t0;
  if (!prm.preview) {
    result.applied = await ctx.db.transaction().execute((trx) => applyRoutes(trx, ctx, job.organizationId, job.id, result, actorOfPrincipal(principal)));
  }
  return { ok: true, ...result };
}

function actorOfPrincipal(p: Principal): Actor {
  return p.kind === 'user' ? actorFor(p) : { organizationId: p.organizationId, id: null, label: p.label };
}

/**
 * Assigns the routes' tasks to their drivers in route order (after the tasks they have), in the caller's
 * transaction. A task that is no longer unassigned in the team is skipped, and so is the task linked to it;
 * a driver who went off duty since the plan was made keeps nothing of it.
 */
async function applyRoutes(db: Db, ctx: AppContext, organizationId: string, dispatchId: string, result: DispatchResult, actor: Actor) {
  const skipped: Array<{ id: string; reason: string }> = [];
  const ids = result.routes.flatMap((r) => r.tasks.map((t) => t.id));
  const rows = new Map((await repo.tasksByIds(db, organizationId, ids)).map((r) => [r.id, r]));
  const links = await repo.linksOf(db, organizationId, ids);
  const workers = new Map((await repo.onDutyWorkers(db, organizationId)).map((w) => [w.id, w]));
  const bad = new Set<string>();
  for (const r of result.routes) {
    for (const t of r.tasks) {
      const row = rows.get(t.id);
      if (!workers.has(r.worker)) skipped.push({ id: t.id, reason: `${r.workerName} is no longer on duty.` }), bad.add(t.id);
      else if (!row || row.state !== TaskState.Unassigned) skipped.push({ id: t.id, reason: 'It was assigned, started or deleted since the routes were planned.' }), bad.add(t.id);
    }
  }
  for (const l of links) {
    for (const [a, b] of [
      [l.task_id, l.depends_on_id],
      [l.depends_on_id, l.task_id],
    ]) {
      if (bad.has(a) && ids.includes(b) && !bad.has(b)) {
        bad.add(b);
        skipped.push({ id: b, reason: 'Its linked task could not be assigned.' });
      }
    }
  }
  let count = 0;
  const touched = new Set<string>();
  for (const r of result.routes) {
    for (const t of r.tasks) {
      if (bad.has(t.id)) continue;
      await assignTaskToWorker(db, ctx, rows.get(t.id)!, r.worker, actor, { dispatch: dispatchId });
      count++;
      touched.add(r.worker);
    }
  }
  await announceRoutes(db, ctx, organizationId, touched);
  return { time: ctx.now(), assignedTasksCount: count, skipped };
}

function dispatchEvent(organizationId: string, job: { id: string }, teamId: string, status: string, result: DispatchResult | null) {
  return {
    organizationId,
    type: 'dispatch.completed',
    subjectId: job.id,
    payload: {
      dispatch: {
        id: job.id,
        team: teamId,
        status,
        routes: result?.routes.length ?? 0,
        tasks: result?.routes.reduce((s, r) => s + r.tasks.length, 0) ?? 0,
        unassigned: result?.unassigned.length ?? 0,
        assignedTasksCount: result?.applied?.assignedTasksCount ?? 0,
      },
    },
  };
}

registerJobKind(
  KIND,
  async (ctx, principal, item, _index, job) => runDispatch(ctx, principal, item as DispatchParams, job),
  async (db, ctx, job, results) => {
    const prm = (JSON.parse(job.input) as DispatchParams[])[0];
    const r = results[0];
    const result = r?.ok ? (r as unknown as DispatchResult) : null;
    const status = !result ? 'failed' : result.applied ? 'applied' : 'completed';
    if (status === 'applied') await db.updateTable('jobs').set({ status: 'applied' }).where('id', '=', job.id).execute();
    await recordEvent(db, ctx.now(), dispatchEvent(job.organization_id, job, prm.teamId, status, result));
  },
);

function statusOf(jobStatus: string) {
  return jobStatus === 'completedWithErrors' ? 'failed' : jobStatus;
}

async function loadDispatch(db: Db, u: UserPrincipal, id: string) {
  const job = await findJob(db, u.organizationId, id);
  if (!job || job.kind !== KIND) throw notFound('Dispatch', id);
  return job;
}

function viewDispatch(job: NonNullable<Awaited<ReturnType<typeof findJob>>>) {
  const prm = (JSON.parse(job.input) as DispatchParams[])[0];
  const r = (JSON.parse(job.results) as ItemResult[])[0];
  const { ok: _ok, ...rest } = (r ?? { ok: false }) as ItemResult;
  const result = r?.ok ? (rest as unknown as DispatchResult) : null;
  const progress = job.progress ? (JSON.parse(job.progress) as { fraction: number; phase: string; vehicles: number; distance: number; unassigned: number }) : null;
  return {
    id: job.id,
    dispatchId: job.id,
    team: prm.teamId,
    status: statusOf(job.status),
    preview: prm.preview,
    progress,
    result: result ? { ...result, applied: result.applied ?? null } : null,
    error: r && !r.ok ? String(r.error ?? 'The optimisation failed.') : null,
    timeCreated: job.time_created,
    timeFinished: job.time_finished,
  };
}

export async function getDispatch(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier' });
  return viewDispatch(await loadDispatch(ctx.db, u, id));
}

/** Applies a previewed plan: assigns its tasks in route order, once. */
export async function applyDispatch(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', write: true });
  await ctx.db.transaction().execute(async (trx) => {
    const job = await loadDispatch(trx, u, id);
    if (job.status !== 'completed') throw stateConflict(notReady(job.status), { status: statusOf(job.status) });
    const r = (JSON.parse(job.results) as ItemResult[])[0];
    const { ok: _ok, ...result } = r as ItemResult;
    const res = result as unknown as DispatchResult;
    // claims the plan first, so two applies cannot both assign it
    if (!(await repo.moveDispatchStatus(trx, u.organizationId, id, 'completed', 'applied'))) throw stateConflict('This plan was applied or discarded meanwhile.');
    res.applied = await applyRoutes(trx, ctx, u.organizationId, id, res, actorFor(u));
    await trx.updateTable('jobs').set({ results: JSON.stringify([{ ok: true, ...res }]) }).where('id', '=', id).execute();
    const prm = (JSON.parse(job.input) as DispatchParams[])[0];
    await recordEvent(trx, ctx.now(), { ...dispatchEvent(u.organizationId, job, prm.teamId, 'applied', res), type: 'dispatch.applied' });
  });
  return getDispatch(ctx, p, id);
}

/** Throws a previewed plan away (nothing was assigned). */
export async function discardDispatch(ctx: AppContext, p: Principal | null, id: string) {
  const u = authorize(p, { org: 'courier', write: true });
  const job = await loadDispatch(ctx.db, u, id);
  if (job.status !== 'completed' || !(await repo.moveDispatchStatus(ctx.db, u.organizationId, id, 'completed', 'discarded'))) {
    throw stateConflict(notReady(job.status), { status: statusOf(job.status) });
  }
}

function notReady(status: string) {
  if (status === 'pending' || status === 'processing') return 'The routes are still being optimised.';
  if (status === 'applied') return 'These routes were already applied.';
  if (status === 'discarded') return 'These routes were discarded.';
  return 'The optimisation failed; there is nothing to apply.';
}
