import type { Problem, TravelMetric } from './types.ts';

/**
 * The problem compiled into flat typed arrays. Distances and times are read once from the metric into n x n
 * matrices. When some vehicle has an open end, one extra virtual node (index `openEnd`) stands for "wherever the
 * route stops": every arc into it costs nothing.
 */
export interface Model {
  n: number;
  D: Float64Array;
  T: Float64Array;
  e: Float64Array;
  l: Float64Array;
  s: Float64Array;
  q: Float64Array;
  x: Float64Array;
  y: Float64Array;
  nReq: number;
  pick: Int32Array;
  deliv: Int32Array;
  reqOfNode: Int32Array;
  nVeh: number;
  vStart: Int32Array;
  vEnd: Int32Array;
  vCap: Float64Array;
  vT0: Float64Array;
  vTEnd: Float64Array;
  vMaxStops: Float64Array;
  /** Vehicles with equal class are interchangeable (same start, end, capacity, times, stop limit). */
  vClass: Int32Array;
  openEnd: number;
  maxDist: number;
  maxTime: number;
}

export function euclideanMetric(nodes: { x?: number; y?: number }[], speed = 1): TravelMetric {
  const xs = nodes.map((p, i) => {
    if (typeof p.x !== 'number' || typeof p.y !== 'number') throw new Error(`node ${i} has no coordinates`);
    return p.x;
  });
  const ys = nodes.map((p) => p.y as number);
  return {
    dist: (i, j) => Math.sqrt((xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2),
    time: (i, j) => Math.sqrt((xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2) / speed,
  };
}

/** A metric over precomputed row-major n x n matrices (e.g. an OSRM table). */
export function matrixMetric(n: number, distances: ArrayLike<number>, times: ArrayLike<number> = distances): TravelMetric {
  if (distances.length < n * n || times.length < n * n) throw new Error('matrix smaller than n x n');
  return { dist: (i, j) => distances[i * n + j], time: (i, j) => times[i * n + j] };
}

export function compile(problem: Problem): Model {
  const nodes = problem.nodes;
  const n0 = nodes.length;
  if (n0 === 0) throw new Error('problem has no nodes');
  const metric = problem.metric ?? euclideanMetric(nodes);
  const anyOpen = problem.vehicles.some((v) => v.end === 'open');
  const n = anyOpen ? n0 + 1 : n0;
  const openEnd = anyOpen ? n0 : -1;
  const D = new Float64Array(n * n);
  const T = new Float64Array(n * n);
  let maxDist = 0;
  let maxTime = 0;
  for (let i = 0; i < n0; i++) {
    for (let j = 0; j < n0; j++) {
      if (i === j) continue;
      const d = metric.dist(i, j);
      const t = metric.time(i, j);
      if (!(d >= 0) || !(t >= 0) || !Number.isFinite(d) || !Number.isFinite(t)) {
        throw new Error(`metric gives an invalid value from ${i} to ${j}`);
      }
      D[i * n + j] = d;
      T[i * n + j] = t;
      if (d > maxDist) maxDist = d;
      if (t > maxTime) maxTime = t;
    }
  }
  const e = new Float64Array(n);
  const l = new Float64Array(n);
  const s = new Float64Array(n);
  const q = new Float64Array(n);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  nodes.forEach((p, i) => {
    if (!(p.earliest <= p.latest)) throw new Error(`node ${i} has an empty time window`);
    e[i] = p.earliest;
    l[i] = p.latest;
    s[i] = p.service;
    q[i] = p.demand;
    x[i] = p.x ?? 0;
    y[i] = p.y ?? 0;
  });
  if (anyOpen) {
    e[openEnd] = -Infinity;
    l[openEnd] = Infinity;
  }
  const nReq = problem.requests.length;
  const pick = new Int32Array(nReq);
  const deliv = new Int32Array(nReq);
  const reqOfNode = new Int32Array(n).fill(-1);
  problem.requests.forEach((r, k) => {
    for (const v of [r.pickup, r.delivery]) {
      if (!Number.isInteger(v) || v < 0 || v >= n0) throw new Error(`request ${k} names a missing node`);
      if (reqOfNode[v] !== -1) throw new Error(`node ${v} belongs to two requests`);
      reqOfNode[v] = k;
    }
    if (r.pickup === r.delivery) throw new Error(`request ${k} picks up and delivers at the same node`);
    pick[k] = r.pickup;
    deliv[k] = r.delivery;
  });
  const nVeh = problem.vehicles.length;
  const vStart = new Int32Array(nVeh);
  const vEnd = new Int32Array(nVeh);
  const vCap = new Float64Array(nVeh);
  const vT0 = new Float64Array(nVeh);
  const vTEnd = new Float64Array(nVeh);
  const vMaxStops = new Float64Array(nVeh);
  const vClass = new Int32Array(nVeh);
  const classes = new Map<string, number>();
  problem.vehicles.forEach((v, k) => {
    if (v.fixed && v.fixed.length > 0) throw new Error('fixed route prefixes are not supported yet');
    if (!Number.isInteger(v.start) || v.start < 0 || v.start >= n0) throw new Error(`vehicle ${k} starts at a missing node`);
    if (v.end !== 'open' && (!Number.isInteger(v.end) || v.end < 0 || v.end >= n0)) {
      throw new Error(`vehicle ${k} ends at a missing node`);
    }
    if (reqOfNode[v.start] !== -1 || (v.end !== 'open' && reqOfNode[v.end] !== -1)) {
      throw new Error(`vehicle ${k} starts or ends at a request's node`);
    }
    vStart[k] = v.start;
    vEnd[k] = v.end === 'open' ? openEnd : v.end;
    vCap[k] = v.capacity;
    vT0[k] = v.startTime ?? nodes[v.start].earliest;
    vTEnd[k] = v.endTime ?? (v.end === 'open' ? Infinity : nodes[v.end].latest);
    vMaxStops[k] = v.maxStops ?? Infinity;
    const key = [vStart[k], vEnd[k], vCap[k], vT0[k], vTEnd[k], vMaxStops[k]].join(',');
    let c = classes.get(key);
    if (c === undefined) classes.set(key, (c = classes.size));
    vClass[k] = c;
  });
  return {
    n, D, T, e, l, s, q, x, y, nReq, pick, deliv, reqOfNode, nVeh, vStart, vEnd, vCap, vT0, vTEnd, vMaxStops, vClass,
    openEnd, maxDist, maxTime,
  };
}
