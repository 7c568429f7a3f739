/**
 * Li & Lim PDPTW instances: reading, and an independent feasibility checker for solutions.
 *
 * Deliberately shares no code with src/solver: distances are recomputed from the coordinates (double-precision
 * Euclidean, travel time == distance) and every rule is checked from scratch, following the SINTEF conventions
 * (see bench/data/lilim/README.md).
 */

export interface LiLimNode {
  id: number;
  x: number;
  y: number;
  demand: number;
  earliest: number;
  latest: number;
  service: number;
  /** For a delivery: id of its pickup (0 otherwise). */
  pickupIdx: number;
  /** For a pickup: id of its delivery (0 otherwise). */
  deliveryIdx: number;
}

export interface LiLimInstance {
  name: string;
  vehicles: number;
  capacity: number;
  /** Node 0 is the depot. */
  nodes: LiLimNode[];
  /** [pickup id, delivery id] for every request, in pickup id order. */
  requests: [number, number][];
}

export function parseLiLim(name: string, text: string): LiLimInstance {
  const lines = text
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (lines.length < 2) throw new Error(`${name}: too short`);
  const head = lines[0].split(/\s+/).map(Number);
  if (head.length < 2 || head.some((v) => !Number.isFinite(v))) throw new Error(`${name}: bad first line`);
  const nodes: LiLimNode[] = [];
  for (let k = 1; k < lines.length; k++) {
    const c = lines[k].split(/\s+/).map(Number);
    if (c.length !== 9 || c.some((v) => !Number.isFinite(v))) throw new Error(`${name}: bad line ${k + 1}`);
    const [id, x, y, demand, earliest, latest, service, pickupIdx, deliveryIdx] = c;
    if (id !== nodes.length) throw new Error(`${name}: node ids are not contiguous at line ${k + 1}`);
    nodes.push({ id, x, y, demand, earliest, latest, service, pickupIdx, deliveryIdx });
  }
  const requests: [number, number][] = [];
  for (const p of nodes) {
    if (p.id === 0) continue;
    if (p.demand > 0) {
      const d = nodes[p.deliveryIdx];
      if (!d || d.pickupIdx !== p.id || d.demand !== -p.demand) throw new Error(`${name}: pickup ${p.id} has no matching delivery`);
      requests.push([p.id, d.id]);
    } else if (p.demand < 0) {
      const pk = nodes[p.pickupIdx];
      if (!pk || pk.deliveryIdx !== p.id) throw new Error(`${name}: delivery ${p.id} has no matching pickup`);
    } else throw new Error(`${name}: task node ${p.id} has demand 0`);
  }
  return { name, vehicles: head[0], capacity: head[1], nodes, requests };
}

export interface CheckResult {
  feasible: boolean;
  errors: string[];
  vehicles: number;
  distance: number;
}

/**
 * Check a solution given as routes of node ids (without the depot at either end). Empty routes are ignored.
 * `maxVehicles` (default: the instance's K) bounds the number of non-empty routes.
 */
export function checkLiLim(inst: LiLimInstance, routes: number[][], maxVehicles = inst.vehicles): CheckResult {
  const errors: string[] = [];
  const nodes = inst.nodes;
  const depot = nodes[0];
  const dist = (a: LiLimNode, b: LiLimNode): number => Math.sqrt((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y));
  const TOL = 1e-7;
  const seen = new Map<number, number>();
  let total = 0;
  let used = 0;
  routes.forEach((route, ri) => {
    if (route.length === 0) return;
    used++;
    let prev = depot;
    let depart = depot.earliest;
    let load = 0;
    const position = new Map<number, number>();
    route.forEach((id, k) => {
      const node = nodes[id];
      if (!node || id === 0) {
        errors.push(`route ${ri}: stop ${k} is not a task node (${id})`);
        return;
      }
      if (seen.has(id)) errors.push(`node ${id} is visited more than once`);
      seen.set(id, ri);
      position.set(id, k);
      const d = dist(prev, node);
      total += d;
      const arrival = Math.max(depart + d, node.earliest);
      if (arrival > node.latest + TOL) errors.push(`route ${ri}: node ${id} served at ${arrival.toFixed(4)} after its latest ${node.latest}`);
      depart = arrival + node.service;
      load += node.demand;
      if (load > inst.capacity + TOL) errors.push(`route ${ri}: load ${load} exceeds the capacity ${inst.capacity} after node ${id}`);
      if (load < -TOL) errors.push(`route ${ri}: load ${load} is negative after node ${id}`);
      if (node.demand < 0) {
        const pk = node.pickupIdx;
        const at = position.get(pk);
        if (at === undefined) errors.push(`route ${ri}: delivery ${id} is not preceded by its pickup ${pk} on the same route`);
      }
      prev = node;
    });
    const back = dist(prev, depot);
    total += back;
    if (depart + back > depot.latest + TOL) errors.push(`route ${ri}: returns to the depot at ${(depart + back).toFixed(4)} after ${depot.latest}`);
    for (const id of route) {
      const node = nodes[id];
      if (node && node.demand > 0 && !position.has(node.deliveryIdx)) {
        errors.push(`route ${ri}: pickup ${id} without its delivery ${node.deliveryIdx} on the same route`);
      }
    }
  });
  for (const node of nodes) {
    if (node.id !== 0 && !seen.has(node.id)) errors.push(`node ${node.id} is not served`);
  }
  if (used > maxVehicles) errors.push(`${used} vehicles used, only ${maxVehicles} available`);
  return { feasible: errors.length === 0, errors, vehicles: used, distance: total };
}
