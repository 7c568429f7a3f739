import type { Ctx } from './operators.ts';
import { bestInsertion, Route, type Ins, type Sol } from './solution.ts';

/**
 * Route minimisation by ejection search with an ejection pool and penalty counters (after Nagata & Kubo's guided
 * ejection search, as used for the PDPTW by Nagata & Kobayashi and Curtois et al.):
 *
 *   take a route away and put its requests into the pool (a stack);
 *   while the pool is not empty: pop a request;
 *     insert it at its cheapest feasible place if there is one; otherwise
 *     raise its penalty counter, and insert it into the route and position where ejecting at most two other
 *     requests makes it fit with the smallest sum of their counters; push the ejected requests; then perturb the
 *     solution with random feasible relocations and exchanges.
 *   An empty pool means one vehicle fewer: start again with another route.
 *
 * Requests that are hard to place gather high counters, so the search learns to leave them in place and to move
 * easy ones instead.
 */
export interface RouteMinBudget {
  /** Returns true when the phase must stop. */
  stop: () => boolean;
  /** Counts ejection steps (for the caller's step budget and progress). */
  step: () => void;
  onImproved: (sol: Sol) => void;
}

export function lowerBoundVehicles(ctx: Ctx): number {
  const m = ctx.m;
  let demand = 0;
  for (let r = 0; r < m.nReq; r++) demand += Math.max(0, m.q[m.pick[r]]);
  let cap = 0;
  for (let v = 0; v < m.nVeh; v++) cap = Math.max(cap, m.vCap[v]);
  return Math.max(m.nReq > 0 ? 1 : 0, Math.ceil(demand / Math.max(cap, 1e-9) - 1e-9));
}

export function routeMinimise(ctx: Ctx, start: Sol, budget: RouteMinBudget): Sol {
  const m = ctx.m;
  const rng = ctx.rng;
  let best = start.clone();
  // only the vehicles in use may take requests; the others stay off
  for (let v = 0; v < m.nVeh; v++) best.active[v] = best.routes[v].nodes.length > 2 ? 1 : 0;
  if (best.unassigned().length > 0) return best;
  const lb = lowerBoundVehicles(ctx);
  const pen = new Float64Array(m.nReq).fill(1);
  const ins: Ins = { cost: 0, i: 0, j: 0 };
  const scratch = new Route(0, []);
  let failures = 0;

  while (!budget.stop() && best.vehicles() > lb) {
    const sol = best.clone();
    // remove a random route, smaller ones more likely
    const used: number[] = [];
    for (let v = 0; v < m.nVeh; v++) if (sol.active[v] && sol.routes[v].nodes.length > 2) used.push(v);
    used.sort((a, b) => sol.routes[a].nodes.length - sol.routes[b].nodes.length);
    const y = rng.next();
    const victim = used[Math.floor(y * y * used.length)];
    const pool = sol.requestsOf(victim);
    sol.remove(pool);
    sol.active[victim] = 0;
    rng.shuffle(pool);

    let stalls = 0;
    while (pool.length > 0 && !budget.stop()) {
      budget.step();
      const r = pool.pop() as number;
      // 1) plain insertion
      let bv = -1;
      let bc = Infinity;
      let bi = 0;
      let bj = 0;
      for (let v = 0; v < m.nVeh; v++) {
        if (!sol.active[v]) continue;
        const c = bestInsertion(m, sol.routes[v], r, ins);
        if (c < bc) {
          bc = c;
          bv = v;
          bi = ins.i;
          bj = ins.j;
        }
      }
      if (bv >= 0) {
        sol.insert(r, bv, bi, bj);
        continue;
      }
      // 2) insertion with ejection
      pen[r] += 1;
      const ej = findEjection(ctx, sol, r, pen, scratch, ins);
      if (!ej) {
        // nothing fits even with ejections: try later
        pool.unshift(r);
        if (++stalls > pool.length + 5) break;
        continue;
      }
      stalls = 0;
      sol.remove(ej.eject);
      sol.insert(r, ej.v, ej.i, ej.j);
      for (const e of ej.eject) pool.push(e);
      perturb(ctx, sol, 40, ins);
    }
    if (pool.length === 0) {
      best = sol;
      budget.onImproved(best);
    } else if (budget.stop() || ++failures > 5) break;
  }
  return best;
}

interface Ejection {
  v: number;
  eject: number[];
  i: number;
  j: number;
}

function findEjection(ctx: Ctx, sol: Sol, r: number, pen: Float64Array, scratch: Route, ins: Ins): Ejection | null {
  const m = ctx.m;
  const rng = ctx.rng;
  let bestP = Infinity;
  let ties = 0;
  let found: Ejection | null = null;
  const consider = (v: number, eject: number[], p: number): void => {
    if (p > bestP) return;
    const rt = sol.routes[v];
    const drop = new Set<number>();
    for (const e of eject) {
      drop.add(m.pick[e]);
      drop.add(m.deliv[e]);
    }
    scratch.nodes = rt.nodes.filter((x) => !drop.has(x));
    scratch.v = v;
    scratch.update(m);
    if (bestInsertion(m, scratch, r, ins) === Infinity) return;
    // insertion positions refer to the route without the ejected requests; they are applied after removal
    if (p < bestP) {
      bestP = p;
      ties = 1;
      found = { v, eject: eject.slice(), i: ins.i, j: ins.j };
    } else if (rng.next() * ++ties < 1) {
      found = { v, eject: eject.slice(), i: ins.i, j: ins.j };
    }
  };
  for (let v = 0; v < m.nVeh; v++) {
    if (!sol.active[v]) continue;
    const reqs = sol.requestsOf(v);
    reqs.sort((a, b) => pen[a] - pen[b]);
    for (let a = 0; a < reqs.length; a++) {
      if (pen[reqs[a]] > bestP) break;
      consider(v, [reqs[a]], pen[reqs[a]]);
    }
    for (let a = 0; a < reqs.length; a++) {
      if (pen[reqs[a]] + pen[reqs[0]] > bestP) break;
      for (let b = a + 1; b < reqs.length; b++) {
        const p = pen[reqs[a]] + pen[reqs[b]];
        if (p > bestP) break;
        consider(v, [reqs[a], reqs[b]], p);
      }
    }
  }
  return found;
}

/** Random feasible relocations and exchanges of requests between routes (no regard to distance). */
export function perturb(ctx: Ctx, sol: Sol, moves: number, ins: Ins): void {
  const m = ctx.m;
  const rng = ctx.rng;
  const act: number[] = [];
  for (let v = 0; v < m.nVeh; v++) if (sol.active[v]) act.push(v);
  if (act.length < 2) return;
  for (let t = 0; t < moves; t++) {
    const ia = rng.int(0, act.length - 1);
    let ib = rng.int(0, act.length - 2);
    if (ib >= ia) ib++;
    const va = act[ia];
    const vb = act[ib];
    const ra = sol.requestsOf(va);
    if (ra.length === 0) continue;
    const r1 = ra[rng.int(0, ra.length - 1)];
    if (rng.next() < 0.5) {
      // relocate r1 to route vb
      if (bestInsertion(m, sol.routes[vb], r1, ins) === Infinity) continue;
      const i = ins.i;
      const j = ins.j;
      sol.remove([r1]);
      sol.insert(r1, vb, i, j);
    } else {
      const rb = sol.requestsOf(vb);
      if (rb.length === 0) continue;
      const r2 = rb[rng.int(0, rb.length - 1)];
      const A = sol.routes[va].clone();
      const B = sol.routes[vb].clone();
      const dropA = new Set([m.pick[r1], m.deliv[r1]]);
      const dropB = new Set([m.pick[r2], m.deliv[r2]]);
      A.nodes = A.nodes.filter((x) => !dropA.has(x));
      B.nodes = B.nodes.filter((x) => !dropB.has(x));
      A.update(m);
      B.update(m);
      if (bestInsertion(m, A, r2, ins) === Infinity) continue;
      const ai = ins.i;
      const aj = ins.j;
      if (bestInsertion(m, B, r1, ins) === Infinity) continue;
      sol.remove([r1, r2]);
      sol.insert(r2, va, ai, aj);
      sol.insert(r1, vb, ins.i, ins.j);
    }
  }
}
