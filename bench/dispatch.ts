/**
 * `npm run bench:dispatch [-- --set=100|200|all] [-- --time=SECONDS] [-- --only=lc101,lr1_2_1] [-- --seed=N] [-- --quick]`
 *
 * Solves the Li & Lim pickup-and-delivery instances (bench/data/lilim) with src/solver, checks every solution with
 * the independent checker in bench/lilim-check.ts, compares with the best-known results, prints a table and writes
 * bench/results/dispatch-latest.json. Exits non-zero when any solution is infeasible.
 *
 * Default time per instance: 10 s for the 100-task set, 30 s for the 200-task set. --quick solves a handful of
 * instances for about a second each (CI).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { solve, type Problem } from '../src/solver/index.ts';
import { checkLiLim, parseLiLim, type LiLimInstance } from './lilim-check.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = path.join(here, 'data', 'lilim');

interface Args {
  set: '100' | '200' | 'all';
  time?: number;
  only?: string[];
  seed: number;
  quick: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { set: '100', seed: 1, quick: false };
  let setGiven = false;
  for (const arg of argv) {
    const [k, v] = arg.replace(/^--/, '').split('=', 2);
    if (k === 'set') {
      if (v !== '100' && v !== '200' && v !== 'all') throw new Error('--set must be 100, 200 or all');
      a.set = v;
      setGiven = true;
    } else if (k === 'time') {
      a.time = Number(v);
      if (!(a.time > 0)) throw new Error('--time must be a positive number of seconds');
    } else if (k === 'only') a.only = (v ?? '').split(',').filter(Boolean);
    else if (k === 'seed') a.seed = Number(v) | 0;
    else if (k === 'quick') a.quick = true;
    else throw new Error(`unknown option ${arg}`);
  }
  if (a.only && !setGiven) a.set = 'all';
  return a;
}

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

interface Bks {
  vehicles: number;
  distance: number;
}

function readBks(): Map<string, Bks> {
  const out = new Map<string, Bks>();
  const lines = fs.readFileSync(path.join(dataDir, 'bks.csv'), 'utf8').split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (!line.trim()) continue;
    const [name, , veh, dist] = line.split(',');
    out.set(name, { vehicles: Number(veh), distance: Number(dist) });
  }
  return out;
}

export function toProblem(inst: LiLimInstance): Problem {
  return {
    nodes: inst.nodes.map((n) => ({
      x: n.x,
      y: n.y,
      demand: n.demand,
      earliest: n.earliest,
      latest: n.latest,
      service: n.service,
    })),
    requests: inst.requests.map(([pickup, delivery]) => ({ pickup, delivery })),
    vehicles: Array.from({ length: inst.vehicles }, () => ({ capacity: inst.capacity, start: 0, end: 0 })),
  };
}

interface Row {
  instance: string;
  size: number;
  vehicles: number;
  distance: number;
  bksVehicles: number | null;
  bksDistance: number | null;
  gapPercent: number | null;
  seconds: number;
  feasible: boolean;
  errors: string[];
  iterations: number;
  routeMinSteps: number;
}

const QUICK = ['lc101', 'lr101', 'lrc101', 'lr201', 'lrc204', 'lr1_2_1'];

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const bks = readBks();
  const sets: { size: number; dir: string }[] = [];
  if (args.set !== '200' || args.quick) sets.push({ size: 100, dir: 'pdp_100' });
  if (args.set !== '100' || args.quick) sets.push({ size: 200, dir: 'pdp_200' });
  const jobs: { name: string; size: number; file: string }[] = [];
  for (const s of sets) {
    const files = fs.readdirSync(path.join(dataDir, s.dir)).filter((f) => f.endsWith('.txt')).sort(natural);
    for (const f of files) jobs.push({ name: f.replace(/\.txt$/, ''), size: s.size, file: path.join(dataDir, s.dir, f) });
  }
  const wanted = args.only ?? (args.quick ? QUICK : undefined);
  const selected = wanted ? jobs.filter((j) => wanted.includes(j.name)) : jobs;
  if (wanted) {
    const missing = wanted.filter((w) => !jobs.some((j) => j.name === w));
    if (missing.length) throw new Error(`unknown instance(s): ${missing.join(', ')}`);
  }
  const timeFor = (size: number): number => (args.quick ? 1 : (args.time ?? (size === 100 ? 10 : 30)));

  console.log(`Li & Lim PDPTW, ${selected.length} instance(s), seed ${args.seed}, ${os.cpus().length} CPU(s), node ${process.version}`);
  const header = ['instance', 'veh', 'distance', 'bks veh', 'bks dist', 'gap %', 'time s', 'ok'];
  const widths = [10, 4, 10, 7, 10, 7, 7, 3];
  const fmt = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  console.log(fmt(header));
  const rows: Row[] = [];
  for (const job of selected) {
    const inst = parseLiLim(job.name, fs.readFileSync(job.file, 'utf8'));
    const problem = toProblem(inst);
    const t0 = performance.now();
    // 3 % of the allowance is left for compiling the problem and for scheduling delays on a busy machine
    const sol = solve(problem, { seed: args.seed, timeLimitMs: timeFor(job.size) * 970 });
    const seconds = (performance.now() - t0) / 1000;
    const routes = sol.routes.map((r) => r.stops);
    const check = checkLiLim(inst, routes);
    const errors = check.errors.slice(0, 5);
    if (sol.unassigned.length > 0) errors.push(`${sol.unassigned.length} request(s) reported unassigned`);
    if (Math.abs(check.distance - sol.distance) > 1e-6 * Math.max(1, check.distance)) {
      errors.push(`solver distance ${sol.distance} differs from the checker's ${check.distance}`);
    }
    const b = bks.get(job.name) ?? null;
    const gap = b && b.vehicles === check.vehicles ? ((check.distance - b.distance) / b.distance) * 100 : null;
    const row: Row = {
      instance: job.name,
      size: job.size,
      vehicles: check.vehicles,
      distance: Number(check.distance.toFixed(4)),
      bksVehicles: b?.vehicles ?? null,
      bksDistance: b?.distance ?? null,
      gapPercent: gap === null ? null : Number(gap.toFixed(3)),
      seconds: Number(seconds.toFixed(2)),
      feasible: errors.length === 0,
      errors,
      iterations: sol.iterations,
      routeMinSteps: sol.routeMinSteps,
    };
    rows.push(row);
    console.log(
      fmt([
        row.instance,
        String(row.vehicles),
        row.distance.toFixed(2),
        b ? String(b.vehicles) : '-',
        b ? b.distance.toFixed(2) : '-',
        gap === null ? (b && check.vehicles < b.vehicles ? 'fewer' : '-') : gap.toFixed(2),
        seconds.toFixed(1),
        row.feasible ? 'yes' : 'NO',
      ]),
    );
    for (const e of errors) console.log(`    ${e}`);
  }

  const summary = (size: number | null) => {
    const rs = rows.filter((r) => size === null || r.size === size);
    const matched = rs.filter((r) => r.gapPercent !== null);
    const withBks = rs.filter((r) => r.bksVehicles !== null);
    return {
      size,
      instances: rs.length,
      vehicles: rs.reduce((s, r) => s + r.vehicles, 0),
      bksVehicles: withBks.reduce((s, r) => s + (r.bksVehicles ?? 0), 0),
      distance: Number(rs.reduce((s, r) => s + r.distance, 0).toFixed(2)),
      matchingVehicleCount: matched.length,
      meanGapPercent: matched.length ? Number((matched.reduce((s, r) => s + (r.gapPercent ?? 0), 0) / matched.length).toFixed(3)) : null,
      maxGapPercent: matched.length ? Math.max(...matched.map((r) => r.gapPercent ?? 0)) : null,
      moreVehiclesThanBks: rs.filter((r) => r.bksVehicles !== null && r.vehicles > r.bksVehicles).length,
      infeasible: rs.filter((r) => !r.feasible).length,
      maxSeconds: rs.length ? Math.max(...rs.map((r) => r.seconds)) : 0,
      totalSeconds: Number(rs.reduce((s, r) => s + r.seconds, 0).toFixed(1)),
    };
  };
  const sizes = [...new Set(rows.map((r) => r.size))];
  const totals = sizes.map((s) => summary(s));
  console.log('');
  for (const t of totals) {
    console.log(
      `${t.size}-set: ${t.instances} instances, vehicles ${t.vehicles} (best-known ${t.bksVehicles}), ` +
        `mean gap ${t.meanGapPercent === null ? '-' : t.meanGapPercent.toFixed(2) + '%'} over ${t.matchingVehicleCount} with the best-known vehicle count ` +
        `(max ${t.maxGapPercent === null ? '-' : t.maxGapPercent.toFixed(2) + '%'}), ${t.moreVehiclesThanBks} with more vehicles, ` +
        `${t.infeasible} infeasible, max time ${t.maxSeconds.toFixed(1)} s`,
    );
  }
  const out = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    args,
    totals,
    rows,
  };
  const resultsDir = path.join(here, 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'dispatch-latest.json'), JSON.stringify(out, null, 2) + '\n');
  const bad = rows.filter((r) => !r.feasible).length;
  if (bad > 0) {
    console.error(`${bad} infeasible solution(s)`);
    process.exitCode = 1;
  }
}

main();
