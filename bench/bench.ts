/**
 * `npm run bench [-- --quick] [-- --only=sqlite|postgres]`
 *
 * Starts Baton as its own process on a fresh database (SQLite, and PostgreSQL when DATABASE_URL or
 * the local server at 127.0.0.1:5432 is reachable), measures each scenario against the ceilings of
 * the same machine in the same run, prints a table and writes bench/results/latest.json.
 * --quick runs everything briefly and checks only that it ran (CI); full runs are for people.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { CompiledQuery, sql } from 'kysely';
import { openDb, type DbHandle } from '../src/server/db/database.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { newId } from '../src/server/lib/ids.ts';

/** Short ids for rows the benchmark writes itself: sequential from a random start, so they never collide. */
let shortSeq = crypto.randomInt(0, 2 ** 31);
/** short ids Baton itself already gave out (random ones), which the sequence must step over */
const takenShortIds = new Set<string>();
const newShortId = () => {
  for (;;) {
    const id = (shortSeq++ % 2 ** 32).toString(16).padStart(8, '0');
    if (!takenShortIds.has(id)) return id;
  }
};

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const DURATION = Number(process.argv.find((a) => a.startsWith('--duration='))?.slice('--duration='.length) ?? (quick ? 2 : 15));
/** --scenarios=intake,tracking,lists,live runs only those (the ceilings always run) */
const picked = process.argv.find((a) => a.startsWith('--scenarios='))?.slice('--scenarios='.length).split(',');
const wants = (s: string) => !picked || picked.includes(s);
const CONNECTIONS = 50;
/** The list scenarios measure latency at a busy office's load (a dispatcher or shop per connection), not at saturation. */
const LIST_CONNECTIONS = 10;
const PG_URL = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  scenario: string;
  database: string;
  throughput: number;
  p50: number;
  /** the exact 95th percentile, for the scenarios whose floor names it */
  p95?: number;
  p99: number;
  /** the whole run's p99, first answers of every connection included (p50/p95/p99 are once the load is steady) */
  p99WholeRun?: number;
  peakRssMb: number | null;
  ceiling: string | null;
  ceilingThroughput: number | null;
  ratio: number | null;
  floor: string;
  met: boolean | null;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Peak resident memory of a process so far (VmHWM), in MB. */
function peakRssMb(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

async function waitFor(url: string, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function pgAvailable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function freshSchema(): Promise<{ url: string; schema: string; drop: () => Promise<void> }> {
  const schema = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`create schema ${schema}`);
  await c.end();
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    schema,
    drop: async () => {
      const d = new pg.Client({ connectionString: PG_URL });
      await d.connect();
      await d.query(`drop schema if exists ${schema} cascade`);
      await d.end();
    },
  };
}

/** CPU seconds the load generator (this process) used in the last `load` run. */
let loadGeneratorCpu = 0;
/** CPU seconds the whole machine was busy during the last `load` run. */
let machineCpu = 0;

/** Runs one load and notes the CPU the load generator and the whole machine used meanwhile. */
async function measured<R extends autocannon.Result>(run: () => Promise<R>): Promise<R> {
  const cpu0 = process.cpuUsage();
  const machine0 = machineCpuSeconds();
  try {
    return await run();
  } finally {
    const used = process.cpuUsage(cpu0);
    loadGeneratorCpu = (used.user + used.system) / 1e6;
    machineCpu = machineCpuSeconds() - machine0;
  }
}

/**
 * A load run's result, with its latency (ms) once the load is steady: the answers after every
 * connection has had its first one. A Node server accepts one new connection per turn of its event
 * loop (`strace` shows one `accept4` per `epoll_pwait`), so when the load generator opens all its
 * connections at once and the first few keep the server busy, the k-th connection waits about k
 * turns for its first answer: up to ~2 s for the last of 50 during order intake, a startup effect of
 * the load generator (a courier's integration keeps its connections open) that alone was enough to
 * set the p99 of a 10-second run. The whole run's percentiles stay in `latency` (autocannon's
 * summary) and the whole run's p99 is printed beside the steady one. Every answer's latency is kept,
 * which also gives the exact p95 the list floors name (autocannon's summary has p90 and p97.5).
 */
type LoadResult = autocannon.Result & { steady: Steady };
interface Steady {
  p50: number;
  p95: number;
  p99: number;
  /** answers counted (after every connection's first) */
  answers: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Notes each answer's time, latency and connection. */
class Answers {
  private readonly at: number[] = [];
  private readonly latency: number[] = [];
  private readonly firstAt = new Map<unknown, number>();

  listen(inst: { on(event: 'response', f: (client: unknown, status: number, bytes: number, responseTime: number) => void): unknown }) {
    inst.on('response', (client, _status, _bytes, responseTime) => {
      const now = performance.now();
      if (!this.firstAt.has(client)) this.firstAt.set(client, now);
      this.at.push(now);
      this.latency.push(responseTime);
    });
  }

  steady(): Steady {
    const from = Math.max(...this.firstAt.values());
    const kept = this.latency.filter((_, i) => this.at[i] > from).sort((a, b) => a - b);
    return { p50: percentile(kept, 50), p95: percentile(kept, 95), p99: percentile(kept, 99), answers: kept.length };
  }
}

/** Steady latency and the whole run's, for the log. */
function latencyLine(r: LoadResult): string {
  const ms = (v: number) => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
  return `once steady p50 ${ms(r.steady.p50)}, p95 ${ms(r.steady.p95)}, p99 ${ms(r.steady.p99)} (${r.steady.answers} answers); whole run p99 ${ms(r.latency.p99)}, max ${ms(r.latency.max)} (${r.requests.total} answers)`;
}

function load(opts: autocannon.Options): Promise<LoadResult> {
  return measured(
    () =>
      new Promise((resolve, reject) => {
        const answers = new Answers();
        const inst = autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, res) => {
          if (err) return reject(err);
          resolve(Object.assign(res, { steady: answers.steady() }));
        });
        answers.listen(inst as never);
        autocannon.track(inst, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
      }),
  );
}

/**
 * Load where every connection walks the same requests from its own starting point: one
 * autocannon instance per connection (within one instance all connections walk the list in step,
 * so they would all ask for the same page at the same moment). Aggregated as one run.
 */
function loadSpread(url: string, requests: autocannon.Request[]): Promise<LoadResult> {
  return measured(async () => {
    const opts = { url, connections: 1, duration: DURATION, skipAggregateResult: true };
    const answers = new Answers();
    const runs = await Promise.all(
      Array.from({ length: CONNECTIONS }, (_, i) => {
        const k = Math.floor((i * requests.length) / CONNECTIONS);
        const inst = autocannon({ ...opts, requests: [...requests.slice(k), ...requests.slice(0, k)] });
        answers.listen(inst as never);
        return inst;
      }),
    );
    // (missing from the type definitions; documented in autocannon's README)
    const { aggregateResult } = autocannon as unknown as { aggregateResult(results: autocannon.Result[], opts: autocannon.Options): autocannon.Result };
    const r = aggregateResult(runs, { ...opts, connections: CONNECTIONS });
    // the aggregate leaves the per-second average out: answers over the run's length
    r.requests.average = r.requests.total / r.duration;
    return Object.assign(r, { steady: answers.steady() });
  });
}

/** The HTTP ceiling: a bare Fastify route answering a small JSON body, in its own process. */
async function httpCeiling(label = 'HTTP ceiling'): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', `const f=require('fastify')({logger:false});f.get('/',async()=>({ok:true}));f.listen({port:${port},host:'127.0.0.1'});`], { cwd: ROOT, stdio: 'ignore' });
  try {
    await waitFor(`http://127.0.0.1:${port}/`);
    const cpu0 = cpuSeconds(child.pid!);
    const r = await load({ url: `http://127.0.0.1:${port}/` });
    console.log(`  ${label}: ${Math.round(r.requests.average)} requests/s, ${cpuPerRequest(cpuSeconds(child.pid!) - cpu0, r)}`);
    return r.requests.average;
  } finally {
    child.kill();
  }
}

/** A stored task row of an order (the benchmark writes rows straight through the driver). */
function taskRow(courierId: string, clientOrgId: string, id: string, orderId: string | null, shortId: string | null, pickup: boolean, now: number, state = 0) {
  return {
    id,
    short_id: newShortId(),
    organization_id: courierId,
    merchant_id: clientOrgId,
    executor_id: courierId,
    creator_id: null,
    order_id: orderId,
    order_short_id: shortId,
    pickup_task: pickup ? 1 : 0,
    state,
    container_type: 'ORGANIZATION',
    container_id: courierId,
    worker_id: null,
    worker_position: null,
    complete_after: null,
    complete_before: null,
    destination: JSON.stringify({
      id: newId(),
      address: { number: '1', street: 'Ceiling St', apartment: '', city: 'San Francisco', state: 'CA', postalCode: '94103', country: 'US', name: '', unparsed: '' },
      notes: '',
      warnings: [],
    }),
    location_lng: -122.4,
    location_lat: 37.78,
    address_text: '1 Ceiling St',
    recipients: '[]',
    recipient_name: null,
    notes: '',
    quantity: 0,
    service_time: 0,
    metadata: '[]',
    requirements: '{}',
    completion: null,
    completion_success: null,
    feedback: '[]',
    tracking_viewed: 0,
    eta: null,
    time_started: null,
    time_completed: null,
    time_created: now,
    time_last_modified: now,
    geocode_attempts: 0,
    geocode_next_at: null,
  };
}

/** The database ceiling: one order and its two tasks per transaction, straight through the driver, same concurrency. */
async function databaseCeiling(handle: DbHandle, courierId: string, clientId: string, clientOrgId: string): Promise<number> {
  const { db } = handle;
  const end = Date.now() + DURATION * 1000;
  let count = 0;
  const task = (id: string, orderId: string, shortId: string, pickup: boolean, now: number) => taskRow(courierId, clientOrgId, id, orderId, shortId, pickup, now);
  const worker = async () => {
    while (Date.now() < end) {
      const now = Date.now();
      const orderId = newId();
      const shortId = newShortId();
      const pickupId = newId();
      const dropoffId = newId();
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('tasks').values([task(pickupId, orderId, shortId, true, now), task(dropoffId, orderId, shortId, false, now)] as never).execute();
        await trx.insertInto('task_dependencies').values({ task_id: dropoffId, depends_on_id: pickupId }).execute();
        await trx
          .insertInto('orders')
          .values({ id: orderId, short_id: shortId, courier_id: courierId, client_id: clientId, client_org_id: clientOrgId, pickup_task_id: pickupId, dropoff_task_id: dropoffId, status: 'unassigned', metadata: '[]', search_text: shortId, rejection: null, created_by: null, time_created: now, time_last_modified: now })
          .execute();
      });
      count++;
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return count / ((Date.now() - started) / 1000);
}

const SEARCH_WORDS = ['Maple', 'Cedar', 'Birch', 'Willow', 'Aspen', 'Elm', 'Oak', 'Pine', 'Rowan', 'Hazel'];

/**
 * Loads `orders` orders (each with its two tasks) for one client and `tasks` more tasks of the courier,
 * in large multi-row inserts. Returns the seconds it took, in all and for the tasks alone.
 */
async function bulkLoad(handle: DbHandle, s: Setup, orders: number, tasks: number): Promise<{ seconds: number; taskSeconds: number }> {
  const { db } = handle;
  const started = Date.now();
  for (const r of await db.selectFrom('tasks').select('short_id').execute()) takenShortIds.add(r.short_id);
  for (const r of await db.selectFrom('orders').select('short_id').execute()) takenShortIds.add(r.short_id);
  const base = Date.now() - 30 * 86_400_000;
  const rowsPerInsert = handle.dialect === 'sqlite' ? 200 : 5000;
  const insert = async (trx: typeof db, table: 'tasks' | 'task_dependencies' | 'orders', rows: Array<Record<string, unknown>>) => {
    if (handle.dialect === 'postgres') await insertColumns(trx, table, rows);
    else await trx.insertInto(table).values(rows as never).execute();
  };
  let made = 0;
  while (made < orders) {
    const n = Math.min(5000, orders - made);
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += rowsPerInsert) {
        const m = Math.min(rowsPerInsert, n - i);
        const orderRows = [];
        const taskRows = [];
        const deps = [];
        for (let j = 0; j < m; j++) {
          const k = made + i + j;
          const now = base + k * 10;
          const orderId = newId();
          const shortId = newShortId();
          const pickupId = newId();
          const dropoffId = newId();
          const word = SEARCH_WORDS[k % SEARCH_WORDS.length];
          taskRows.push(taskRow(s.courierId, s.clientOrgId, pickupId, orderId, shortId, true, now, 3), taskRow(s.courierId, s.clientOrgId, dropoffId, orderId, shortId, false, now, k % 4));
          deps.push({ task_id: dropoffId, depends_on_id: pickupId });
          orderRows.push({ id: orderId, short_id: shortId, courier_id: s.courierId, client_id: s.clientId, client_org_id: s.clientOrgId, pickup_task_id: pickupId, dropoff_task_id: dropoffId, status: 'unassigned', metadata: '[]', search_text: `${shortId} | ${k} ${word} street | recipient ${word.toLowerCase()} ${k}`.toLowerCase(), rejection: null, created_by: null, time_created: now, time_last_modified: now });
        }
        await insert(trx, 'tasks', taskRows);
        await insert(trx, 'task_dependencies', deps);
        await insert(trx, 'orders', orderRows);
      }
    });
    made += n;
  }
  const tasksStarted = Date.now();
  made = 0;
  while (made < tasks) {
    const n = Math.min(20_000, tasks - made);
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i += rowsPerInsert) {
        const m = Math.min(rowsPerInsert, n - i);
        const rows = Array.from({ length: m }, (_, j) => {
          const k = made + i + j;
          // spread over the last 30 days, so that the list's date filter lands among them
          return taskRow(s.courierId, s.courierId, newId(), null, null, false, base + Math.floor((k * 30 * 86_400_000) / tasks), k % 4);
        });
        await insert(trx, 'tasks', rows);
      }
    });
    made += n;
  }
  if (handle.dialect === 'postgres') await sql`analyze`.execute(db);
  return { seconds: (Date.now() - started) / 1000, taskSeconds: (Date.now() - tasksStarted) / 1000 };
}

/**
 * PostgreSQL: `rows` in one statement of one array per column (`insert … select from unnest(…)`). A
 * VALUES list of thousands of rows binds tens of thousands of parameters and plans as many expressions;
 * 38 arrays cost PostgreSQL a fraction of that (100,000 tasks: 9.8 s against 14.0 s with 500-row VALUES
 * lists, on a machine where `insert … select` from generated rows took 5.2 s).
 */
async function insertColumns(db: DbHandle['db'], table: string, rows: Array<Record<string, unknown>>) {
  if (rows.length === 0) return;
  let types = columnTypes.get(table);
  if (!types) {
    const r = await sql<{ name: string; type: string }>`select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`.execute(db);
    types = new Map(r.rows.map((c) => [c.name, c.type]));
    columnTypes.set(table, types);
  }
  const columns = Object.keys(rows[0]);
  const text = `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${types!.get(c)}[]`).join(', ')})`;
  await db.executeQuery(CompiledQuery.raw(text, columns.map((c) => rows.map((row) => row[c] ?? null))));
}
const columnTypes = new Map<string, Map<string, string>>();

interface Setup {
  url: string;
  courierKey: string;
  clientKey: string;
  courierId: string;
  clientId: string;
  clientOrgId: string;
}

async function api(base: string, key: string | null, method: string, p: string, body?: unknown, cookie?: string) {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  if (cookie) Object.assign(headers, { cookie, origin: base });
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return { body: text ? JSON.parse(text) : null, setCookie: res.headers.getSetCookie() };
}

/** The Node options `npm start` gives the server (package.json), so the benchmark runs what users run. */
const START_NODE_ARGS: string[] = (() => {
  const start: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.start;
  const words = start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1, words.indexOf('bin/baton.mjs'));
})();

async function startBaton(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; setup: Setup }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fullEnv = { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: url, RATE_LIMITS: 'off', LOG_LEVEL: 'warn', WEB_DIR: path.join(ROOT, 'dist/web') };
  const org = await new Promise<{ organizationId: string; apiKey: string }>((resolve, reject) => {
    const c = spawn(process.execPath, ['bin/baton.mjs', 'org', 'create', '--name', 'Bench Couriers', '--email', `bench.${Date.now()}@example.test`, '--password', 'bench password 123', '--api-key', '--json'], { cwd: ROOT, env: fullEnv });
    let out = '';
    c.stdout.on('data', (d) => (out += d));
    c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`org create failed (${code})`))));
  });
  const child = spawn(process.execPath, [...START_NODE_ARGS, ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), 'bin/baton.mjs', 'start'], { cwd: ROOT, env: fullEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitFor(`${url}/health`);
  const courierKey = org.apiKey;
  const email = `bench.client.${Date.now()}@example.test`;
  const client = (await api(url, courierKey, 'POST', '/api/v2/clients', { name: 'Bench Client', email })).body;
  await api(url, courierKey, 'POST', `/api/v2/clients/${client.id}/invite`);
  let link: string | undefined;
  for (let i = 0; i < 50 && !link; i++) {
    const outbox = (await api(url, courierKey, 'GET', '/api/v2/outbox')).body;
    link = outbox.messages.flatMap((m: { links: string[] }) => m.links).find((l: string) => l.includes('/invite/'));
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  const token = decodeURIComponent(new URL(link!).pathname.slice('/invite/'.length));
  const accepted = await api(url, null, 'POST', `/api/v2/invitations/${encodeURIComponent(token)}/accept`, { name: 'Bench Client Admin', password: 'bench password 123' });
  const cookie = accepted.setCookie.map((c) => c.split(';')[0]).find((c) => c.startsWith('baton_session='))!;
  const clientKey = (await api(url, null, 'POST', '/api/v2/apiKeys', { name: 'bench' }, cookie)).body.key;
  return { child, url, setup: { url, courierKey, clientKey, courierId: org.organizationId, clientId: client.id, clientOrgId: accepted.body.organization.id } };
}

/** The server's CPU time per answered request during a load run (steadier than req/s on a shared machine). */
function cpuPerRequest(cpuSecondsUsed: number, r: autocannon.Result): string {
  const answered = r.requests.total || 1;
  const share = (seconds: number) => `${Math.round((seconds / r.duration) * 100)} % of one core`;
  return `server CPU ${((cpuSecondsUsed * 1e6) / answered).toFixed(0)} µs per request (${share(cpuSecondsUsed)}; load generator ${share(loadGeneratorCpu)}; everything else, the database included, ${share(machineCpu - cpuSecondsUsed - loadGeneratorCpu)})`;
}

/** CPU seconds the whole machine has been busy so far (every core, every process; 0 without /proc). */
function machineCpuSeconds(): number {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds a process has used so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * Live updates: `subscribers` SSE connections of the courier (every task event reaches all of
 * them) while tasks change at `rate` per second through the API. Each change carries its send
 * time; every subscriber counts the events it receives, and a sample of them measures the delay
 * from the change's request to the event's arrival.
 */
async function liveUpdates(url: string, setup: Setup, subscribers: number, rate: number, seconds: number, serverPid: number) {
  const auth = `Basic ${Buffer.from(`${setup.courierKey}:`).toString('base64')}`;
  const tasks: string[] = [];
  for (let i = 0; i < (quick ? 10 : 50); i++) {
    const t = (await api(url, setup.courierKey, 'POST', '/api/v2/tasks', { destination: { address: { unparsed: `${i} Live Street, San Francisco` }, location: [-122.41, 37.78] }, recipients: [] })).body;
    tasks.push(t.id);
  }
  // every frame of a change: `event: task.updated` then `data: {"type":"task.updated","id":"<24>","time":<ms>,…`
  const marker = Buffer.from('event: task.updated\ndata: {"type":"task.updated","id":"');
  const TIME_AT = 24 + '","time":'.length;
  const counts = new Array<number>(subscribers).fill(0);
  let bytes = 0;
  const latencies: number[] = [];
  const sockets: http.ClientRequest[] = [];
  await Promise.all(
    Array.from({ length: subscribers }, (_, i) =>
      new Promise<void>((resolve, reject) => {
        const sampled = i % 10 === 0;
        const req = http.get(`${url}/api/v2/events`, { headers: { authorization: auth, accept: 'text/event-stream' }, agent: false }, (res) => {
          if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
          // Whole frames only: what follows the chunk's last blank line waits for the next chunk.
          let rest: Buffer | null = null;
          res.on('data', (chunk: Buffer) => {
            const now = Date.now();
            bytes += chunk.length;
            const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
            const cut = buf.lastIndexOf('\n\n');
            rest = cut < 0 ? buf : cut + 2 < buf.length ? Buffer.from(buf.subarray(cut + 2)) : null;
            if (cut < 0) return;
            let at = 0;
            for (;;) {
              const k = buf.indexOf(marker, at);
              if (k < 0 || k > cut) break;
              counts[i]++;
              const t = k + marker.length + TIME_AT;
              if (sampled) latencies.push(now - Number(buf.toString('latin1', t, buf.indexOf(0x2c, t))));
              at = t;
            }
          });
          resolve();
        });
        req.on('error', reject);
        sockets.push(req);
      }),
    ),
  );
  await new Promise((r) => setTimeout(r, 500));
  // the changes, paced at `rate` per second
  const cpu0 = { server: cpuSeconds(serverPid), bench: cpuSeconds(process.pid) };
  let sent = 0;
  let failed = 0;
  const started = Date.now();
  const inflight = new Set<Promise<void>>();
  const headers = { authorization: auth, 'content-type': 'application/json' };
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (sent < due) {
      const seq = sent++;
      const p = fetch(`${url}/api/v2/tasks/${tasks[seq % tasks.length]}`, { method: 'PUT', headers, body: JSON.stringify({ notes: `live ${seq} ${Date.now()}` }) })
        .then(async (r) => {
          await r.arrayBuffer();
          if (r.status !== 200) failed++;
        })
        .catch((err) => {
          if (failed++ === 0) console.warn(`! live updates: a change failed: ${err?.cause?.code ?? err}`);
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(inflight);
  const cpu = { server: (cpuSeconds(serverPid) - cpu0.server) / seconds, bench: (cpuSeconds(process.pid) - cpu0.bench) / seconds };
  const expected = sent - failed;
  // wait for the stragglers (at most 5 s)
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && counts.some((c) => c < expected)) await new Promise((r) => setTimeout(r, 50));
  for (const r of sockets) r.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : 0);
  const received = counts.reduce((a, b) => a + b, 0);
  return { cpu, megabytesPerSecond: bytes / seconds / 1e6, sent, failed, expected, received, complete: counts.filter((c) => c === expected).length, throughput: received / seconds, p50: pct(0.5), p99: pct(0.99) };
}

const ORDER = JSON.stringify({
  pickupTask: { destination: { address: { unparsed: '1 Bench Street, San Francisco' }, location: [-122.41, 37.78] }, recipient: { name: 'Bench Counter', phone: '+14155550100' } },
  dropoffTask: { destination: { address: { unparsed: '2 Bench Avenue, San Francisco' }, location: [-122.42, 37.77] }, recipient: { name: 'Bench Recipient', phone: '+14155550101' } },
});

async function runDatabase(database: 'sqlite' | 'postgres', firstCeilingHttp: number): Promise<Result[]> {
  const results: Result[] = [];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-bench-'));
  const schema = database === 'postgres' ? await freshSchema() : null;
  const env: Record<string, string> = { DATA_DIR: dataDir, ...(schema ? { DATABASE_URL: schema.url } : {}) };
  const { child, url, setup } = await startBaton(env);
  const handle = openDb({ databaseUrl: schema ? PG_URL : null, dataDir, pgSchema: schema?.schema, poolSize: CONNECTIONS });
  try {
    await migrateToLatest(handle.db);
    const row = (r: Omit<Result, 'database' | 'peakRssMb'>): Result => ({ ...r, database, peakRssMb: peakRssMb(child.pid!) });

    // database ceiling
    const dbCeiling = await databaseCeiling(handle, setup.courierId, setup.clientId, setup.clientOrgId);
    results.push(row({ scenario: 'database ceiling: order + 2 tasks per transaction', throughput: dbCeiling, p50: 0, p99: 0, ceiling: null, ceilingThroughput: null, ratio: null, floor: '—', met: null }));

    // order intake
    if (wants('intake')) {
    const intakeCpu0 = cpuSeconds(child.pid!);
    const intake = await load({ url: `${url}/api/v2/taskOrders`, method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${setup.clientKey}:`).toString('base64')}`, 'content-type': 'application/json' }, body: ORDER });
    console.log(`  order intake: ${cpuPerRequest(cpuSeconds(child.pid!) - intakeCpu0, intake)}`);
    console.log(`  order intake latency: ${latencyLine(intake)}`);
    const intakeRatio = intake.requests.average / dbCeiling;
    results.push(
      row({
        scenario: 'order intake: POST /taskOrders, client key',
        throughput: intake.requests.average,
        p50: intake.steady.p50,
        p95: intake.steady.p95,
        p99: intake.steady.p99,
        p99WholeRun: intake.latency.p99,
        ceiling: 'database',
        ceilingThroughput: dbCeiling,
        ratio: intakeRatio,
        floor: '≥ 0.6 × database ceiling; p99 < 50 ms',
        met: intakeRatio >= 0.6 && intake.steady.p99 < 50 && intake.non2xx === 0,
      }),
    );
    if (intake.non2xx > 0) console.warn(`! order intake: ${intake.non2xx} answers were not 2xx`);
    } else {
      // the other scenarios need some orders
      for (let i = 0; i < 500; i++) await api(url, setup.clientKey, 'POST', '/api/v2/taskOrders', JSON.parse(ORDER));
    }

    // tracking page data, random existing orders
    if (wants('tracking')) {
    const shortIds = (await handle.db.selectFrom('tasks').select('short_id').where('pickup_task', '=', 0).limit(5000).execute()).map((r) => r.short_id);
    // Each connection walks the existing orders in a shuffled order, from its own starting point; the
    // requests are built once (a per-request setup function would make the load generator, not
    // Baton, the bottleneck).
    for (let i = shortIds.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [shortIds[i], shortIds[j]] = [shortIds[j], shortIds[i]];
    }
    // A shared machine's speed can drift by half within minutes: a full run measures the HTTP ceiling
    // again just before and just after the tracking load, and the ratio is to their mean (a quick run,
    // which checks nothing, uses the first one).
    const ceilingBefore = quick ? firstCeilingHttp : await httpCeiling('HTTP ceiling before tracking');
    const trackingCpu0 = cpuSeconds(child.pid!);
    const tracking = await loadSpread(url, shortIds.map((id) => ({ method: 'GET' as const, path: `/api/v2/tracking/${id}` })));
    console.log(`  tracking page data: ${cpuPerRequest(cpuSeconds(child.pid!) - trackingCpu0, tracking)}`);
    console.log(`  tracking page data latency: ${latencyLine(tracking)}`);
    const ceilingHttp = quick ? firstCeilingHttp : (ceilingBefore + (await httpCeiling('HTTP ceiling after tracking'))) / 2;
    if (!quick) results.push(row({ scenario: 'HTTP ceiling around tracking (mean of before and after)', throughput: ceilingHttp, p50: 0, p99: 0, ceiling: null, ceilingThroughput: null, ratio: null, floor: '—', met: null }));
    const trackingRatio = tracking.requests.average / ceilingHttp;
    results.push(
      row({
        scenario: 'tracking page data: GET /tracking/:shortId',
        throughput: tracking.requests.average,
        p50: tracking.steady.p50,
        p95: tracking.steady.p95,
        p99: tracking.steady.p99,
        p99WholeRun: tracking.latency.p99,
        ceiling: 'http',
        ceilingThroughput: ceilingHttp,
        ratio: trackingRatio,
        floor: '≥ 0.4 × HTTP ceiling; p99 < 20 ms',
        met: trackingRatio >= 0.4 && tracking.steady.p99 < 20 && tracking.non2xx === 0,
      }),
    );
    if (tracking.non2xx > 0) console.warn(`! tracking: ${tracking.non2xx} answers were not 2xx`);
    }
    // lists with much data loaded
    if (wants('lists')) {
    const TASKS = quick ? 20_000 : 1_000_000;
    const ORDERS = quick ? 5_000 : 100_000;
    const loaded = await bulkLoad(handle, setup, ORDERS, TASKS);
    console.log(`  loaded ${ORDERS.toLocaleString('en')} orders and ${TASKS.toLocaleString('en')} more tasks into ${database} in ${loaded.seconds.toFixed(0)} s (the ${TASKS.toLocaleString('en')} tasks in ${loaded.taskSeconds.toFixed(0)} s)`);
    const monthAgo = Date.now() - 30 * 86_400_000;
    const taskListCpu0 = cpuSeconds(child.pid!);
    const taskList = await load({
      url,
      connections: LIST_CONNECTIONS,
      headers: { authorization: `Basic ${Buffer.from(`${setup.courierKey}:`).toString('base64')}` },
      requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: `/api/v2/tasks/all?state=${Math.floor(Math.random() * 3)}&from=${monthAgo + Math.floor(Math.random() * 20 * 86_400_000)}` }) }],
    });
    results.push(
      row({
        scenario: `courier task list: state + date, 64 per page, ${TASKS.toLocaleString("en")} tasks, ${LIST_CONNECTIONS} connections`,
        throughput: taskList.requests.average,
        p50: taskList.steady.p50,
        p95: taskList.steady.p95,
        p99: taskList.steady.p99,
        p99WholeRun: taskList.latency.p99,
        ceiling: null,
        ceilingThroughput: null,
        ratio: null,
        floor: 'p95 < 30 ms',
        met: taskList.steady.p95 < 30 && taskList.non2xx === 0,
      }),
    );
    console.log(`  task list: ${cpuPerRequest(cpuSeconds(child.pid!) - taskListCpu0, taskList)}`);
    console.log(`  task list latency: ${latencyLine(taskList)}`);
    if (taskList.non2xx > 0) console.warn(`! task list: ${taskList.non2xx} answers were not 2xx`);
    const orderSearchCpu0 = cpuSeconds(child.pid!);
    const orderSearch = await load({
      url,
      connections: LIST_CONNECTIONS,
      headers: { authorization: `Basic ${Buffer.from(`${setup.clientKey}:`).toString('base64')}` },
      requests: [{ method: 'GET', setupRequest: (req: any) => ({ ...req, path: `/api/v2/taskOrders?q=${SEARCH_WORDS[Math.floor(Math.random() * SEARCH_WORDS.length)].toLowerCase()}%20${Math.floor(Math.random() * ORDERS)}` }) }],
    });
    results.push(
      row({
        scenario: `client order list with search, ${ORDERS.toLocaleString("en")} orders, ${LIST_CONNECTIONS} connections`,
        throughput: orderSearch.requests.average,
        p50: orderSearch.steady.p50,
        p95: orderSearch.steady.p95,
        p99: orderSearch.steady.p99,
        p99WholeRun: orderSearch.latency.p99,
        ceiling: null,
        ceilingThroughput: null,
        ratio: null,
        floor: 'p95 < 50 ms',
        met: orderSearch.steady.p95 < 50 && orderSearch.non2xx === 0,
      }),
    );
    console.log(`  order search: ${cpuPerRequest(cpuSeconds(child.pid!) - orderSearchCpu0, orderSearch)}`);
    console.log(`  order search latency: ${latencyLine(orderSearch)}`);
    if (orderSearch.non2xx > 0) console.warn(`! order search: ${orderSearch.non2xx} answers were not 2xx`);
    }

    if (wants('live')) {
      const subs = quick ? 100 : 1000;
      const live = await liveUpdates(url, setup, subs, 200, DURATION, child.pid!);
      const all = live.complete === subs && live.failed === 0;
      results.push(
        row({
          scenario: `live updates: ${subs} SSE subscribers, 200 task changes/s (events delivered per s)`,
          throughput: live.throughput,
          p50: live.p50,
          p99: live.p99,
          ceiling: null,
          ceilingThroughput: null,
          ratio: null,
          floor: 'every event to every subscriber; p99 < 500 ms',
          met: all && live.p99 < 500,
        }),
      );
      console.log(`  live updates: ${live.megabytesPerSecond.toFixed(0)} MB/s of events to the subscribers; CPU busy: server ${Math.round(live.cpu.server * 100)} %, benchmark ${Math.round(live.cpu.bench * 100)} % (of one core)`);
      if (!all) console.warn(`! live updates: ${live.sent} changes (${live.failed} failed); ${live.complete} of ${subs} subscribers received all ${live.expected} events (${live.received} in all)`);
    }

    const rss = peakRssMb(child.pid!);
    results.push(row({ scenario: 'memory: peak RSS of the server', throughput: 0, p50: 0, p99: 0, ceiling: null, ceilingThroughput: null, ratio: null, floor: '< 300 MB', met: rss === null ? null : rss < 300 }));
  } finally {
    // the server must be gone before its schema is dropped
    const exited = child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
    await handle.destroy();
    if (!process.env.BENCH_KEEP) {
      await schema?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    } else console.log(`  kept: ${schema ? `PostgreSQL schema ${schema.schema} (${schema.url})` : `SQLite data directory ${dataDir}`}`);
  }
  return results;
}

async function main() {
  const started = Date.now();
  console.log(`Baton benchmarks${quick ? ' (quick: every scenario briefly, nothing checked)' : ''} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  const ceilingHttp = await httpCeiling();
  const results: Result[] = [{ scenario: 'HTTP ceiling: bare Fastify JSON route', database: '—', throughput: ceilingHttp, p50: 0, p99: 0, peakRssMb: null, ceiling: null, ceilingThroughput: null, ratio: null, floor: '—', met: null }];
  const databases: Array<'sqlite' | 'postgres'> = [];
  if (only !== 'postgres') databases.push('sqlite');
  if (only !== 'sqlite') {
    if (await pgAvailable()) databases.push('postgres');
    else console.warn(`! PostgreSQL at ${PG_URL} is unreachable: its scenarios are skipped.`);
  }
  for (const d of databases) results.push(...(await runDatabase(d, ceilingHttp)));

  const fmt = (n: number) => (n >= 100 ? Math.round(n).toString() : n.toFixed(1));
  console.log('');
  console.log('| scenario | db | req/s | p50 ms | p95 ms | p99 ms | peak RSS MB | ratio to ceiling | floor | met |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.scenario} | ${r.database} | ${r.throughput ? fmt(r.throughput) : '—'} | ${r.p50 ? fmt(r.p50) : '—'} | ${r.p95 ? fmt(r.p95) : '—'} | ${r.p99 ? fmt(r.p99) : '—'} | ${r.peakRssMb ?? '—'} | ${r.ratio === null ? '—' : `${r.ratio.toFixed(2)} × ${r.ceiling}`} | ${r.floor} | ${quick || r.met === null ? '—' : r.met ? 'yes' : 'NO'} |`,
    );
  }
  const out = path.join(ROOT, 'bench/results/latest.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ time: new Date().toISOString(), quick, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, durationSeconds: DURATION, connections: CONNECTIONS, results }, null, 2));
  console.log(`\nWrote ${path.relative(ROOT, out)} in ${Math.round((Date.now() - started) / 1000)} s.`);
}

await main();
