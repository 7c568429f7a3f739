import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLiLim, parseLiLim, type LiLimInstance } from '../../bench/lilim-check.ts';
import { solve, type Problem, type SolveProgress } from '../../src/solver/index.ts';

const DATA = path.join(import.meta.dirname, '../../bench/data/lilim');
const load = (set: string, name: string) => parseLiLim(name, fs.readFileSync(path.join(DATA, set, `${name}.txt`), 'utf8'));

function toProblemForTest(inst: LiLimInstance): Problem {
  return {
    nodes: inst.nodes.map(({ x, y, demand, earliest, latest, service }) => ({ x, y, demand, earliest, latest, service })),
    requests: inst.requests.map(([pickup, delivery]) => ({ pickup, delivery })),
    vehicles: Array.from({ length: inst.vehicles }, () => ({ capacity: inst.capacity, start: 0, end: 0 })),
  };
}

/** Depot at the origin plus the given stops; Euclidean metric, time == distance. */
function line(
  stops: { x: number; y?: number; demand: number; earliest?: number; latest?: number; service?: number }[],
  pairs: [number, number][],
  vehicles: Problem['vehicles'],
  horizon = 1000,
): Problem {
  return {
    nodes: [
      { x: 0, y: 0, demand: 0, earliest: 0, latest: horizon, service: 0 },
      ...stops.map((s) => ({
        x: s.x,
        y: s.y ?? 0,
        demand: s.demand,
        earliest: s.earliest ?? 0,
        latest: s.latest ?? horizon,
        service: s.service ?? 0,
      })),
    ],
    requests: pairs.map(([pickup, delivery]) => ({ pickup, delivery })),
    vehicles,
  };
}

describe('pickup-and-delivery solver', () => {
  it('solves lc101 (a real Li & Lim instance) to a checker-feasible solution with the best-known fleet', () => {
    const inst = load('pdp_100', 'lc101');
    const sol = solve(toProblemForTest(inst), { seed: 3, maxIterations: 400 });
    const check = checkLiLim(
      inst,
      sol.routes.map((r) => r.stops),
    );
    expect(check.errors).toEqual([]);
    expect(sol.unassigned).toEqual([]);
    expect(check.vehicles).toBe(10);
    expect(sol.distance).toBeCloseTo(check.distance, 6);
    // best known 828.94; a few hundred iterations get within a few per cent
    expect(check.distance).toBeLessThan(828.94 * 1.05);
  });

  it('keeps every pickup before its delivery on the same route, and reports consistent arrival times', () => {
    const inst = load('pdp_100', 'lr101');
    const sol = solve(toProblemForTest(inst), { seed: 5, maxIterations: 150 });
    const seen = new Set<number>();
    for (const r of sol.routes) {
      const at = new Map(r.stops.map((s, k) => [s, k]));
      for (const [p, d] of inst.requests) {
        if (at.has(p) || at.has(d)) {
          expect(at.has(p) && at.has(d)).toBe(true);
          expect(at.get(p)!).toBeLessThan(at.get(d)!);
        }
      }
      r.stops.forEach((s, k) => {
        seen.add(s);
        expect(r.arrivals[k]).toBeGreaterThanOrEqual(inst.nodes[s].earliest);
        expect(r.arrivals[k]).toBeLessThanOrEqual(inst.nodes[s].latest + 1e-9);
      });
    }
    expect(seen.size).toBe(inst.nodes.length - 1);
    expect(checkLiLim(inst, sol.routes.map((r) => r.stops)).feasible).toBe(true);
  });

  it('is deterministic for a seed when bounded by iterations', () => {
    const problem = toProblemForTest(load('pdp_100', 'lrc102'));
    const a = solve(problem, { seed: 11, maxIterations: 200 });
    const b = solve(problem, { seed: 11, maxIterations: 200 });
    expect(b.routes).toEqual(a.routes);
    expect(b.distance).toBe(a.distance);
    expect(a.iterations).toBe(200);
  });

  it('finds the known optimum of tiny instances', () => {
    // one vehicle can chain both requests along the x axis: 0 -> 1 -> 2 -> 3 -> 4 -> 0 = 8
    const chain = line(
      [
        { x: 1, demand: 5 },
        { x: 2, demand: -5 },
        { x: 3, demand: 5 },
        { x: 4, demand: -5 },
      ],
      [
        [1, 2],
        [3, 4],
      ],
      [0, 1, 2].map(() => ({ capacity: 5, start: 0, end: 0 })),
    );
    const s1 = solve(chain, { seed: 1, maxIterations: 50 });
    expect(s1.vehicles).toBe(1);
    expect(s1.distance).toBeCloseTo(8, 9);
    expect(s1.routes[0].stops).toEqual([1, 2, 3, 4]);

    // precedence: the pickup lies beyond its delivery, so the vehicle overshoots and comes back: 2 + 1 + 1 = 4
    const back = line(
      [
        { x: 2, demand: 1 },
        { x: 1, demand: -1 },
      ],
      [[1, 2]],
      [{ capacity: 1, start: 0, end: 0 }],
    );
    const s2 = solve(back, { seed: 1, maxIterations: 20 });
    expect(s2.routes[0].stops).toEqual([1, 2]);
    expect(s2.distance).toBeCloseTo(4, 9);

    // both deliveries are due at time 2, on opposite sides: two vehicles are needed, 4 + 4 = 8
    const split = line(
      [
        { x: 1, demand: 1 },
        { x: 2, demand: -1, latest: 2 },
        { x: -1, demand: 1 },
        { x: -2, demand: -1, latest: 2 },
      ],
      [
        [1, 2],
        [3, 4],
      ],
      [0, 1, 2].map(() => ({ capacity: 10, start: 0, end: 0 })),
    );
    const s3 = solve(split, { seed: 1, maxIterations: 50 });
    expect(s3.vehicles).toBe(2);
    expect(s3.distance).toBeCloseTo(8, 9);
  });

  it('honours open routes, stop limits, vehicle start times, and leaves impossible requests unassigned', () => {
    const stops = [
      { x: 1, demand: 1 },
      { x: 2, demand: -1 },
      { x: 3, demand: 1 },
      { x: 4, demand: -1 },
    ];
    const pairs: [number, number][] = [
      [1, 2],
      [3, 4],
    ];
    const open = solve(line(stops, pairs, [{ capacity: 5, start: 0, end: 'open' }]), { seed: 1, maxIterations: 30 });
    expect(open.routes[0].stops).toEqual([1, 2, 3, 4]);
    expect(open.distance).toBeCloseTo(4, 9);

    const limited = solve(
      line(stops, pairs, [0, 1].map(() => ({ capacity: 5, start: 0, end: 0, maxStops: 2 }))),
      { seed: 1, maxIterations: 30 },
    );
    expect(limited.vehicles).toBe(2);
    expect(limited.distance).toBeCloseTo(4 + 8, 9);

    // a vehicle available only from t = 10 cannot deliver by t = 5
    const late = line(
      [
        { x: 1, demand: 1 },
        { x: 2, demand: -1, latest: 5 },
      ],
      [[1, 2]],
      [{ capacity: 5, start: 0, end: 0, startTime: 10 }],
    );
    const s = solve(late, { seed: 1, maxIterations: 10 });
    expect(s.unassigned).toEqual([0]);
    expect(s.routes).toEqual([]);
  });

  it('reports progress, stops when cancelled, and refuses fixed prefixes it cannot honour yet', () => {
    const problem = toProblemForTest(load('pdp_100', 'lc201'));
    const seen: SolveProgress[] = [];
    let polls = 0;
    const sol = solve(problem, {
      seed: 2,
      timeLimitMs: 60_000,
      onProgress: (p) => seen.push(p),
      shouldCancel: () => ++polls > 200,
    });
    expect(sol.cancelled).toBe(true);
    expect(sol.elapsedMs).toBeLessThan(30_000);
    expect(sol.unassigned).toEqual([]);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen[seen.length - 1].fraction).toBe(1);
    for (let k = 1; k < seen.length; k++) expect(seen[k].fraction).toBeGreaterThanOrEqual(seen[k - 1].fraction);

    const fixed = { ...problem, vehicles: problem.vehicles.map((v, k) => (k === 0 ? { ...v, fixed: [1] } : v)) };
    expect(() => solve(fixed, { maxIterations: 1 })).toThrow(/fixed route prefixes/);
  });
});
