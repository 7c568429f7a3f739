import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

/** A local Nominatim-compatible service: knows one street, fails on demand. */
async function startGeocoder() {
  const state = { failing: false, queries: [] as string[] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const q = url.searchParams.get('q') ?? '';
    state.queries.push(q);
    if (state.failing) {
      res.writeHead(503).end('down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(q.includes('Valencia') ? [{ lat: '37.7599', lon: '-122.4214', display_name: q }] : []));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(ds)('geocoding addresses without coordinates (%s)', (dialect) => {
  let t: TestApp;
  let geo: Awaited<ReturnType<typeof startGeocoder>>;
  let courier: Awaited<ReturnType<typeof signUpCourier>>;
  beforeAll(async () => {
    geo = await startGeocoder();
    t = await createTestApp(dialect, { GEOCODER_URL: geo.url });
    courier = await signUpCourier(t);
  });
  afterAll(async () => {
    await t.close();
    await geo.close();
  });

  const create = (unparsed: string) => t.call('POST', '/api/v2/tasks', { as: courier.apiKey, body: { destination: { address: { unparsed } } } });

  it('fills in the coordinates and clears the warning', async () => {
    const task = (await create('110 Valencia St, San Francisco')).body;
    expect(task.destination.location).toBeNull();
    expect(task.destination.warnings).toHaveLength(1);
    expect(await t.app.geocoding!.pass()).toBe(1);
    const after = (await t.call('GET', `/api/v2/tasks/${task.id}`, { as: courier.apiKey })).body;
    expect(after.destination.location).toEqual([-122.4214, 37.7599]);
    expect(after.destination.warnings).toEqual([]);
    expect(geo.state.queries).toContain('110 Valencia St, San Francisco');
  });

  it('keeps an unknown address with a clear warning, and does not ask again', async () => {
    const task = (await create('1 Nowhere Lane, Atlantis')).body;
    await t.app.geocoding!.pass();
    const after = (await t.call('GET', `/api/v2/tasks/${task.id}`, { as: courier.apiKey })).body;
    expect(after.destination.location).toBeNull();
    expect(after.destination.warnings[0]).toMatch(/could not be found/);
    const asked = geo.state.queries.length;
    await t.app.geocoding!.pass();
    expect(geo.state.queries.length).toBe(asked);
  });

  it('loses nothing while the geocoder is down and retries later', async () => {
    geo.state.failing = true;
    const res = await create('200 Valencia St, San Francisco');
    expect(res.status).toBe(200);
    await t.app.geocoding!.pass();
    const row = await t.app.ctx.db.selectFrom('tasks').select(['geocode_attempts', 'geocode_next_at', 'location_lng']).where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(row.location_lng).toBeNull();
    expect(row.geocode_attempts).toBe(1);
    expect(row.geocode_next_at).toBeGreaterThan(Date.now());
    geo.state.failing = false;
    await t.app.ctx.db.updateTable('tasks').set({ geocode_next_at: Date.now() - 1 }).where('id', '=', res.body.id).execute();
    await t.app.geocoding!.pass();
    expect((await t.call('GET', `/api/v2/tasks/${res.body.id}`, { as: courier.apiKey })).body.destination.location).toEqual([-122.4214, 37.7599]);
  });
});
