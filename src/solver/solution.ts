import type { Model } from './model.ts';

/**
 * One vehicle's route: `nodes` starts with the vehicle's start node and ends with its end node. For every
 * position k the route keeps
 *   A[k]    service start time (position 0: departure time),
 *   Z[k]    latest service start at k that keeps the rest of the route feasible (backward slack),
 *   load[k] load on board when leaving k,
 * so that the feasibility of an insertion is decided by walking only the stretch between the two inserted stops.
 */
export class Route {
  nodes: number[];
  A: number[] = [];
  Z: number[] = [];
  load: number[] = [];
  cost = 0;
  feasible = true;

  constructor(
    public v: number,
    nodes: number[],
  ) {
    this.nodes = nodes;
  }

  static empty(m: Model, v: number): Route {
    const r = new Route(v, [m.vStart[v], m.vEnd[v]]);
    r.update(m);
    return r;
  }

  get size(): number {
    return this.nodes.length - 2;
  }

  clone(): Route {
    const r = new Route(this.v, this.nodes.slice());
    r.A = this.A.slice();
    r.Z = this.Z.slice();
    r.load = this.load.slice();
    r.cost = this.cost;
    r.feasible = this.feasible;
    return r;
  }

  update(m: Model): void {
    const nodes = this.nodes;
    const len = nodes.length;
    const { D, T, e, l, s, q, n } = m;
    const A = this.A;
    const Z = this.Z;
    const load = this.load;
    A.length = len;
    Z.length = len;
    load.length = len;
    let prev = nodes[0];
    let t = m.vT0[this.v];
    A[0] = t;
    let ld = 0;
    load[0] = 0;
    let cost = 0;
    let ok = true;
    for (let k = 1; k < len; k++) {
      const c = nodes[k];
      t += (k === 1 ? 0 : s[prev]) + T[prev * n + c];
      cost += D[prev * n + c];
      if (k < len - 1) {
        if (t < e[c]) t = e[c];
        if (t > l[c]) ok = false;
        ld += q[c];
      } else if (t > m.vTEnd[this.v]) ok = false;
      A[k] = t;
      load[k] = ld;
      prev = c;
    }
    let z = m.vTEnd[this.v];
    Z[len - 1] = z;
    for (let k = len - 2; k >= 1; k--) {
      const c = nodes[k];
      z = z - T[c * n + nodes[k + 1]] - s[c];
      if (z > l[c]) z = l[c];
      Z[k] = z;
    }
    Z[0] = z - T[nodes[0] * n + nodes[1]];
    this.cost = cost;
    this.feasible = ok;
  }
}

/** Result slot of an insertion search. */
export interface Ins {
  cost: number;
  i: number;
  j: number;
}

/**
 * Cheapest feasible insertion of request `r` into route `rt` (pickup after position i, delivery after position j,
 * j >= i). Returns the extra distance, or Infinity when no position is feasible. O(route length^2) in the worst
 * case, much less in practice thanks to the latest-start array Z and early exits.
 */
export function bestInsertion(m: Model, rt: Route, r: number, out: Ins): number {
  const { D, T, e, l, s, q, n } = m;
  const nodes = rt.nodes;
  const len = nodes.length;
  out.cost = Infinity;
  out.i = -1;
  out.j = -1;
  if (len + 2 - 2 > m.vMaxStops[rt.v]) return Infinity;
  const p = m.pick[r];
  const d = m.deliv[r];
  const qp = q[p];
  const cap = m.vCap[rt.v];
  const A = rt.A;
  const Z = rt.Z;
  const load = rt.load;
  const ep = e[p];
  const lp = l[p];
  const ed = e[d];
  const ld = l[d];
  const sp = s[p];
  const sd = s[d];
  const pn = p * n;
  const dn = d * n;
  const Dpd = D[pn + d];
  const Tpd = T[pn + d];
  let best = Infinity;
  for (let i = 0; i < len - 1; i++) {
    const a = nodes[i];
    const sa = i === 0 ? 0 : s[a];
    if (A[i] + sa > lp) break;
    if (load[i] + qp > cap) continue;
    const an = a * n;
    const b = nodes[i + 1];
    let tp = A[i] + sa + T[an + p];
    if (tp > lp) continue;
    if (tp < ep) tp = ep;
    // delivery right after the pickup
    let td = tp + sp + Tpd;
    if (td < ed) td = ed;
    if (td <= ld && td + sd + T[dn + b] <= Z[i + 1]) {
      const c = D[an + p] + Dpd + D[dn + b] - D[an + b];
      if (c < best) {
        best = c;
        out.i = i;
        out.j = i;
      }
    }
    if (i + 1 === len - 1) continue;
    // pickup between a and b, delivery later
    let t = tp + sp + T[pn + b];
    if (t > Z[i + 1]) continue;
    if (t < e[b]) t = e[b];
    const dp = D[an + p] + D[pn + b] - D[an + b];
    if (dp >= best) continue;
    for (let j = i + 1; j < len - 1; j++) {
      if (load[j] + qp > cap) break;
      const c = nodes[j];
      const sc = s[c];
      const cn = c * n;
      let tdj = t + sc + T[cn + d];
      if (tdj > ld) {
        if (t + sc > ld) break;
      } else {
        if (tdj < ed) tdj = ed;
        const nn = nodes[j + 1];
        if (tdj + sd + T[dn + nn] <= Z[j + 1]) {
          const cost = dp + D[cn + d] + D[dn + nn] - D[cn + nn];
          if (cost < best) {
            best = cost;
            out.i = i;
            out.j = j;
          }
        }
      }
      const nn = nodes[j + 1];
      t = t + sc + T[cn + nn];
      if (t > Z[j + 1]) break;
      if (t < e[nn]) t = e[nn];
    }
  }
  out.cost = best;
  return best;
}

/** Insert request r with its pickup after position i and its delivery after position j (positions before insertion). */
export function insertAt(m: Model, rt: Route, r: number, i: number, j: number): void {
  rt.nodes.splice(j + 1, 0, m.deliv[r]);
  rt.nodes.splice(i + 1, 0, m.pick[r]);
  rt.update(m);
}

/**
 * A solution: one route per vehicle (empty routes allowed), the route of every request (-1: unassigned), and which
 * vehicles may be used at all (route minimisation switches vehicles off).
 */
export class Sol {
  routes: Route[];
  routeOf: Int32Array;
  active: Uint8Array;

  constructor(
    readonly m: Model,
    routes?: Route[],
    routeOf?: Int32Array,
    active?: Uint8Array,
  ) {
    this.routes = routes ?? Array.from({ length: m.nVeh }, (_, v) => Route.empty(m, v));
    this.routeOf = routeOf ?? new Int32Array(m.nReq).fill(-1);
    this.active = active ?? new Uint8Array(m.nVeh).fill(1);
  }

  clone(): Sol {
    return new Sol(this.m, this.routes.map((r) => r.clone()), this.routeOf.slice(), this.active.slice());
  }

  copyFrom(o: Sol): void {
    this.routes = o.routes.map((r) => r.clone());
    this.routeOf = o.routeOf.slice();
    this.active = o.active.slice();
  }

  distance(): number {
    let d = 0;
    for (const r of this.routes) if (r.nodes.length > 2) d += r.cost;
    return d;
  }

  vehicles(): number {
    let k = 0;
    for (const r of this.routes) if (r.nodes.length > 2) k++;
    return k;
  }

  unassigned(): number[] {
    const u: number[] = [];
    for (let r = 0; r < this.routeOf.length; r++) if (this.routeOf[r] < 0) u.push(r);
    return u;
  }

  insert(r: number, v: number, i: number, j: number): void {
    insertAt(this.m, this.routes[v], r, i, j);
    this.routeOf[r] = v;
  }

  /** Remove the given requests (any routes), updating each touched route once. */
  remove(reqs: number[]): void {
    const m = this.m;
    const touched = new Set<number>();
    const drop = new Set<number>();
    for (const r of reqs) {
      const v = this.routeOf[r];
      if (v < 0) continue;
      touched.add(v);
      drop.add(m.pick[r]);
      drop.add(m.deliv[r]);
      this.routeOf[r] = -1;
    }
    for (const v of touched) {
      const rt = this.routes[v];
      rt.nodes = rt.nodes.filter((x) => !drop.has(x));
      rt.update(m);
    }
  }

  /** Requests served by route v, in pickup order. */
  requestsOf(v: number): number[] {
    const out: number[] = [];
    const m = this.m;
    const nodes = this.routes[v].nodes;
    for (let k = 1; k < nodes.length - 1; k++) {
      const r = m.reqOfNode[nodes[k]];
      if (m.pick[r] === nodes[k]) out.push(r);
    }
    return out;
  }
}
