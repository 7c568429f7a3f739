/**
 * Pickup-and-delivery solver with time windows and capacities (PDPTW).
 *
 * Objective, as in the literature: fewest vehicles first, then shortest total distance (requests that cannot be
 * served at all are left unassigned and reported).
 *
 *   1. construction by regret-2 insertion;
 *   2. route minimisation by ejection search with an ejection pool and penalty counters (routemin.ts);
 *   3. adaptive large neighbourhood search on distance (Ropke & Pisinger 2006): random, worst, Shaw, route and
 *      string removals; greedy / regret-2 / regret-3 repairs with and without noise; adaptive operator weights;
 *      simulated-annealing acceptance cooling over the budget. Emptying a route is always accepted.
 *
 * Deterministic for a seed when bounded by iterations (not time). No imports beyond this folder.
 */
import { compile, type Model } from './model.ts';
import {
  makeCtx,
  objective,
  randomRemoval,
  repair,
  routeRemoval,
  shawRemoval,
  stringRemoval,
  worstRemoval,
  type Ctx,
} from './operators.ts';
import { Rng } from './rng.ts';
import { routeMinimise } from './routemin.ts';
import { Sol } from './solution.ts';
import type { Problem, Solution, SolveOptions, SolveProgress } from './types.ts';

export type * from './types.ts';
export { euclideanMetric, matrixMetric } from './model.ts';

const now = (): number => performance.now();

type Destroy = (ctx: Ctx, sol: Sol, q: number) => number[];
const DESTROY: Destroy[] = [randomRemoval, worstRemoval, shawRemoval, routeRemoval, stringRemoval];
const REPAIR: [number, boolean][] = [
  [1, false],
  [2, false],
  [3, false],
  [1, true],
  [2, true],
  [3, true],
];

function pickWeighted(rng: Rng, w: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < w.length; k++) sum += w[k];
  let x = rng.next() * sum;
  for (let k = 0; k < w.length; k++) {
    x -= w[k];
    if (x < 0) return k;
  }
  return w.length - 1;
}

export function solve(problem: Problem, options: SolveOptions = {}): Solution {
  const t0 = now();
  const elapsed = (): number => now() - t0;
  const maxIter = options.maxIterations ?? Infinity;
  const timeLimit = options.timeLimitMs ?? (Number.isFinite(maxIter) ? Infinity : 10_000);
  const rmSteps = options.routeMinSteps ?? (Number.isFinite(maxIter) ? maxIter : Infinity);
  const share = Math.min(1, Math.max(0, options.routeMinShare ?? 0.4));
  const m = compile(problem);
  const rng = new Rng(options.seed ?? 1);
  const ctx = makeCtx(m, rng);

  let cancelled = false;
  let polls = 0;
  const cancel = (): boolean => {
    if (!cancelled && options.shouldCancel && (polls++ & 7) === 0) cancelled = options.shouldCancel();
    return cancelled;
  };
  let iterations = 0;
  let steps = 0;
  let phase: SolveProgress['phase'] = 'construction';
  let lastReport = -Infinity;
  let best: Sol;
  const report = (fraction: number, force = false): void => {
    if (!options.onProgress) return;
    const t = elapsed();
    if (!force && t - lastReport < 100) return;
    lastReport = t;
    options.onProgress({
      fraction: Math.min(1, Math.max(0, fraction)),
      phase,
      vehicles: best.vehicles(),
      distance: best.distance(),
      unassigned: best.unassigned().length,
      iterations,
    });
  };

  // 1. construction
  best = new Sol(m);
  repair(
    ctx,
    best,
    Array.from({ length: m.nReq }, (_, r) => r),
    2,
    false,
  );
  report(0, true);

  // 2. route minimisation
  phase = 'route-minimisation';
  const rmTime = share * timeLimit;
  const rmFrac = (): number =>
    Math.max(Number.isFinite(rmTime) ? elapsed() / rmTime : 0, Number.isFinite(rmSteps) ? steps / rmSteps : 0);
  if (share > 0 && rmSteps > 0) {
    best = routeMinimise(ctx, best, {
      stop: () => cancel() || elapsed() >= rmTime || steps >= rmSteps,
      step: () => {
        steps++;
        report(share * rmFrac());
      },
      onImproved: (s) => {
        best = s;
        report(share * rmFrac(), true);
      },
    });
  }
  // after route minimisation only the vehicles in use stay available (all of them if requests remain unserved)
  const un = best.unassigned().length;
  for (let v = 0; v < m.nVeh; v++) best.active[v] = un > 0 || best.routes[v].nodes.length > 2 ? 1 : 0;

  // 3. ALNS on distance
  phase = 'distance';
  const tAlns = elapsed();
  const alnsFrac = (): number =>
    Math.max(
      Number.isFinite(timeLimit) ? (elapsed() - tAlns) / Math.max(1, timeLimit - tAlns) : 0,
      Number.isFinite(maxIter) ? iterations / maxIter : 0,
    );
  if (!cancelled && m.nReq > 0) alns(ctx, m, best, () => {
    const f = alnsFrac();
    report(share + (1 - share) * f);
    return f >= 1 || cancel();
  }, (s) => {
    best = s;
  }, () => alnsFrac(), () => iterations++);
  report(1, true);

  const routes = [];
  for (const rt of best.routes) {
    if (rt.nodes.length <= 2) continue;
    const stops = rt.nodes.slice(1, -1);
    routes.push({ vehicle: rt.v, stops, arrivals: rt.A.slice(1, -1), distance: rt.cost });
  }
  return {
    routes,
    unassigned: best.unassigned(),
    vehicles: routes.length,
    distance: best.distance(),
    iterations,
    routeMinSteps: steps,
    elapsedMs: elapsed(),
    cancelled,
  };
}

function alns(
  ctx: Ctx,
  m: Model,
  start: Sol,
  stop: () => boolean,
  onBest: (s: Sol) => void,
  frac: () => number,
  tick: () => void,
): void {
  const rng = ctx.rng;
  let cur = start.clone();
  let best = start.clone();
  let fCur = objective(ctx, cur);
  let fBest = fCur;
  const nD = DESTROY.length;
  const nR = REPAIR.length;
  const wD = new Float64Array(nD).fill(1);
  const wR = new Float64Array(nR).fill(1);
  const sD = new Float64Array(nD);
  const sR = new Float64Array(nR);
  const cD = new Float64Array(nD);
  const cR = new Float64Array(nR);
  const SEGMENT = 100;
  const REACTION = 0.1;
  // a solution 5 % worse than the start is accepted with probability 1/2 at first; cooling ends 500 times colder
  const T0 = Math.max(1e-6, (0.05 * cur.distance()) / Math.LN2);
  const Tend = T0 * 0.002;
  const qmin = Math.min(4, m.nReq);
  const qmax = Math.max(qmin, Math.min(40, Math.round(0.4 * m.nReq)));
  const seen = new Set<number>();
  // Exploration: for the first EXPLORE share of the phase an unserved request costs only twice the longest arc,
  // so the search may pass through incomplete solutions (the best is only ever taken from complete ones). Then
  // it restarts from the best solution with unserved requests priced out.
  const EXPLORE = 0.6;
  let unPen = 2 * m.maxDist;
  let exploring = true;
  let it = 0;
  while (!stop()) {
    tick();
    it++;
    const T = T0 * Math.pow(Tend / T0, Math.min(1, frac()));
    if (exploring && frac() >= EXPLORE) {
      exploring = false;
      unPen = ctx.unWeight;
      cur = best.clone();
      fCur = fBest;
    }
    const d = pickWeighted(rng, wD);
    const r = pickWeighted(rng, wR);
    const cand = cur.clone();
    const q = rng.int(qmin, qmax);
    DESTROY[d](ctx, cand, q);
    repair(ctx, cand, cand.unassigned(), REPAIR[r][0], REPAIR[r][1]);
    const un = cand.unassigned().length;
    const fTrue = objective(ctx, cand);
    const f = fTrue - un * ctx.unWeight + un * unPen;
    let score = 0;
    const key = Math.round(f * 1e4);
    const fresh = !seen.has(key);
    if (fresh) {
      if (seen.size > 200_000) seen.clear();
      seen.add(key);
    }
    if (fTrue < fBest - 1e-9) {
      best = cand.clone();
      fBest = fTrue;
      onBest(best);
      cur = cand;
      fCur = f;
      score = 33;
    } else if (f < fCur - 1e-9) {
      cur = cand;
      fCur = f;
      if (fresh) score = 9;
    } else if (f > fCur + 1e-9 && rng.next() < Math.exp(-(f - fCur) / T)) {
      cur = cand;
      fCur = f;
      if (fresh) score = 13;
    }
    sD[d] += score;
    sR[r] += score;
    cD[d]++;
    cR[r]++;
    if (it % SEGMENT === 0) {
      for (let k = 0; k < nD; k++) {
        if (cD[k] > 0) wD[k] = wD[k] * (1 - REACTION) + (REACTION * sD[k]) / cD[k];
        wD[k] = Math.max(wD[k], 0.05);
        sD[k] = 0;
        cD[k] = 0;
      }
      for (let k = 0; k < nR; k++) {
        if (cR[k] > 0) wR[k] = wR[k] * (1 - REACTION) + (REACTION * sR[k]) / cR[k];
        wR[k] = Math.max(wR[k], 0.05);
        sR[k] = 0;
        cR[k] = 0;
      }
    }
  }
}
