import type { Model } from './model.ts';
import type { Rng } from './rng.ts';
import { bestInsertion, type Ins, type Sol } from './solution.ts';

/** Shared, precomputed data for the neighbourhood operators. */
export interface Ctx {
  m: Model;
  rng: Rng;
  /** For every request, the other requests ordered by distance between their pickups and deliveries. */
  near: Int32Array[];
  /** Cost of opening an empty vehicle (dominates any distance). */
  vehWeight: number;
  /** Penalty of an unserved request (dominates the vehicle cost). */
  unWeight: number;
  /** Noise amplitude for noisy repairs. */
  noiseAmp: number;
}

export function makeCtx(m: Model, rng: Rng): Ctx {
  const { D, n, pick, deliv, nReq } = m;
  const near: Int32Array[] = [];
  const dr = new Float64Array(nReq);
  const idx = Array.from({ length: nReq }, (_, k) => k);
  for (let r = 0; r < nReq; r++) {
    const p = pick[r];
    const d = deliv[r];
    for (let o = 0; o < nReq; o++) dr[o] = D[p * n + pick[o]] + D[d * n + deliv[o]];
    dr[r] = -1;
    const ord = idx.slice().sort((a, b) => dr[a] - dr[b]);
    near.push(Int32Array.from(ord.slice(1)));
  }
  const vehWeight = (m.maxDist + 1) * (2 * nReq + 2) * 4;
  return { m, rng, near, vehWeight, unWeight: vehWeight * 8, noiseAmp: 0.025 * m.maxDist };
}

export function objective(ctx: Ctx, sol: Sol): number {
  let un = 0;
  for (let r = 0; r < sol.routeOf.length; r++) if (sol.routeOf[r] < 0) un++;
  return sol.distance() + ctx.vehWeight * sol.vehicles() + ctx.unWeight * un;
}

// ---------------------------------------------------------------------------------------------------------------
// Repair: greedy (k = 1) and regret-k insertion, optionally with noise.

const NOPT = 1e9;

/**
 * Insert the requests `reqs` (currently unassigned) into the active routes. k = 1 is greedy cheapest insertion;
 * k >= 2 inserts first the request with the largest regret (sum of the differences between its best and its
 * k-1 next best routes). Only one empty vehicle of each class is considered at a time. Requests that fit nowhere
 * stay unassigned.
 */
export function repair(ctx: Ctx, sol: Sol, reqs: number[], k: number, noise: boolean): void {
  const m = ctx.m;
  const rng = ctx.rng;
  const nVeh = m.nVeh;
  const U = reqs.slice();
  if (U.length === 0) return;
  const cands: number[] = [];
  const emptyClassSeen = new Set<number>();
  const inCands = new Uint8Array(nVeh);
  const addCandidates = (): number[] => {
    const added: number[] = [];
    for (let v = 0; v < nVeh; v++) {
      if (!sol.active[v] || inCands[v]) continue;
      const rt = sol.routes[v];
      if (rt.nodes.length > 2) {
        cands.push(v);
        inCands[v] = 1;
        added.push(v);
      } else if (!emptyClassSeen.has(m.vClass[v])) {
        emptyClassSeen.add(m.vClass[v]);
        cands.push(v);
        inCands[v] = 1;
        added.push(v);
      }
    }
    return added;
  };
  addCandidates();
  const cost = new Float64Array(m.nReq * nVeh);
  const pi = new Int32Array(m.nReq * nVeh);
  const pj = new Int32Array(m.nReq * nVeh);
  const ins: Ins = { cost: 0, i: 0, j: 0 };
  const evalCell = (r: number, v: number): void => {
    const rt = sol.routes[v];
    let c = bestInsertion(m, rt, r, ins);
    if (c < Infinity) {
      if (rt.nodes.length <= 2) c += ctx.vehWeight;
      if (noise) {
        c += (rng.next() * 2 - 1) * ctx.noiseAmp;
        if (c < 0) c = 0;
      }
    }
    const o = r * nVeh + v;
    cost[o] = c;
    pi[o] = ins.i;
    pj[o] = ins.j;
  };
  for (const r of U) for (const v of cands) evalCell(r, v);
  const top = new Float64Array(Math.max(k, 1));
  while (U.length > 0) {
    let bestIdx = -1;
    let bestReg = -Infinity;
    let bestC1 = Infinity;
    let bestV = -1;
    for (let u = 0; u < U.length; u++) {
      const r = U[u];
      const base = r * nVeh;
      let c1 = Infinity;
      let v1 = -1;
      if (k <= 1) {
        for (const v of cands) {
          const c = cost[base + v];
          if (c < c1) {
            c1 = c;
            v1 = v;
          }
        }
        if (v1 < 0) continue;
        if (c1 < bestC1) {
          bestC1 = c1;
          bestIdx = u;
          bestV = v1;
        }
        continue;
      }
      top.fill(Infinity);
      for (const v of cands) {
        const c = cost[base + v];
        if (c >= top[k - 1]) continue;
        if (c < c1) {
          c1 = c;
          v1 = v;
        }
        let h = k - 1;
        while (h > 0 && top[h - 1] > c) {
          top[h] = top[h - 1];
          h--;
        }
        top[h] = c;
      }
      if (v1 < 0) continue;
      let reg = 0;
      for (let h = 1; h < k; h++) reg += top[h] === Infinity ? NOPT : top[h] - c1;
      if (reg > bestReg || (reg === bestReg && c1 < bestC1)) {
        bestReg = reg;
        bestC1 = c1;
        bestIdx = u;
        bestV = v1;
      }
    }
    if (bestIdx < 0) break;
    const r = U[bestIdx];
    U[bestIdx] = U[U.length - 1];
    U.pop();
    const o = r * nVeh + bestV;
    const wasEmpty = sol.routes[bestV].nodes.length <= 2;
    sol.insert(r, bestV, pi[o], pj[o]);
    if (U.length === 0) break;
    for (const r2 of U) evalCell(r2, bestV);
    if (wasEmpty) {
      emptyClassSeen.delete(m.vClass[bestV]);
      for (const v of addCandidates()) for (const r2 of U) evalCell(r2, v);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Destroy operators. Each returns the requests it removed (they are unassigned afterwards).

function assigned(sol: Sol): number[] {
  const out: number[] = [];
  for (let r = 0; r < sol.routeOf.length; r++) if (sol.routeOf[r] >= 0) out.push(r);
  return out;
}

export function randomRemoval(ctx: Ctx, sol: Sol, q: number): number[] {
  const a = ctx.rng.shuffle(assigned(sol)).slice(0, q);
  sol.remove(a);
  return a;
}

/** Removal gain (distance saved) of every assigned request; NaN for unassigned. */
function removalGains(m: Model, sol: Sol): Float64Array {
  const { D, n, reqOfNode, pick } = m;
  const gain = new Float64Array(m.nReq).fill(NaN);
  for (const rt of sol.routes) {
    const nodes = rt.nodes;
    for (let k = 1; k < nodes.length - 1; k++) {
      const c = nodes[k];
      const r = reqOfNode[c];
      const g = D[nodes[k - 1] * n + c] + D[c * n + nodes[k + 1]] - D[nodes[k - 1] * n + nodes[k + 1]];
      if (pick[r] === c) {
        // pickup: if its delivery follows directly, account for the pair as a whole
        if (m.deliv[r] === nodes[k + 1]) {
          const a = nodes[k - 1];
          const b = nodes[k + 2];
          gain[r] = D[a * n + c] + D[c * n + nodes[k + 1]] + D[nodes[k + 1] * n + b] - D[a * n + b];
          k++;
        } else gain[r] = g;
      } else gain[r] += g;
    }
  }
  return gain;
}

export function worstRemoval(ctx: Ctx, sol: Sol, q: number): number[] {
  const gain = removalGains(ctx.m, sol);
  const list = assigned(sol).sort((a, b) => gain[b] - gain[a]);
  const out: number[] = [];
  while (out.length < q && list.length > 0) {
    const y = ctx.rng.next();
    const idx = Math.floor(y * y * y * list.length);
    out.push(list[idx]);
    list.splice(idx, 1);
  }
  sol.remove(out);
  return out;
}

/** Shaw (related) removal: requests close in space, time and size to already removed ones. */
export function shawRemoval(ctx: Ctx, sol: Sol, q: number): number[] {
  const m = ctx.m;
  const { D, n, pick, deliv } = m;
  const rng = ctx.rng;
  const tp = new Float64Array(m.nReq);
  const td = new Float64Array(m.nReq);
  for (const rt of sol.routes) {
    for (let k = 1; k < rt.nodes.length - 1; k++) {
      const c = rt.nodes[k];
      const r = m.reqOfNode[c];
      if (pick[r] === c) tp[r] = rt.A[k];
      else td[r] = rt.A[k];
    }
  }
  let horizon = 1;
  let maxQ = 1;
  for (let r = 0; r < m.nReq; r++) {
    horizon = Math.max(horizon, m.l[deliv[r]]);
    maxQ = Math.max(maxQ, Math.abs(m.q[pick[r]]));
  }
  const rest = assigned(sol);
  if (rest.length === 0) return [];
  const first = rest.splice(rng.int(0, rest.length - 1), 1)[0];
  const out = [first];
  const rel = new Float64Array(m.nReq);
  const md = m.maxDist || 1;
  while (out.length < q && rest.length > 0) {
    const r = out[rng.int(0, out.length - 1)];
    const pr = pick[r];
    const dr = deliv[r];
    for (const o of rest) {
      rel[o] =
        (9 * (D[pr * n + pick[o]] + D[dr * n + deliv[o]])) / md +
        (3 * (Math.abs(tp[r] - tp[o]) + Math.abs(td[r] - td[o]))) / horizon +
        (2 * Math.abs(m.q[pr] - m.q[pick[o]])) / maxQ;
    }
    rest.sort((a, b) => rel[a] - rel[b]);
    const y = rng.next();
    const idx = Math.floor(Math.pow(y, 6) * rest.length);
    out.push(rest[idx]);
    rest.splice(idx, 1);
  }
  sol.remove(out);
  return out;
}

/** Remove one whole route (a random non-empty one, smaller routes more likely). */
export function routeRemoval(ctx: Ctx, sol: Sol, q: number): number[] {
  const nonEmpty: number[] = [];
  for (let v = 0; v < sol.routes.length; v++) if (sol.routes[v].nodes.length > 2) nonEmpty.push(v);
  if (nonEmpty.length === 0) return [];
  nonEmpty.sort((a, b) => sol.routes[a].nodes.length - sol.routes[b].nodes.length);
  const y = ctx.rng.next();
  const v = nonEmpty[Math.floor(y * y * nonEmpty.length)];
  let out = sol.requestsOf(v);
  if (out.length > 2 * q) out = ctx.rng.shuffle(out).slice(0, 2 * q);
  sol.remove(out);
  return out;
}

/**
 * String removal (after Christiaens & Vanden Berghe's SISR): around a random seed request, cut short strings of
 * consecutive stops out of the routes of nearby requests and remove every request with a stop in a string.
 */
export function stringRemoval(ctx: Ctx, sol: Sol, q: number): number[] {
  const m = ctx.m;
  const rng = ctx.rng;
  const seeds = assigned(sol);
  if (seeds.length === 0) return [];
  const seed = seeds[rng.int(0, seeds.length - 1)];
  const removed = new Set<number>();
  const touched = new Set<number>();
  const visit = (r: number): void => {
    const v = sol.routeOf[r];
    if (v < 0 || touched.has(v)) return;
    touched.add(v);
    const nodes = sol.routes[v].nodes;
    const stops = nodes.length - 2;
    const maxLen = Math.min(stops, 2 + Math.floor((2 * q) / 3));
    const L = rng.int(1, Math.max(1, maxLen));
    const at = nodes.indexOf(rng.next() < 0.5 ? m.pick[r] : m.deliv[r]);
    const lo = Math.max(1, Math.min(at - rng.int(0, L - 1), nodes.length - 1 - L));
    for (let k = lo; k < lo + L && k < nodes.length - 1; k++) removed.add(m.reqOfNode[nodes[k]]);
  };
  visit(seed);
  const near = ctx.near[seed];
  for (let h = 0; h < near.length && removed.size < q; h++) visit(near[h]);
  const out = [...removed];
  sol.remove(out);
  return out;
}
