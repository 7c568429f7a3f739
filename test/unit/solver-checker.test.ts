import { describe, expect, it } from 'vitest';
import { checkLiLim, parseLiLim } from '../../bench/lilim-check.ts';

// depot at the origin; request 1->2 (demand 10) on the x axis, request 3->4 (demand 10) on the y axis
const TEXT = [
  '3\t15\t1',
  '0\t0\t0\t0\t0\t100\t0\t0\t0',
  '1\t10\t0\t10\t0\t100\t1\t0\t2',
  '2\t20\t0\t-10\t0\t100\t1\t1\t0',
  '3\t0\t10\t10\t0\t100\t1\t0\t4',
  '4\t0\t20\t-10\t0\t30\t1\t3\t0',
].join('\r\n');
const inst = parseLiLim('tiny', TEXT + '\r\n');

describe('Li & Lim reading and the independent feasibility checker', () => {
  it('reads the header, the nodes and the pickup/delivery pairs', () => {
    expect(inst.vehicles).toBe(3);
    expect(inst.capacity).toBe(15);
    expect(inst.nodes).toHaveLength(5);
    expect(inst.requests).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('accepts a feasible solution and recomputes its Euclidean distance', () => {
    const r = checkLiLim(inst, [
      [1, 2],
      [3, 4],
    ]);
    expect(r.errors).toEqual([]);
    expect(r.feasible).toBe(true);
    expect(r.vehicles).toBe(2);
    expect(r.distance).toBeCloseTo(80, 9);
  });

  it('rejects a request left out or served twice', () => {
    expect(checkLiLim(inst, [[1, 2]]).errors.join()).toMatch(/node 3 is not served/);
    expect(checkLiLim(inst, [[1, 2], [3, 4], [1, 2]]).errors.join()).toMatch(/more than once/);
  });

  it('rejects a delivery before its pickup, and a pair split over two routes', () => {
    expect(checkLiLim(inst, [[2, 1], [3, 4]]).errors.join()).toMatch(/delivery 2 is not preceded by its pickup 1/);
    const split = checkLiLim(inst, [[1, 4], [3, 2]]).errors.join();
    expect(split).toMatch(/delivery 4 is not preceded/);
    expect(split).toMatch(/pickup 1 without its delivery 2/);
  });

  it('rejects a load above the capacity', () => {
    // both pickups before both deliveries: load 20 > 15
    expect(checkLiLim(inst, [[1, 3, 2, 4]]).errors.join()).toMatch(/load 20 exceeds the capacity 15/);
  });

  it('rejects a negative load', () => {
    // the reader refuses unmatched demands, so alter a parsed copy
    const neg = { ...inst, nodes: inst.nodes.map((n) => (n.id === 2 ? { ...n, demand: -12 } : n)) };
    expect(checkLiLim(neg, [[1, 2], [3, 4]]).errors.join()).toMatch(/load -2 is negative/);
  });

  it('rejects service after the latest time, counting waiting and service time', () => {
    // 1 -> 2 -> 3 -> 4: node 4 is reached at 10+1+10+1+22.36+1+10 = 55.36 > 30
    expect(checkLiLim(inst, [[1, 2, 3, 4]]).errors.join()).toMatch(/node 4 served at 55\.36\d* after its latest 30/);
    const late = parseLiLim('late', TEXT.replace('1\t10\t0\t10\t0\t100', '1\t10\t0\t10\t90\t100'));
    // waiting at node 1 until 90, then 4 at 91+10+1+... -> the route is back after the depot closes
    expect(checkLiLim(late, [[1, 2], [3, 4]]).errors.join()).toMatch(/returns to the depot at 122\.0000 after 100/);
  });

  it('rejects more routes than vehicles, and non-task stops', () => {
    expect(checkLiLim(inst, [[1, 2], [3, 4]], 1).errors.join()).toMatch(/2 vehicles used, only 1 available/);
    expect(checkLiLim(inst, [[1, 2, 0], [3, 4]]).errors.join()).toMatch(/not a task node/);
  });
});
