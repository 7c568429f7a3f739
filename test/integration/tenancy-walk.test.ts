import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, signUpCourier, uniqueEmail, type Creds, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

/**
 * Tenant isolation, route by route: every operation of the published OpenAPI document is called with
 * A's ids by everyone who is not A (another courier, A's other client, another courier's client and driver,
 * a deleted client with its old credentials, nobody). None of them may get a 5xx, a non-standard error, any
 * of A's data, or change anything of A's.
 */

const ds = await dialects();

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function multipartPng(): { body: Buffer; headers: Record<string, string> } {
  const boundary = `----baton${crypto.randomBytes(8).toString('hex')}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logo.png"\r\nContent-Type: image/png\r\n\r\n`),
    PNG,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const ok = (r: Res, what: string) => {
  if (r.status !== 200 && r.status !== 201) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

type Courier = Awaited<ReturnType<typeof signUpCourier>>;

interface AcceptedClient {
  client: string;
  org: string;
  owner: string;
  name: string;
  email: string;
  password: string;
  session: Creds;
}

interface World {
  a: Courier;
  b: Courier;
  A: {
    org: string;
    team: string;
    worker: string;
    admin: string;
    adminEmail: string;
    key: string;
    logo: string;
    message: string;
    task: string;
    taskShortId: string;
    rule: string;
    webhook: string;
    delivery: string;
    batchJob: string;
    dispatch: string;
  };
  A1: AcceptedClient & {
    key: string;
    apiKey: Creds;
    second: string;
    secondEmail: string;
    order: string;
    orderShortId: string;
    pickupTask: string;
    dropoffTask: string;
    dropoffShortId: string;
    rule: string;
    webhook: string;
    importJob: string;
  };
  A2: AcceptedClient;
  AD: AcceptedClient & { key: string; apiKey: Creds };
  B1: AcceptedClient & { apiKey: Creds };
  /** a driver of B, signed in to the driver app */
  bDriver: Creds;
}

/**
 * Path parameters → A's ids of the matching kind (each id is tried in turn). A documented route whose
 * parameter has no entry here fails the test: add the new kind of object to this table.
 * `{token}` parameters get a random, well-formed token.
 */
const PATH_IDS: Array<[prefix: string, ids: (w: World) => string[]]> = [
  ['/api/v2/teams/{id}', (w) => [w.A.team]],
  ['/api/v2/workers/{id}', (w) => [w.A.worker]],
  ['/api/v2/admins/{id}', (w) => [w.A.admin, w.a.userId, w.A1.owner, w.A1.second]],
  ['/api/v2/apiKeys/{id}', (w) => [w.A.key, w.A1.key]],
  ['/api/v2/clients/{id}', (w) => [w.A1.client]],
  ['/api/v2/tasks/{id}', (w) => [w.A.task, w.A1.dropoffTask]],
  ['/api/v2/tasks/shortId/{shortId}', (w) => [w.A.taskShortId, w.A1.dropoffShortId]],
  ['/api/v2/taskOrders/{shortId}', (w) => [w.A1.orderShortId]],
  ['/api/v2/containers/organizations/{id}', (w) => [w.A.org]],
  ['/api/v2/containers/teams/{id}', (w) => [w.A.team]],
  ['/api/v2/containers/workers/{id}', (w) => [w.A.worker]],
  ['/files/{id}', (w) => [w.A.logo]],
  ['/api/v2/notifications/{id}', (w) => [w.A.rule, w.A1.rule]],
  ['/api/v2/tracking/{shortId}', (w) => [w.A.taskShortId, w.A1.dropoffShortId]],
  ['/api/v2/tracking/{shortId}/{which}', () => ['photo', 'signature']],
  ['/api/v2/webhooks/{id}', (w) => [w.A.webhook, w.A1.webhook]],
  ['/api/v2/webhooks/{id}/deliveries/{deliveryId}', (w) => [w.A.delivery]],
  ['/api/v2/tasks/batch/{jobId}', (w) => [w.A.batchJob]],
  ['/api/v2/taskOrders/import/{jobId}', (w) => [w.A1.importJob]],
  ['/api/v2/dispatches/{id}', (w) => [w.A.dispatch]],
];

/**
 * A tracking link is a capability: whoever holds a task's short id sees that delivery's page — the
 * merchant's name and the destination, never its recipient, people or other tasks.
 */
const PUBLIC_BY_LINK: Record<string, (w: World) => string[]> = {
  'GET /api/v2/tracking/{shortId}': (w) => ['Alpha Couriers', 'Almond Bakery', 'Alpha Street', 'Almond Road', w.A.taskShortId, w.A1.dropoffShortId, w.A.logo],
};

type Query = Record<string, string>;

/** Extra calls with A's ids in the query string (the plain call without a query is always made too). */
const QUERY_VARIANTS: Record<string, (w: World) => Query[]> = {
  'GET /api/v2/workers': (w) => [{ teams: w.A.team }],
  'GET /api/v2/clients': (w): Query[] => [{ lastId: w.A1.client }, { q: w.A1.name }, { q: w.A1.email }],
  'GET /api/v2/outbox': (w) => [{ lastId: w.A.message }],
  'GET /api/v2/tasks/all': (w): Query[] => [{ worker: w.A.worker }, { team: w.A.team }, { merchant: w.A1.org }, { lastId: w.A.task }],
  'GET /api/v2/taskOrders': (w): Query[] => [{ client: w.A1.client }, { q: w.A1.orderShortId }, { lastId: w.A1.order }],
  // replays every event since the beginning that the caller may see
  'GET /api/v2/events': () => [{ lastEventId: '0' }],
  'GET /api/v2/notifications/log': (w): Query[] => [{ taskId: w.A.task }, { taskId: w.A1.dropoffTask }],
};

const address = (unparsed: string) => ({ address: { unparsed } });

type BodySpec = { json: unknown } | { multipart: true } | null;

/** Plausible, valid bodies; routes not listed get `{}` when they take a JSON body. */
const BODIES: Record<string, (w: World) => BodySpec> = {
  'POST /api/v2/setup': () => ({ json: { organizationName: 'Walk Org', name: 'Walker', email: uniqueEmail('walk'), password: 'walk password 123' } }),
  'POST /api/v2/session': (w) => ({ json: { email: w.a.email, password: 'not the password 1' } }),
  'PUT /api/v2/organization': () => ({ json: { name: `Walk Org ${crypto.randomBytes(3).toString('hex')}` } }),
  'POST /api/v2/organization/logo': () => ({ multipart: true }),
  'POST /api/v2/admins': () => ({ json: { name: 'Walk Person', email: uniqueEmail('walk-admin') } }),
  'PUT /api/v2/admins/{id}': () => ({ json: { name: 'Walk Renamed' } }),
  'POST /api/v2/admin-invitations/{token}/accept': () => ({ json: { name: 'Walk Joiner', password: 'walk password 123' } }),
  'POST /api/v2/apiKeys': () => ({ json: { name: 'Walk key' } }),
  'POST /api/v2/teams': () => ({ json: { name: `Walk team ${crypto.randomBytes(3).toString('hex')}` } }),
  'PUT /api/v2/teams/{id}': () => ({ json: { name: `Walk team ${crypto.randomBytes(3).toString('hex')}` } }),
  // A's team: a courier may only reference its own teams.
  'POST /api/v2/workers': (w) => ({ json: { name: 'Walk Driver', phone: '+14155550188', teams: [w.A.team] } }),
  'PUT /api/v2/workers/{id}': () => ({ json: { name: 'Walk Driver', capacity: 3 } }),
  'POST /api/v2/clients': () => ({ json: { name: 'Walk Client', email: uniqueEmail('walk-client') } }),
  'PUT /api/v2/clients/{id}': () => ({ json: { name: 'Walk Client' } }),
  'POST /api/v2/invitations/{token}/accept': () => ({ json: { name: 'Walk Joiner', password: 'walk password 123' } }),
  'POST /api/v2/account/email': () => ({ json: { email: uniqueEmail('walk-new'), password: 'not the password 1' } }),
  'POST /api/v2/account/password': () => ({ json: { currentPassword: 'not the password 1', newPassword: 'walk password 456' } }),
  // an address no account has: the answer is the same, and nothing of A's may change
  'POST /api/v2/password/forgot': () => ({ json: { email: uniqueEmail('walk-forgot') } }),
  'POST /api/v2/password/reset/{token}': () => ({ json: { password: 'walk password 789' } }),
  // A's containers and tasks: a caller may only place and reference its own.
  'POST /api/v2/tasks': (w) => ({ json: { destination: address('5 Walk Street'), container: { type: 'TEAM', team: w.A.team } } }),
  'POST /api/v2/tasks/batch': (w) => ({
    json: { tasks: [{ destination: address('6 Walk Street'), container: { type: 'WORKER', worker: w.A.worker } }, { destination: address('7 Walk Street'), dependencies: [w.A.task] }] },
  }),
  'PUT /api/v2/tasks/{id}': () => ({ json: { notes: 'walk notes' } }),
  'POST /api/v2/tasks/{id}/complete': () => ({ json: { completionDetails: { success: true, notes: 'walk' } } }),
  'PUT /api/v2/containers/workers/{id}': (w) => ({ json: { tasks: [w.A.task] } }),
  // A courier names the client; a client may not name another client.
  'POST /api/v2/taskOrders': (w) => ({
    json: { client: w.A1.client, pickupTask: { destination: address('8 Walk Street') }, dropoffTask: { destination: address('9 Walk Street'), recipient: { name: 'Walk Recipient' } } },
  }),
  'PUT /api/v2/taskOrders/{shortId}': () => ({ json: { dropoffTask: { notes: 'walk notes' } } }),
  'POST /api/v2/taskOrders/cancel': (w) => ({ json: { shortIds: [w.A1.orderShortId] } }),
  'POST /api/v2/taskOrders/{shortId}/reject': () => ({ json: { reasons: ['walk'] } }),
  'POST /api/v2/workers/{id}/loginLink': () => ({ json: {} }),
  'POST /api/v2/driver/session': () => ({ json: { token: crypto.randomBytes(24).toString('base64url') } }),
  'PUT /api/v2/driver/duty': () => ({ json: { onDuty: true } }),
  'POST /api/v2/driver/location': () => ({ json: { location: [-122.41, 37.77] } }),
  'POST /api/v2/uploads': () => ({ multipart: true }),
  'POST /api/v2/notifications': () => ({ json: { trigger: 'taskCompleted', channels: ['email'], template: 'Walk {{trackingLink}}' } }),
  'PUT /api/v2/notifications/{id}': () => ({ json: { template: 'Walk changed {{eta}}' } }),
  // A's task: a preview may render only the caller's own tasks.
  'POST /api/v2/notifications/preview': (w) => ({ json: { template: 'Walk preview {{recipientName}} {{destinationAddress}}', taskId: w.A.task } }),
  'PUT /api/v2/trackingPage': () => ({ json: { headline: 'Walk headline', primaryColor: '#123456' } }),
  'POST /api/v2/tracking/{shortId}/feedback': () => ({ json: { rating: 5, comments: 'walk' } }),
  // loopback: refused by the target check here (private targets are not allowed in the walk)
  'POST /api/v2/webhooks': () => ({ json: { url: 'http://127.0.0.1:9/walk', name: 'Walk hook', trigger: 6 } }),
  'PUT /api/v2/webhooks/{id}': () => ({ json: { name: 'Walk renamed hook' } }),
  // A's tasks and team: auto-assignment and route optimisation touch only the caller's own
  'POST /api/v2/tasks/autoAssign': (w) => ({ json: { tasks: [w.A.task, w.A1.dropoffTask], options: { mode: 'distance', considerDependencies: true } } }),
  'POST /api/v2/teams/{id}/dispatch': () => ({ json: { preview: true, timeLimitSeconds: 1 } }),
  'POST /api/v2/tasks/batch-async': (w) => ({ json: { tasks: [{ destination: address('8 Walk Street'), container: { type: 'TEAM', team: w.A.team } }] } }),
  // A1's client id: only A may import for its client
  'POST /api/v2/taskOrders/import/preview': (w) => ({ json: { csv: 'pickup_address,dropoff_address,recipient_name\n1 Walk St,2 Walk St,Walker', client: w.A1.client } }),
  'POST /api/v2/taskOrders/import': (w) => ({ json: { csv: 'pickup_address,dropoff_address,recipient_name\n1 Walk St,2 Walk St,Walker', client: w.A1.client } }),
};

/** These end the caller's session (or may): each is called with a fresh session, after everything else. */
const ENDS_SESSION = new Set(['POST /api/v2/session', 'DELETE /api/v2/session', 'POST /api/v2/account/password']);

/** Public although the document lists the default security: logos are served to anyone. */
const PUBLIC_ALSO = new Set(['GET /files/{id}']);

/** Signing out needs no credentials: it answers 200 and clears the cookie whoever calls it. */
const SIGN_OUT = 'DELETE /api/v2/session';

interface Planned {
  op: string;
  method: string;
  template: string;
  url: string;
  /** a fresh body for each call (emails and names must not collide between callers) */
  body: () => BodySpec;
  isPublic: boolean;
  /** the path names an object of A's (not a token) */
  foreignObject: boolean;
  /** a Server-Sent Events stream: read briefly over a real connection, then dropped */
  stream: boolean;
}

function planRoutes(doc: any, w: World): { planned: Planned[]; unmapped: string[] } {
  const planned: Planned[] = [];
  const unmapped: string[] = [];
  for (const [template, ops] of Object.entries<Record<string, any>>(doc.paths)) {
    if (template.startsWith('/api/docs') || template === '/health') continue;
    for (const [m, op] of Object.entries<any>(ops)) {
      const method = m.toUpperCase();
      if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) continue;
      const key = `${method} ${template}`;
      const isPublic = (Array.isArray(op.security) && op.security.length === 0) || PUBLIC_ALSO.has(key);
      const params = [...template.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
      // every combination of candidate values for the path parameters
      let urls: Array<{ url: string; foreign: boolean }> = [{ url: template, foreign: false }];
      let mapped = true;
      for (const p of params) {
        let values: string[];
        let foreign = true;
        if (p === 'token') {
          values = [crypto.randomBytes(24).toString('base64url')];
          foreign = false;
        } else {
          const prefix = template.slice(0, template.indexOf(`{${p}}`) + p.length + 2);
          const entry = PATH_IDS.find(([pre]) => pre === prefix);
          if (!entry) {
            unmapped.push(`${key} (parameter {${p}}: add "${prefix}" to PATH_IDS)`);
            mapped = false;
            break;
          }
          values = entry[1](w);
        }
        urls = urls.flatMap((u) => values.map((v) => ({ url: u.url.replace(`{${p}}`, encodeURIComponent(v)), foreign: u.foreign || foreign })));
      }
      if (!mapped) continue;
      const content = op.requestBody?.content ?? {};
      const stream = Object.values<any>(op.responses ?? {}).some((r) => r?.content?.['text/event-stream']);
      const bodyOf = (): BodySpec =>
        BODIES[key]?.(w) ?? (content['multipart/form-data'] ? { multipart: true } : content['application/json'] ? { json: {} } : null);
      for (const u of urls) {
        const queries = [{}, ...(QUERY_VARIANTS[key]?.(w) ?? [])];
        for (const q of queries) {
          const qs = new URLSearchParams(q).toString();
          planned.push({ op: key, method, template, url: qs ? `${u.url}?${qs}` : u.url, body: bodyOf, isPublic, foreignObject: u.foreign, stream });
        }
      }
    }
  }
  // Calls that end sessions go last.
  planned.sort((x, y) => Number(ENDS_SESSION.has(x.op)) - Number(ENDS_SESSION.has(y.op)));
  return { planned, unmapped };
}

interface Caller {
  /** credentials used for the walk */
  as: Creds;
  /** a fresh session for calls that end the session */
  fresh?: () => Promise<Creds>;
  /** the caller's own organization (null when it has no valid credentials) */
  org: string | null;
  /** identifiers in the secrets list that are this caller's own */
  allowed: string[];
  /** A's identifiers this caller may see in the answers of particular operations */
  allowedIn?: Record<string, string[]>;
}

const CALLERS = [
  'courier B (API key)',
  'courier B (session)',
  'client A2 of A (session)',
  'client B1 of B (session)',
  'client B1 of B (API key)',
  'driver of B (session)',
  'deleted client AD of A (old session)',
  'deleted client AD of A (old API key)',
  'anonymous',
] as const;

/** Operations answering with the session view, which names a client's courier. */
const SESSION_VIEWS = ['GET /api/v2/session', 'POST /api/v2/session', 'POST /api/v2/account/password'];

/** Checks that an owned-organization view names the caller's own organization. */
const OWN_ORG: Record<string, (body: any) => string | undefined> = {
  'GET /api/v2/organization': (b) => b?.id,
  'PUT /api/v2/organization': (b) => b?.id,
  'POST /api/v2/organization/logo': (b) => b?.id,
  'DELETE /api/v2/organization/logo': (b) => b?.id,
  'GET /api/v2/session': (b) => b?.organization?.id,
};

describe.each(ds)('tenancy walk: every documented route against another tenant (%s)', (dialect) => {
  let t: TestApp;
  let w: World;
  let plan: { planned: Planned[]; unmapped: string[] };
  let callers: Record<(typeof CALLERS)[number], Caller>;
  /** [label, value] of everything that identifies A, A's clients or their people */
  let secrets: Array<[string, string]>;
  let initial: Awaited<ReturnType<typeof snapshot>>;

  async function signIn(email: string, password: string): Promise<Creds> {
    const r = await t.call('POST', '/api/v2/session', { body: { email, password } });
    ok(r, `sign-in ${email}`);
    return { cookie: r.cookies.find((c) => c.name === 'baton_session')!.value };
  }

  let baseUrl: string | null = null;
  /** Opens an event stream over a real connection, reads what arrives within a moment, and hangs up. */
  async function readStream(url: string, as: Creds): Promise<Res> {
    baseUrl ??= await t.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const res = await fetch(`${baseUrl}${url}`, { headers: authHeaders(as), signal: abort.signal });
    let text = '';
    if ((res.headers.get('content-type') ?? '').includes('text/event-stream')) {
      const reader = res.body!.getReader();
      const until = Date.now() + 100;
      for (;;) {
        const left = until - Date.now();
        if (left <= 0) break;
        const chunk = await Promise.race([reader.read(), new Promise<null>((resolve) => setTimeout(() => resolve(null), left))]);
        if (!chunk || chunk.done) break;
        text += Buffer.from(chunk.value).toString('utf8');
      }
      abort.abort();
      await reader.cancel().catch(() => {});
    } else {
      text = await res.text();
    }
    let body: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: res.status, body, headers: Object.fromEntries(res.headers), cookies: [] };
  }

  /** Creates a client of `courier`, invites it, and accepts the invitation from the outbox link. */
  async function acceptedClient(courier: Courier, name: string, ownerName: string): Promise<AcceptedClient> {
    const email = uniqueEmail(name.split(' ')[0].toLowerCase());
    const password = `${name} password 1`;
    const client = ok(await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name, email } }), 'create client').id;
    ok(await t.call('POST', `/api/v2/clients/${client}/invite`, { as: courier.apiKey }), 'invite client');
    await t.app.ctx.messages.flush();
    const outbox = ok(await t.call('GET', '/api/v2/outbox', { as: courier.apiKey }), 'outbox');
    const link: string = outbox.messages
      .find((m: { to: string }) => m.to === email)
      .links.find((l: string) => l.includes('/invite/'));
    const token = decodeURIComponent(new URL(link).pathname.slice('/invite/'.length));
    const accepted = await t.call('POST', `/api/v2/invitations/${token}/accept`, { body: { name: ownerName, password } });
    expect(accepted.status, `accept ${name}`).toBe(201);
    const session: Creds = { cookie: accepted.cookies.find((c) => c.name === 'baton_session')!.value };
    return { client, org: accepted.body.organization.id, owner: accepted.body.user.id, name, email, password, session };
  }

  /** A's rows (and its clients'), read straight from the database; `exclude` drops organizations acting for themselves. */
  async function snapshot(exclude: string[] = []) {
    const db = t.app.ctx.db;
    const orgs = [w.A.org, w.A1.org, w.A2.org, w.AD.org].filter((o) => !exclude.includes(o));
    const courier = w.a.organizationId;
    return {
      organizations: await db.selectFrom('organizations').selectAll().where('id', 'in', orgs).orderBy('id').execute(),
      users: await db.selectFrom('users').selectAll().where('organization_id', 'in', orgs).orderBy('id').execute(),
      sessions: await db
        .selectFrom('sessions')
        .select(['token_hash', 'kind', 'user_id', 'worker_id', 'organization_id', 'expires_at'])
        .where('organization_id', 'in', orgs)
        .orderBy('token_hash')
        .execute(),
      apiKeys: await db
        .selectFrom('api_keys')
        .select(['id', 'organization_id', 'name', 'key_hash', 'time_created', 'time_revoked'])
        .where('organization_id', 'in', orgs)
        .where('time_revoked', 'is', null)
        .orderBy('id')
        .execute(),
      teams: await db.selectFrom('teams').selectAll().where('organization_id', '=', courier).orderBy('id').execute(),
      teamManagers: await db.selectFrom('team_managers').selectAll().where('organization_id', '=', courier).orderBy('team_id').orderBy('user_id').execute(),
      workers: await db.selectFrom('workers').selectAll().where('organization_id', '=', courier).orderBy('id').execute(),
      workerTeams: await db.selectFrom('worker_teams').selectAll().where('organization_id', '=', courier).orderBy('worker_id').orderBy('team_id').execute(),
      clients: (await db.selectFrom('clients').selectAll().where('courier_id', '=', courier).orderBy('id').execute()).filter(
        (c) => !c.organization_id || !exclude.includes(c.organization_id),
      ),
      tokens: await db
        .selectFrom('tokens')
        .select(['token_hash', 'purpose', 'subject_id', 'expires_at', 'time_used', 'time_voided'])
        .where('organization_id', 'in', orgs)
        .orderBy('token_hash')
        .execute(),
      messages: await db.selectFrom('messages').select(['id', 'to_address']).where('organization_id', 'in', orgs).orderBy('id').execute(),
      uploads: await db.selectFrom('uploads').selectAll().where('organization_id', 'in', orgs).orderBy('id').execute(),
      // Opening a tracking link (public) marks the task viewed: that flag is the link working, not a leak.
      tasks: (await db.selectFrom('tasks').selectAll().where('organization_id', '=', courier).orderBy('id').execute())
        .filter((x) => !exclude.includes(x.merchant_id))
        .map(({ tracking_viewed: _viewed, ...x }) => x),
      rules: await db.selectFrom('notification_rules').selectAll().where('organization_id', 'in', orgs).orderBy('id').execute(),
      trackingPages: await db.selectFrom('tracking_pages').selectAll().where('organization_id', 'in', orgs).orderBy('organization_id').execute(),
      webhooks: await db.selectFrom('webhooks').selectAll().where('organization_id', 'in', orgs).orderBy('id').execute(),
      webhookDeliveries: await db.selectFrom('webhook_deliveries').select(['id', 'status', 'next_attempt_at']).where('organization_id', 'in', orgs).orderBy('id').execute(),
      jobs: await db.selectFrom('jobs').select(['id', 'status', 'processed']).where('organization_id', 'in', orgs).orderBy('id').execute(),
      importKeys: await db.selectFrom('order_import_keys').selectAll().where('client_org_id', 'in', orgs).orderBy('key').execute(),
      secrets: await db.selectFrom('organizations').select(['id', 'webhook_secret']).where('id', 'in', orgs).orderBy('id').execute(),
      taskDependencies: await db
        .selectFrom('task_dependencies')
        .innerJoin('tasks', 'tasks.id', 'task_dependencies.task_id')
        .select(['task_dependencies.task_id', 'task_dependencies.depends_on_id'])
        .where('tasks.organization_id', '=', courier)
        .where('tasks.merchant_id', 'not in', exclude.length ? exclude : [''])
        .orderBy('task_dependencies.task_id')
        .orderBy('task_dependencies.depends_on_id')
        .execute(),
      orders: (await db.selectFrom('orders').selectAll().where('courier_id', '=', courier).orderBy('id').execute()).filter(
        (x) => !exclude.includes(x.client_org_id),
      ),
    };
  }

  beforeAll(async () => {
    // The walk signs in with wrong passwords on purpose; the sign-in limit is not what is tested here.
    // Sign-in limits stay out of the walk (their own tests cover them): a lock-out's mail to A's owner would read as a change to A.
    t = await createTestApp(dialect, { LOGIN_ATTEMPTS_MAX: '1000', LOGIN_LOCK_AFTER: '1000' });
    const a = await signUpCourier(t, 'Alpha Couriers');
    const b = await signUpCourier(t, 'Bravo Couriers');

    const team = ok(await t.call('POST', '/api/v2/teams', { as: a.apiKey, body: { name: 'Alpha Team' } }), 'team').id;
    const worker = ok(await t.call('POST', '/api/v2/workers', { as: a.apiKey, body: { name: 'Alpha Driver', phone: '+14155550101', teams: [team] } }), 'worker');
    const adminEmail = uniqueEmail('alpha-admin');
    const admin = ok(
      await t.call('POST', '/api/v2/admins', { as: a.session, body: { name: 'Alpha Admin', email: adminEmail, type: 'standard', teams: [team] } }),
      'admin',
    ).id;
    const key = ok(await t.call('POST', '/api/v2/apiKeys', { as: a.session, body: { name: 'Alpha Extra Key' } }), 'key').id;
    const upload = multipartPng();
    const org = ok(await t.call('POST', '/api/v2/organization/logo', { as: a.session, body: upload.body, headers: upload.headers }), 'logo');
    const logo = String(org.image).split('/files/')[1];

    const task = ok(
      await t.call('POST', '/api/v2/tasks', {
        as: a.apiKey,
        body: { destination: address('17 Alpha Street, Springfield'), recipients: [{ name: 'Alpha Recipient', phone: '+14155550123' }], container: { type: 'WORKER', worker: worker.id } },
      }),
      'task',
    );

    const A1base = await acceptedClient(a, 'Almond Bakery', 'Almond Owner');
    const order = ok(
      await t.call('POST', '/api/v2/taskOrders', {
        as: A1base.session,
        body: {
          pickupTask: { destination: address('23 Almond Lane'), recipient: { name: 'Almond Sender', phone: '+14155550124' } },
          dropoffTask: { destination: address('29 Almond Road'), recipient: { name: 'Almond Receiver', phone: '+14155550125' } },
        },
      }),
      'A1 order',
    );
    const a1Key = ok(await t.call('POST', '/api/v2/apiKeys', { as: A1base.session, body: { name: 'Almond Shop Key' } }), 'A1 key');
    const secondEmail = uniqueEmail('almond-second');
    const second = ok(await t.call('POST', '/api/v2/admins', { as: A1base.session, body: { name: 'Almond Second', email: secondEmail } }), 'A1 second user').id;
    const A2 = await acceptedClient(a, 'Cedar Florists', 'Cedar Owner');

    const ADbase = await acceptedClient(a, 'Ashen Deli', 'Ashen Owner');
    const adKey = ok(await t.call('POST', '/api/v2/apiKeys', { as: ADbase.session, body: { name: 'Ashen Key' } }), 'AD key');
    const del = await t.call('DELETE', `/api/v2/clients/${ADbase.client}`, { as: a.session });
    expect(del.status).toBe(200);

    const bTeam = ok(await t.call('POST', '/api/v2/teams', { as: b.apiKey, body: { name: 'Bravo Team' } }), 'B team').id;
    const bWorker = ok(await t.call('POST', '/api/v2/workers', { as: b.apiKey, body: { name: 'Bravo Driver', phone: '+14155550199', teams: [bTeam] } }), 'B driver').id;
    const link = ok(await t.call('POST', `/api/v2/workers/${bWorker}/loginLink`, { as: b.apiKey, body: {} }), 'B driver link').url;
    const driverToken = decodeURIComponent(new URL(link).pathname.slice('/driver/login/'.length));
    const driverSession = await t.call('POST', '/api/v2/driver/session', { body: { token: driverToken } });
    ok(driverSession, 'B driver session');
    const bDriver: Creds = { cookie: driverSession.cookies.find((c) => c.name === 'baton_session')!.value };

    const B1base = await acceptedClient(b, 'Birch Books', 'Birch Owner');
    const b1Key = ok(await t.call('POST', '/api/v2/apiKeys', { as: B1base.session, body: { name: 'Birch Key' } }), 'B1 key');

    const rule = (template: string) => ({ trigger: 'taskStarted', channels: ['sms'], template });
    const aRule = ok(await t.call('POST', '/api/v2/notifications', { as: a.apiKey, body: rule('Alpha template words {{trackingLink}}') }), 'A rule').id;
    const a1Rule = ok(await t.call('POST', '/api/v2/notifications', { as: A1base.session, body: rule('Almond template words {{trackingLink}}') }), 'A1 rule').id;
    const batchJob = ok(await t.call('POST', '/api/v2/tasks/batch-async', { as: a.apiKey, body: { tasks: [{ destination: address('19 Alpha Street') }] } }), 'A batch').jobId;
    const importJob = ok(
      await t.call('POST', '/api/v2/taskOrders/import', { as: A1base.session, body: { csv: 'reference,pickup_address,dropoff_address,recipient_name\nALMOND-1,23 Almond Lane,29 Almond Road,Almond Receiver' } }),
      'A1 import',
    ).jobId;
    const dispatchRes = await t.call('POST', `/api/v2/teams/${team}/dispatch`, { as: a.apiKey, body: { preview: true, timeLimitSeconds: 1 } });
    expect(dispatchRes.status, 'A dispatch').toBe(202);
    const dispatch = dispatchRes.body.id as string;
    await t.app.ctx.jobs.drain();
    // Webhooks straight into the database: registering one needs a reachable URL, which is not what is walked here.
    const hookRow = (id: string, org: string, name: string) => ({
      id,
      organization_id: org,
      name,
      url: `https://hooks.example/${name}`,
      trigger_id: 6,
      threshold: null,
      enabled: 0,
      disabled_reason: null,
      time_created: Date.now(),
      time_last_modified: Date.now(),
    });
    const aHook = 'AlphaHookAlphaHookAlpha1';
    const a1Hook = 'AlmondHookAlmondHookAlm1';
    const aDelivery = 'AlphaDeliveryAlphaDeliv1';
    await t.app.ctx.db.insertInto('webhooks').values([hookRow(aHook, a.organizationId, 'alpha-hook'), hookRow(a1Hook, A1base.org, 'almond-hook')]).execute();
    await t.app.ctx.db
      .insertInto('webhook_deliveries')
      .values({
        id: aDelivery,
        webhook_id: aHook,
        organization_id: a.organizationId,
        event_key: 'walk',
        trigger_id: 6,
        subject_id: task.id,
        body: '{}',
        status: 'failed',
        attempts: 1,
        next_attempt_at: Date.now(),
        window_started_at: Date.now(),
        last_status_code: 500,
        last_error: 'walk',
        time_created: Date.now(),
        time_delivered: null,
      })
      .execute();

    await t.app.ctx.messages.flush();
    const outbox = ok(await t.call('GET', '/api/v2/outbox', { as: a.apiKey }), 'outbox');
    const message = outbox.messages.find((m: { to: string }) => m.to === adminEmail).id;
    const keys = (await t.app.ctx.db.selectFrom('api_keys').select('id').where('organization_id', '=', a.organizationId).execute()).map((r) => r.id);

    w = {
      a,
      b,
      A: { org: a.organizationId, team, worker: worker.id, admin, adminEmail, key, logo, message, task: task.id, taskShortId: task.shortId, rule: aRule, webhook: aHook, delivery: aDelivery, batchJob, dispatch },
      A1: {
        ...A1base,
        key: a1Key.id,
        apiKey: { apiKey: a1Key.key },
        second,
        secondEmail,
        order: order.id,
        orderShortId: order.shortId,
        pickupTask: order.pickupTask.id,
        dropoffTask: order.dropoffTask.id,
        dropoffShortId: order.dropoffTask.shortId,
        rule: a1Rule,
        webhook: a1Hook,
        importJob,
      },
      A2,
      AD: { ...ADbase, key: adKey.id, apiKey: { apiKey: adKey.key } },
      B1: { ...B1base, apiKey: { apiKey: b1Key.key } },
      bDriver,
    };

    secrets = [
      ['A organization id', a.organizationId],
      ['A organization name', 'Alpha Couriers'],
      ['A owner id', a.userId],
      ['A owner email', a.email],
      ['A team id', team],
      ['A team name', 'Alpha Team'],
      ['A driver id', worker.id],
      ['A driver name', 'Alpha Driver'],
      ['A driver phone', worker.phone],
      ['A admin id', admin],
      ['A admin email', adminEmail],
      ['A admin name', 'Alpha Admin'],
      ...keys.map((k): [string, string] => ['A API key id', k]),
      ['A API key name', 'Alpha Extra Key'],
      ['A logo upload id', logo],
      ['A message id', message],
      ['A task id', task.id],
      ['A task short id', task.shortId],
      ['A task address', 'Alpha Street'],
      ['A task recipient', 'Alpha Recipient'],
      ...(['A1', 'A2', 'AD'] as const).flatMap((n): Array<[string, string]> => [
        [`${n} client id`, w[n].client],
        [`${n} organization id`, w[n].org],
        [`${n} owner id`, w[n].owner],
        [`${n} email`, w[n].email],
      ]),
      ['A1 name', 'Almond Bakery'],
      ['A1 owner name', 'Almond Owner'],
      ['A1 second user id', second],
      ['A1 second user email', secondEmail],
      ['A1 second user name', 'Almond Second'],
      ['A1 API key id', a1Key.id],
      ['A1 API key name', 'Almond Shop Key'],
      ['A1 order id', order.id],
      ['A1 order short id', order.shortId],
      ['A1 pickup task id', order.pickupTask.id],
      ['A1 pickup task short id', order.pickupTask.shortId],
      ['A1 dropoff task id', order.dropoffTask.id],
      ['A1 dropoff task short id', order.dropoffTask.shortId],
      ['A1 pickup address', 'Almond Lane'],
      ['A1 dropoff address', 'Almond Road'],
      ['A1 pickup recipient', 'Almond Sender'],
      ['A1 dropoff recipient', 'Almond Receiver'],
      ['AD name', 'Ashen Deli'],
      ['A rule id', aRule],
      ['A rule template', 'Alpha template words'],
      ['A1 rule id', a1Rule],
      ['A1 rule template', 'Almond template words'],
      ['A webhook id', aHook],
      ['A batch job id', batchJob],
      ['A dispatch id', dispatch],
      ['A1 import job id', importJob],
      ['A1 import reference', 'ALMOND-1'],
      ['A webhook URL', 'alpha-hook'],
      ['A webhook delivery id', aDelivery],
      ['A1 webhook id', a1Hook],
      ['A1 webhook URL', 'almond-hook'],
      ['AD API key id', adKey.id],
    ];

    const sessionCaller = (email: string, password: string, as: Creds, org: string, extra: Partial<Caller> = {}): Caller => ({
      as,
      fresh: () => signIn(email, password),
      org,
      allowed: [],
      ...extra,
    });
    // A2's courier is A: the session view names it (id, name, logo). Nothing else of A's is A2's to see.
    const courierOfA2 = [a.organizationId, 'Alpha Couriers', logo];
    callers = {
      'courier B (API key)': { as: b.apiKey, org: b.organizationId, allowed: [] },
      'courier B (session)': sessionCaller(b.email, b.password, b.session, b.organizationId),
      'client A2 of A (session)': sessionCaller(A2.email, A2.password, A2.session, A2.org, {
        allowed: [A2.org, A2.owner, A2.email],
        allowedIn: {
          ...Object.fromEntries(SESSION_VIEWS.map((op) => [op, courierOfA2])),
          // A2 has no message rules of its own: its courier's apply to its orders, and it is shown them.
          'GET /api/v2/notifications': [aRule, 'Alpha template words'],
        },
      }),
      'client B1 of B (session)': sessionCaller(B1base.email, B1base.password, B1base.session, B1base.org),
      'client B1 of B (API key)': { as: w.B1.apiKey, org: B1base.org, allowed: [] },
      'driver of B (session)': { as: bDriver, org: b.organizationId, allowed: [] },
      'deleted client AD of A (old session)': { as: ADbase.session, org: null, allowed: [] },
      'deleted client AD of A (old API key)': { as: w.AD.apiKey, org: null, allowed: [] },
      anonymous: { as: null, org: null, allowed: [] },
    };

    const docs = await t.call('GET', '/api/docs/json');
    expect(docs.status).toBe(200);
    plan = planRoutes(docs.body, w);
    initial = await snapshot([A2.org]);
  });
  afterAll(() => t?.close());

  it('has A ids for every path parameter of every documented route', () => {
    expect(plan.unmapped, 'Routes with path parameters missing from PATH_IDS in tenancy-walk.test.ts').toEqual([]);
    // the walk covers the routes this suite was written against, at least
    const ops = new Set(plan.planned.map((p) => p.op));
    for (const op of ['GET /api/v2/teams/{id}', 'DELETE /api/v2/clients/{id}', 'POST /api/v2/admins/{id}/invite', 'GET /files/{id}', 'POST /api/v2/invitations/{token}/accept']) {
      expect(ops, op).toContain(op);
    }
  });

  it("client A2 sees only its own people, never A1's or A's", async () => {
    const res = await t.call('GET', '/api/v2/admins', { as: w.A2.session });
    expect(res.status).toBe(200);
    const own = (await t.app.ctx.db.selectFrom('users').select('id').where('organization_id', '=', w.A2.org).execute()).map((r) => r.id);
    expect(res.body.map((x: { id: string }) => x.id).sort()).toEqual(own.sort());
    expect(res.body.map((x: { id: string }) => x.id)).toContain(w.A2.owner);
    for (const x of res.body) expect(x.organization).toBe(w.A2.org);
    const text = JSON.stringify(res.body);
    for (const s of [w.A1.owner, w.A1.second, w.A1.email, w.A1.secondEmail, 'Almond', w.a.userId, w.A.admin, w.A.adminEmail]) expect(text).not.toContain(s);
    // and A1 sees its own two people
    const a1 = await t.call('GET', '/api/v2/admins', { as: w.A1.apiKey });
    expect(a1.body.map((x: { id: string }) => x.id).sort()).toEqual([w.A1.owner, w.A1.second].sort());
  });

  it("a client's API key is refused on courier-only routes (403)", async () => {
    for (const [label, as] of [
      ['A1 key', w.A1.apiKey],
      ['B1 key', w.B1.apiKey],
    ] as const) {
      for (const [method, url, body] of [
        ['GET', '/api/v2/teams', undefined],
        ['POST', '/api/v2/teams', { name: 'Client Team' }],
        ['GET', '/api/v2/workers', undefined],
        ['POST', '/api/v2/workers', { name: 'Client Driver', phone: '+14155550177', teams: [w.A.team] }],
        ['GET', '/api/v2/clients', undefined],
        ['POST', '/api/v2/clients', { name: 'Client Client', email: uniqueEmail('cc') }],
      ] as const) {
        const res = await t.call(method, url, { as, body });
        expect(res.status, `${label} ${method} ${url}`).toBe(403);
        expect(res.body.code, `${label} ${method} ${url}`).toBe('Forbidden');
      }
    }
  });

  it.each(CALLERS)('%s: no 5xx, only the error format, none of A’s data, nothing of A’s changed', async (name) => {
    expect(plan.unmapped, 'Routes with path parameters missing from PATH_IDS').toEqual([]);
    const caller = callers[name];
    const signedOut = caller.org === null;
    const exclude = caller.org === w.A2.org ? [w.A2.org] : [];
    const before = await snapshot(exclude);
    const problems: string[] = [];

    for (const p of plan.planned) {
      const as = ENDS_SESSION.has(p.op) && caller.fresh ? await caller.fresh() : caller.as;
      const spec = p.body();
      let payload: unknown;
      let headers: Record<string, string> | undefined;
      if (spec && 'json' in spec) payload = spec.json;
      else if (spec && 'multipart' in spec) ({ body: payload, headers } = multipartPng());
      const res = p.stream ? await readStream(p.url, as) : await t.call(p.method as 'GET', p.url, { as, body: payload, headers });

      const where = `${p.method} ${p.url}${payload !== undefined && !Buffer.isBuffer(payload) ? ` ${JSON.stringify(payload)}` : ''}`;
      const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
      const said = `${res.status} ${text.slice(0, 400)}`;
      if (res.status >= 500) problems.push(`${where} → 5xx: ${said}`);
      if (res.status >= 400) {
        const e = res.body;
        if (!(e && typeof e.code === 'string' && typeof e.message?.error === 'number' && typeof e.message?.message === 'string')) {
          problems.push(`${where} → not the error format: ${said}`);
        }
      }
      if (signedOut && !p.isPublic && p.op !== SIGN_OUT && res.status !== 401) problems.push(`${where} → expected 401 for a caller without valid credentials: ${said}`);
      if (p.foreignObject && !p.isPublic && res.status < 400) problems.push(`${where} → succeeded on an object of A's: ${said}`);
      const ownOrg = OWN_ORG[p.op];
      if (ownOrg && res.status < 300 && caller.org) {
        const id = ownOrg(res.body);
        if (id !== caller.org) problems.push(`${where} → answered with organization ${id}, not the caller's ${caller.org}`);
      }
      // What the caller sent may be echoed back in an error ("Team <id> was not found.", or a per-item error of a
      // batch answered with 200); nothing else of A's may appear.
      const sent = decodeURIComponent(p.url) + (payload !== undefined && !Buffer.isBuffer(payload) ? JSON.stringify(payload) : '');
      const seen = text + JSON.stringify(res.headers);
      const outsideItemErrors = res.status < 400 && typeof res.body === 'object' ? JSON.stringify(res.body, (k, v) => (k === 'errors' ? undefined : v)) : text;
      for (const [label, value] of secrets) {
        if (!seen.includes(value) || caller.allowed.includes(value) || caller.allowedIn?.[p.op]?.includes(value)) continue;
        if (PUBLIC_BY_LINK[p.op]?.(w).includes(value)) continue;
        if (sent.includes(value) && (res.status >= 400 || !outsideItemErrors.includes(value))) continue;
        problems.push(`${where} → response contains ${label} (${value}): ${said}`);
      }
    }

    // soft, so that a changed snapshot is reported as well
    expect.soft(problems, `${name}: ${problems.length} problem(s)`).toEqual([]);
    expect(await snapshot(exclude), `${name} changed A's data`).toEqual(before);
  });

  it("A's data is unchanged after the whole walk", async () => {
    expect(await snapshot([w.A2.org])).toEqual(initial);
    // A's own credentials still work and see what they saw
    expect((await t.call('GET', `/api/v2/teams/${w.A.team}`, { as: w.a.apiKey })).body.workers).toEqual([w.A.worker]);
    expect((await t.call('GET', `/api/v2/clients/${w.A1.client}`, { as: w.a.session })).body).toMatchObject({ status: 'active', name: 'Almond Bakery' });
    expect((await t.call('GET', '/api/v2/auth/test', { as: w.A1.apiKey })).status).toBe(200);
  });
});
