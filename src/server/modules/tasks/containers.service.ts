import type { AppContext } from '../../context.ts';
import { invalid, notFound } from '../../lib/errors.ts';
import { authorize, type Principal } from '../auth/principal.ts';
import type { Db } from '../../db/database.ts';
import { recordEvents } from '../events/events.service.ts';
import { findTeam } from '../teams/teams.repository.ts';
import { findWorker } from '../workers/workers.repository.ts';
import { TaskState } from './task-state.ts';
import * as repo from './tasks.repository.ts';
import { actorFor, must, placeTask, taskChanged } from './tasks.service.ts';

export interface ContainerView {
  id: string;
  type: 'WORKER' | 'TEAM' | 'ORGANIZATION';
  organization: string;
  worker?: string;
  team?: string;
  tasks: string[];
  activeTask: string | null;
  timeLastModified: number;
}

async function view(ctx: AppContext, organizationId: string, type: ContainerView['type'], id: string): Promise<ContainerView> {
  const rows = type === 'WORKER' ? await repo.workerTasks(ctx.db, id) : await repo.containerTasks(ctx.db, id);
  return {
    id,
    type,
    organization: organizationId,
    ...(type === 'WORKER' ? { worker: id } : type === 'TEAM' ? { team: id } : {}),
    tasks: rows.map((r) => r.id),
    activeTask: rows.find((r) => r.state === TaskState.Active)?.id ?? null,
    timeLastModified: ctx.now(),
  };
}

export async function getContainer(ctx: AppContext, p: Principal | null, kind: 'workers' | 'teams' | 'organizations', id: string) {
  const u = authorize(p, { org: 'courier' });
  if (kind === 'workers') {
    if (!(await findWorker(ctx.db, u.organizationId, id))) throw notFound('Worker', id);
    return view(ctx, u.organizationId, 'WORKER', id);
  }
  if (kind === 'teams') {
    if (!(await findTeam(ctx.db, u.organizationId, id))) throw notFound('Team', id);
    return view(ctx, u.organizationId, 'TEAM', id);
  }
  if (id !== u.organizationId) throw notFound('Organization', id);
  return view(ctx, u.organizationId, 'ORGANIZATION', id);
}

/**
 * Sets a worker's ordered task list (Onfleet's PUT /containers/workers/:id). `tasks: [ids]` replaces
 * the list (tasks left out go back to the organization, unassigned); `tasks: [index, ...ids]` inserts
 * at index (-1 appends). The worker's active task always stays first.
 */
export async function setWorkerTasks(ctx: AppContext, p: Principal | null, workerId: string, body: { tasks: Array<string | number>; considerDependencies?: boolean }) {
  const u = authorize(p, { org: 'courier', write: true });
  const first = body.tasks[0];
  const insertAt = typeof first === 'number' ? first : null;
  const ids = (insertAt === null ? body.tasks : body.tasks.slice(1)) as Array<string | number>;
  if (ids.some((x) => typeof x !== 'string')) throw invalid('tasks must be task ids, optionally preceded by one insertion index.', { field: 'tasks' });
  const wanted = [...new Set(ids as string[])];
  await ctx.db.transaction().execute(async (trx) => {
    if (!(await findWorker(trx, u.organizationId, workerId))) throw notFound('Worker', workerId);
    const rows = await repo.findTasksByIds(trx, u.organizationId, wanted);
    const missing = wanted.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw invalid(`Unknown task(s): ${missing.join(', ')}.`, { field: 'tasks', ids: missing });
    const byId = new Map(rows.map((r) => [r.id, r]));
    // With considerDependencies, a dropoff brings its pickup along (placed right before it).
    if (body.considerDependencies) {
      const deps = await repo.dependenciesOf(trx, wanted);
      for (const id of [...wanted]) {
        for (const d of deps.get(id) ?? []) {
          if (wanted.includes(d)) continue;
          const dep = await repo.findTask(trx, u.organizationId, d);
          if (dep && dep.state < TaskState.Active) {
            wanted.splice(wanted.indexOf(id), 0, d);
            byId.set(d, dep);
          }
        }
      }
    }
    const current = await repo.workerTasks(trx, workerId);
    const active = current.filter((r) => r.state === TaskState.Active).map((r) => r.id);
    const open = current.filter((r) => r.state !== TaskState.Active).map((r) => r.id);
    let order: string[];
    if (insertAt === null) {
      order = wanted.filter((id) => !active.includes(id));
      // left off the list: back to the organization's unassigned tasks
      for (const id of open.filter((x) => !order.includes(x))) {
        const row = current.find((r) => r.id === id)!;
        const moved = await placeTask(trx, row, { container_type: 'ORGANIZATION', container_id: u.organizationId, worker_id: null, state: TaskState.Unassigned });
        const now = ctx.now();
        await repo.updateTask(trx, id, { time_last_modified: now });
        await taskChanged(trx, ctx, { ...moved, time_last_modified: now }, 'task.unassigned', actorFor(u), null, workerId);
      }
    } else {
      const rest = open.filter((x) => !wanted.includes(x));
      const at = insertAt < 0 || insertAt > rest.length ? rest.length : insertAt;
      order = [...rest.slice(0, at), ...wanted.filter((id) => !active.includes(id)), ...rest.slice(at)];
    }
    const affected = new Set<string>([workerId]);
    for (const [i, id] of order.entries()) {
      const row = byId.get(id) ?? current.find((r) => r.id === id)!;
      const wasOther = row.worker_id !== workerId;
      if (wasOther && row.worker_id) affected.add(row.worker_id);
      // also for the worker's own completed tasks, which keep their worker id
      must(row.state, { type: 'assignWorker' });
      const patch = { state: TaskState.Assigned, container_type: 'WORKER' as const, container_id: workerId, worker_id: workerId, worker_position: i + 1 + active.length, time_last_modified: ctx.now() };
      await repo.updateTask(trx, id, patch);
      if (wasOther) await taskChanged(trx, ctx, { ...row, ...patch }, 'task.assigned', actorFor(u), { worker: workerId });
    }
    // Every driver whose list changed (order, additions, removals) hears about it live.
    await announceRoutes(trx, ctx, u.organizationId, affected);
  });
  return view(ctx, u.organizationId, 'WORKER', workerId);
}

/** Tells each driver whose list changed what it is now, in order (the driver app follows it live). */
export async function announceRoutes(db: Db, ctx: AppContext, organizationId: string, workerIds: Iterable<string>) {
  const ids = [...workerIds];
  const open = await repo.openTasksOfWorkers(db, ids);
  await recordEvents(
    db,
    ctx.now(),
    ids.map((w) => ({ organizationId, type: 'worker.route', subjectId: w, payload: { worker: w, tasks: (open.get(w) ?? []).map((r) => r.id) }, workerId: w })),
  );
}
