import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { acceptedClient, order } from '../helpers/world.ts';

const ds = await dialects();

interface Operation {
  method: string;
  path: string;
  params: string[];
  query: string[];
  hasBody: boolean;
}

/** Every operation of the OpenAPI document (the live stream aside: it never ends). */
function operations(doc: { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; requestBody?: unknown }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (path === '/api/v2/events') continue;
    for (const [method, op] of Object.entries(methods)) {
      const parameters = op.parameters ?? [];
      ops.push({
        method: method.toUpperCase(),
        path,
        params: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        hasBody: !!op.requestBody,
      });
    }
  }
  return ops;
}

const TABLES = ['organizations', 'users', 'clients', 'teams', 'workers', 'tasks', 'orders', 'webhooks', 'notification_rules', 'api_keys'] as const;

describe.each(ds)('generated input to every route (%s)', (dialect) => {
  let t: TestApp;
  let ops: Operation[];
  let callers: Array<Creds>;
  let ids: string[];

  beforeAll(async () => {
    t = await createTestApp(dialect, { RATE_LIMITS: 'off' });
    const courier = await signUpCourier(t);
    const shop = await acceptedClient(t, courier, 'Fuzz Foods');
    const made = (await t.call('POST', '/api/v2/taskOrders', { as: shop.apiKey, body: order(1) })).body;
    ids = [made.shortId, made.id, made.pickupTask.id, made.dropoffTask.id, shop.clientId, courier.organizationId];
    callers = [courier.apiKey, shop.apiKey, null];
    ops = operations((await t.call('GET', '/api/docs/json')).body);
    expect(ops.length).toBeGreaterThan(80);
  });
  afterAll(() => t.close());

  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = Number((await t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return out;
  };

  const expectErrorFormat = (res: { status: number; body: any }, where: string) => {
    expect(res.status, where).toBeLessThan(500);
    if (res.status >= 400) {
      expect(typeof res.body?.code, `${where}: error code`).toBe('string');
      expect(typeof res.body?.message?.error, `${where}: numeric error`).toBe('number');
      expect(typeof res.body?.message?.message, `${where}: message`).toBe('string');
      expect(res.body.message.message.length, `${where}: message`).toBeGreaterThan(0);
    }
  };

  const value = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.integer(),
    fc.double({ noNaN: false }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(''),
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.constantFrom('0', '-1', '1e309', '<script>', '../../etc/passwd', '%00', 'null', '[]', '{}'),
  );
  const body = fc.oneof(
    fc.object({ maxDepth: 3, values: [value] }),
    fc.jsonValue({ maxDepth: 3 }),
    fc.array(value, { maxLength: 5 }),
  );

  it('never answers 5xx, always in the error format, and a refused request stores nothing', async () => {
    const reached = new Set<string>();
    const statuses = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(fc.oneof(fc.constantFrom(...ids), fc.string({ minLength: 1, maxLength: 30 })), { minLength: 3, maxLength: 3 }),
        fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 4 }),
        fc.option(body, { nil: undefined }),
        fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
        async (opIndex, callerIndex, pathValues, query, payload, contentType) => {
          const op = ops[opIndex % ops.length];
          reached.add(`${op.method} ${op.path}`);
          const as = callers[callerIndex % callers.length];
          let url = op.path;
          op.params.forEach((p, i) => (url = url.replace(`{${p}}`, encodeURIComponent(pathValues[i % pathValues.length]))));
          const known = Object.fromEntries(op.query.map((q, i) => [q, query[Object.keys(query)[i]] ?? '']));
          const qs = new URLSearchParams(Object.entries({ ...query, ...known }).map(([k, v]) => [k, String(v)])).toString();
          if (qs) url += `?${qs}`;
          const before = await counts();
          const hasPayload = op.hasBody && payload !== undefined;
          const res = await t.call(op.method as 'GET', url, {
            as,
            ...(hasPayload ? { body: contentType.startsWith('application/json') ? JSON.stringify(payload) : String(payload) } : {}),
            headers: hasPayload ? { 'content-type': contentType } : {},
          });
          const where = `${op.method} ${url} ${hasPayload ? JSON.stringify(payload).slice(0, 200) : ''} → ${res.status}`;
          expectErrorFormat(res, where);
          statuses.add(res.status);
          if (res.status >= 400) expect(await counts(), where).toEqual(before);
        },
      ),
      { numRuns: 600, seed: 20261126 },
    );
    // the runs spread over the routes, and reached past validation as well as failing it
    expect(reached.size).toBeGreaterThan(ops.length * 0.8);
    expect([...statuses].some((s) => s < 300)).toBe(true);
    expect([...statuses].some((s) => s === 400)).toBe(true);
  });

  it('refuses malformed, oversized, deeply nested and strange bodies with a 4xx in the error format', async () => {
    // The courier's key: the generated calls above may have deleted the client (its id is among the ids tried),
    // which stops the client's key.
    const post = (payload: string, contentType = 'application/json') =>
      t.app.inject({ method: 'POST', url: '/api/v2/taskOrders', headers: { authorization: `Basic ${Buffer.from(`${(callers[0] as { apiKey: string }).apiKey}:`).toString('base64')}`, 'content-type': contentType }, payload });
    const before = await counts();
    const cases: Array<[string, string, string | undefined, number]> = [
      ['malformed JSON', '{"pickupTask": ', undefined, 400],
      ['a wrong content type', 'pickupTask=1', 'text/plain', 415],
      ['a body over the limit', JSON.stringify({ notes: 'x'.repeat(1_100_000) }), undefined, 413],
      ['deep nesting', `${'['.repeat(20_000)}${']'.repeat(20_000)}`, undefined, 400],
      ['a very long name', JSON.stringify({ ...order(2), dropoffTask: { ...order(2).dropoffTask, recipient: { name: 'n'.repeat(100_000) } } }), undefined, 400],
      ['control characters', JSON.stringify({ pickupTask: { destination: { address: { unparsed: '\u0000\u0001\u001b[31m' } } }, dropoffTask: '\u0007' }), undefined, 400],
      ['a JSON scalar', '42', undefined, 400],
    ];
    for (const [what, payload, type, status] of cases) {
      const res = await post(payload, type);
      const parsed = { status: res.statusCode, body: JSON.parse(res.body) };
      expect(res.statusCode, what).toBe(status);
      expectErrorFormat(parsed, what);
    }
    expect(await counts()).toEqual(before);
  });
});
