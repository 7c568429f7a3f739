import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

const ID = /^[A-Za-z0-9~*]{24}$/;
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe.each(ds)('API keys (%s)', (dialect) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCourier>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    owner = await signUpCourier(t, 'Key Couriers');
  });
  afterAll(() => t.close());

  async function createKey(name: string) {
    const res = await t.call('POST', '/api/v2/apiKeys', { as: owner.session, body: { name } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; name: string; key: string; lastUsed: number | null; timeCreated: number };
  }

  async function listKeys() {
    const res = await t.call('GET', '/api/v2/apiKeys', { as: owner.session });
    expect(res.status).toBe(200);
    return res.body as Array<Record<string, unknown>>;
  }

  it('shows the key once, on create, and never in the list', async () => {
    const created = await createKey('Integration');
    expect(created.id).toMatch(ID);
    expect(created.name).toBe('Integration');
    expect(typeof created.key).toBe('string');
    expect(created.key.length).toBeGreaterThanOrEqual(20);
    expect(created.lastUsed).toBeNull();
    expect(created.timeCreated).toEqual(expect.any(Number));

    const list = await listKeys();
    const listed = list.find((k) => k.id === created.id);
    expect(listed).toMatchObject({ id: created.id, name: 'Integration', lastUsed: null, timeCreated: created.timeCreated });
    for (const k of list) {
      expect(k).not.toHaveProperty('key');
      expect(JSON.stringify(k)).not.toContain(created.key);
    }
    const one = await t.call('GET', '/api/v2/apiKeys', { as: { apiKey: created.key } });
    expect(JSON.stringify(one.body)).not.toContain(created.key);
  });

  it('records when a key was last used', async () => {
    const created = await createKey('Usage');
    expect((await listKeys()).find((k) => k.id === created.id)!.lastUsed).toBeNull();

    const before = Date.now();
    expect((await t.call('GET', '/api/v2/teams', { as: { apiKey: created.key } })).status).toBe(200);
    const first = (await listKeys()).find((k) => k.id === created.id)!.lastUsed as number;
    expect(first).toEqual(expect.any(Number));
    expect(first).toBeGreaterThanOrEqual(before - 1000);
    expect(first).toBeLessThanOrEqual(Date.now() + 1000);

    // A use some minutes later moves it forward.
    const realNow = t.app.ctx.now;
    t.app.ctx.now = () => realNow() + 10 * 60_000;
    try {
      expect((await t.call('GET', '/api/v2/auth/test', { as: { apiKey: created.key } })).status).toBe(200);
    } finally {
      t.app.ctx.now = realNow;
    }
    const second = (await listKeys()).find((k) => k.id === created.id)!.lastUsed as number;
    expect(second).toBeGreaterThan(first + 9 * 60_000);
  });

  it('accepts Basic KEY:, Basic KEY and Bearer KEY on /auth/test', async () => {
    const { key } = await createKey('Header forms');
    const expected = `Hello organization '${owner.organizationId}' hitting Baton from 127.0.0.1`;
    for (const authorization of [`Basic ${b64(`${key}:`)}`, `Basic ${b64(key)}`, `Bearer ${key}`]) {
      const res = await t.call('GET', '/api/v2/auth/test', { headers: { authorization } });
      expect(res.status, authorization).toBe(200);
      expect(res.body).toEqual({ message: expected });
    }
  });

  it('refuses missing and wrong keys on /auth/test with 401', async () => {
    const none = await t.call('GET', '/api/v2/auth/test');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('InvalidCredentials');
    expect(none.body.message.error).toBe(1100);
    for (const authorization of [`Basic ${b64('not-a-real-key:')}`, 'Bearer not-a-real-key', `Basic ${b64(':')}`]) {
      const res = await t.call('GET', '/api/v2/auth/test', { headers: { authorization } });
      expect(res.status, authorization).toBe(401);
      expect(res.body.message.error).toBe(1100);
      expect(JSON.stringify(res.body)).not.toContain(owner.organizationId);
    }
  });

  it('a revoked key stops working at once', async () => {
    const created = await createKey('Short-lived');
    expect((await t.call('GET', '/api/v2/auth/test', { as: { apiKey: created.key } })).status).toBe(200);

    const del = await t.call('DELETE', `/api/v2/apiKeys/${created.id}`, { as: owner.session });
    expect(del.status).toBe(200);
    expect(del.body).toBeNull();
    expect(del.headers['content-length']).toBe('0');

    for (const authorization of [`Basic ${b64(`${created.key}:`)}`, `Bearer ${created.key}`]) {
      const res = await t.call('GET', '/api/v2/auth/test', { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(res.body.message.error).toBe(1100);
    }
    const write = await t.call('POST', '/api/v2/teams', { as: { apiKey: created.key }, body: { name: 'After revoke' } });
    expect(write.status).toBe(401);
    const teams = await t.call('GET', '/api/v2/teams', { as: owner.session });
    expect(teams.body.map((x: { name: string }) => x.name)).not.toContain('After revoke');

    expect((await listKeys()).map((k) => k.id)).not.toContain(created.id);
    const again = await t.call('DELETE', `/api/v2/apiKeys/${created.id}`, { as: owner.session });
    expect(again.status).toBe(404);
    expect(again.body.message.error).toBe(1003);
  });

  it('stores keys only hashed', async () => {
    const created = await createKey('Hashed');
    const rows = await t.app.ctx.db.selectFrom('api_keys').selectAll().execute();
    const row = rows.find((r) => r.id === created.id);
    expect(row).toBeTruthy();
    expect(row!.key_hash).not.toBe(created.key);
    for (const r of rows) {
      for (const [column, value] of Object.entries(r)) {
        expect(String(value), `api_keys.${column}`).not.toContain(created.key);
      }
    }
  });
});

describe.each(ds)('API key rate limits (%s)', (dialect) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCourier>>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { RATE_LIMIT_API_MAX: '3' });
    owner = await signUpCourier(t, 'Limited Couriers');
  });
  afterAll(() => t.close());

  it('counts down X-RateLimit-Remaining and answers 429 (error 2300) with Retry-After past the limit', async () => {
    const as = owner.apiKey;
    const start = Math.floor(Date.now() / 1000);
    let reset: number | null = null;
    for (const remaining of [2, 1, 0]) {
      const res = await t.call('GET', '/api/v2/auth/test', { as });
      expect(res.status).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('3');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(remaining));
      const r = Number(res.headers['x-ratelimit-reset']);
      expect(Number.isInteger(r)).toBe(true);
      expect(r).toBeGreaterThanOrEqual(start);
      expect(r).toBeLessThanOrEqual(start + 3600);
      if (reset !== null) expect(r).toBe(reset);
      reset = r;
    }

    const limited = await t.call('GET', '/api/v2/auth/test', { as });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('TooManyRequests');
    expect(limited.body.message.error).toBe(2300);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');

    // Writes are refused too, and nothing is stored.
    const write = await t.call('POST', '/api/v2/teams', { as, body: { name: 'Over the limit' } });
    expect(write.status).toBe(429);
    const teams = await t.call('GET', '/api/v2/teams', { as: owner.session });
    expect(teams.status).toBe(200);
    expect(teams.body.map((x: { name: string }) => x.name)).not.toContain('Over the limit');

    // The limit is per key: a new key of the same organization has its own budget.
    const created = await t.call('POST', '/api/v2/apiKeys', { as: owner.session, body: { name: 'Second' } });
    expect(created.status).toBe(201);
    const fresh = await t.call('GET', '/api/v2/auth/test', { as: { apiKey: created.body.key } });
    expect(fresh.status).toBe(200);
    expect(fresh.headers['x-ratelimit-remaining']).toBe('2');
  });
});
