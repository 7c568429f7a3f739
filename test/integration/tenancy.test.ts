import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, uniqueEmail, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

type Courier = Awaited<ReturnType<typeof signUpCourier>>;

describe.each(ds)('tenancy: two courier organizations on one server (%s)', (dialect) => {
  let t: TestApp;
  let a: Courier;
  let b: Courier;
  /** A's things */
  const A = { team: '', worker: '', workerPhone: '', admin: '', adminEmail: '', owner: '', key: '', message: '' };
  /** B's own things, used to try cross-organization references */
  const B = { team: '', worker: '', admin: '', adminEmail: '' };

  beforeAll(async () => {
    t = await createTestApp(dialect);
    a = await signUpCourier(t, 'Alpha Couriers');
    b = await signUpCourier(t, 'Bravo Couriers');
    A.owner = a.userId;

    const ok = (r: { status: number; body: unknown }) => {
      if (r.status !== 200 && r.status !== 201) throw new Error(JSON.stringify(r.body));
      return r.body as { id: string; phone?: string };
    };
    A.team = ok(await t.call('POST', '/api/v2/teams', { as: a.apiKey, body: { name: 'Alpha Team' } })).id;
    const w = ok(await t.call('POST', '/api/v2/workers', { as: a.apiKey, body: { name: 'Alpha Driver', phone: '+14155550101', teams: [A.team] } }));
    A.worker = w.id;
    A.workerPhone = w.phone!;
    A.adminEmail = uniqueEmail('alpha-admin');
    A.admin = ok(await t.call('POST', '/api/v2/admins', { as: a.session, body: { name: 'Alpha Admin', email: A.adminEmail, type: 'standard', teams: [A.team] } })).id;
    A.key = ok(await t.call('POST', '/api/v2/apiKeys', { as: a.session, body: { name: 'Alpha Extra' } })).id;

    B.team = ok(await t.call('POST', '/api/v2/teams', { as: b.apiKey, body: { name: 'Bravo Team' } })).id;
    // The same phone number may exist in another organization.
    B.worker = ok(await t.call('POST', '/api/v2/workers', { as: b.apiKey, body: { name: 'Bravo Driver', phone: '+14155550101', teams: [B.team] } })).id;
    B.adminEmail = uniqueEmail('bravo-admin');
    B.admin = ok(await t.call('POST', '/api/v2/admins', { as: b.session, body: { name: 'Bravo Admin', email: B.adminEmail, type: 'standard' } })).id;

    await t.app.ctx.messages.flush();
    const outbox = await t.call('GET', '/api/v2/outbox', { as: a.session });
    A.message = outbox.body.messages.find((m: { to: string }) => m.to === A.adminEmail).id;
  });
  afterAll(() => t.close());

  /** Everything A can see about its own data, to compare before and after B's attempts. */
  async function snapshotOfA() {
    const get = async (url: string) => {
      const r = await t.call('GET', url, { as: a.apiKey });
      expect(r.status, url).toBe(200);
      return r.body;
    };
    return {
      team: await get(`/api/v2/teams/${A.team}`),
      worker: await get(`/api/v2/workers/${A.worker}`),
      admin: await get(`/api/v2/admins/${A.admin}`),
      owner: await get(`/api/v2/admins/${A.owner}`),
      teams: await get('/api/v2/teams'),
      workers: await get('/api/v2/workers'),
      admins: await get('/api/v2/admins'),
      keys: (await get('/api/v2/apiKeys')).map((k: { id: string; name: string }) => ({ id: k.id, name: k.name })),
      organization: await get('/api/v2/organization'),
    };
  }

  const aIds = () => [A.team, A.worker, A.admin, A.owner, A.key, a.organizationId];
  const credsOfB = (): Array<[string, Creds]> => [
    ['API key', b.apiKey],
    ['session', b.session],
  ];

  it("B cannot read A's teams, workers or people: 404, never the data", async () => {
    for (const [label, as] of credsOfB()) {
      for (const url of [`/api/v2/teams/${A.team}`, `/api/v2/workers/${A.worker}`, `/api/v2/admins/${A.admin}`, `/api/v2/admins/${A.owner}`]) {
        const res = await t.call('GET', url, { as });
        expect(res.status, `${label} GET ${url}`).toBe(404);
        expect(res.body.code).toBe('InvalidContent');
        expect(res.body.message.error).toBe(1003);
        const text = JSON.stringify(res.body);
        for (const secret of ['Alpha', A.workerPhone, A.adminEmail, a.email]) expect(text, `${label} GET ${url}`).not.toContain(secret);
      }
    }
  });

  it("B cannot change or delete A's teams, workers, people or keys: 404 and A's data is unchanged", async () => {
    const before = await snapshotOfA();
    const attempts: Array<[string, string, unknown]> = [
      ['PUT', `/api/v2/teams/${A.team}`, { name: 'Hijacked Team' }],
      ['PUT', `/api/v2/teams/${A.team}`, { workers: [] }],
      ['DELETE', `/api/v2/teams/${A.team}`, undefined],
      ['PUT', `/api/v2/workers/${A.worker}`, { name: 'Hijacked Driver', capacity: 99 }],
      ['PUT', `/api/v2/workers/${A.worker}`, { teams: [B.team] }],
      ['DELETE', `/api/v2/workers/${A.worker}`, undefined],
      ['PUT', `/api/v2/admins/${A.admin}`, { name: 'Hijacked Admin' }],
      ['PUT', `/api/v2/admins/${A.admin}`, { type: 'super', isReadOnly: true }],
      ['POST', `/api/v2/admins/${A.admin}/invite`, undefined],
      ['POST', `/api/v2/admins/${A.owner}/deactivate`, undefined],
      ['POST', `/api/v2/admins/${A.owner}/activate`, undefined],
      ['DELETE', `/api/v2/admins/${A.admin}`, undefined],
      ['DELETE', `/api/v2/admins/${A.owner}`, undefined],
      ['DELETE', `/api/v2/apiKeys/${A.key}`, undefined],
    ];
    for (const [label, as] of credsOfB()) {
      for (const [method, url, body] of attempts) {
        const res = await t.call(method as 'PUT', url, { as, body });
        expect(res.status, `${label} ${method} ${url}`).toBe(404);
        expect(res.body.message.error, `${label} ${method} ${url}`).toBe(1003);
      }
    }
    expect(await snapshotOfA()).toEqual(before);
    // A's extra key still works, and no invitation was re-sent on A's behalf.
    await t.app.ctx.messages.flush();
    const outbox = await t.call('GET', '/api/v2/outbox', { as: a.session });
    expect(outbox.body.messages.filter((m: { to: string }) => m.to === A.adminEmail)).toHaveLength(1);
  });

  it("B cannot point its own things at A's: unknown ids are refused and nothing is stored", async () => {
    const before = await snapshotOfA();
    const bWorkersBefore = (await t.call('GET', '/api/v2/workers', { as: b.apiKey })).body;
    const bTeamBefore = (await t.call('GET', `/api/v2/teams/${B.team}`, { as: b.apiKey })).body;

    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/v2/workers', { name: 'Sneaky Driver', phone: '+14155550177', teams: [A.team] }],
      ['PUT', `/api/v2/workers/${B.worker}`, { teams: [A.team] }],
      ['PUT', `/api/v2/teams/${B.team}`, { workers: [B.worker, A.worker] }],
      ['PUT', `/api/v2/teams/${B.team}`, { managers: [A.owner] }],
      ['POST', '/api/v2/teams', { name: 'Sneaky Team', workers: [A.worker] }],
      ['POST', '/api/v2/teams', { name: 'Sneaky Team 2', managers: [A.admin] }],
      ['PUT', `/api/v2/admins/${B.admin}`, { teams: [A.team] }],
      ['POST', '/api/v2/admins', { name: 'Sneaky Admin', email: uniqueEmail('sneaky'), type: 'standard', teams: [A.team] }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.call(method as 'POST', url, { as: b.session, body });
      expect(res.status, `${method} ${url}`).toBe(400);
      expect(res.body.message.error, `${method} ${url}`).toBe(1000);
    }

    expect(await snapshotOfA()).toEqual(before);
    expect((await t.call('GET', '/api/v2/workers', { as: b.apiKey })).body).toEqual(bWorkersBefore);
    expect((await t.call('GET', `/api/v2/teams/${B.team}`, { as: b.apiKey })).body).toEqual(bTeamBefore);
    const bTeams = (await t.call('GET', '/api/v2/teams', { as: b.apiKey })).body.map((x: { name: string }) => x.name);
    expect(bTeams).not.toContain('Sneaky Team');
    expect(bTeams).not.toContain('Sneaky Team 2');
    const bAdmins = (await t.call('GET', '/api/v2/admins', { as: b.apiKey })).body.map((x: { name: string }) => x.name);
    expect(bAdmins).not.toContain('Sneaky Admin');
    expect((await t.call('GET', `/api/v2/admins/${B.admin}`, { as: b.apiKey })).body.teams).toEqual([]);
  });

  it("B's lists never include A's ids", async () => {
    for (const [label, as] of credsOfB()) {
      const lists: Array<[string, (body: any) => Array<{ id: string }>]> = [
        ['/api/v2/teams', (x) => x],
        ['/api/v2/workers', (x) => x],
        [`/api/v2/workers?teams=${A.team}`, (x) => x],
        ['/api/v2/admins', (x) => x],
        ['/api/v2/apiKeys', (x) => x],
      ];
      for (const [url, items] of lists) {
        const res = await t.call('GET', url, { as });
        expect(res.status, `${label} ${url}`).toBe(200);
        const ids = items(res.body).map((x) => x.id);
        for (const id of aIds()) expect(ids, `${label} ${url}`).not.toContain(id);
        const text = JSON.stringify(res.body);
        expect(text, `${label} ${url}`).not.toContain('Alpha');
        expect(text, `${label} ${url}`).not.toContain(a.organizationId);
      }
      expect((await t.call('GET', `/api/v2/workers?teams=${A.team}`, { as })).body).toEqual([]);
      // B does see its own.
      expect((await t.call('GET', '/api/v2/teams', { as })).body.map((x: { id: string }) => x.id)).toEqual([B.team]);
      expect((await t.call('GET', '/api/v2/workers', { as })).body.map((x: { id: string }) => x.id)).toEqual([B.worker]);
      expect((await t.call('GET', '/api/v2/admins', { as })).body.map((x: { id: string }) => x.id).sort()).toEqual([b.userId, B.admin].sort());
    }
  });

  it('GET /organization and /auth/test answer with the caller’s own organization', async () => {
    for (const [label, as] of credsOfB()) {
      const res = await t.call('GET', '/api/v2/organization', { as });
      expect(res.status, label).toBe(200);
      expect(res.body).toMatchObject({ id: b.organizationId, name: 'Bravo Couriers', kind: 'courier' });
    }
    const mine = await t.call('GET', '/api/v2/organization', { as: a.apiKey });
    expect(mine.body).toMatchObject({ id: a.organizationId, name: 'Alpha Couriers' });
    const test = await t.call('GET', '/api/v2/auth/test', { as: b.apiKey });
    expect(test.body.message).toContain(`'${b.organizationId}'`);
  });

  it("B's outbox never shows A's mail", async () => {
    await t.app.ctx.messages.flush();
    for (const [label, as] of credsOfB()) {
      const res = await t.call('GET', '/api/v2/outbox', { as });
      expect(res.status, label).toBe(200);
      expect(res.body.messages.map((m: { to: string }) => m.to), label).not.toContain(A.adminEmail);
      expect(res.body.messages.map((m: { id: string }) => m.id)).not.toContain(A.message);
      expect(JSON.stringify(res.body)).not.toContain('Alpha');
      // paging from one of A's messages is refused, not answered with A's neighbours
      const foreign = await t.call('GET', `/api/v2/outbox?lastId=${A.message}`, { as });
      expect(foreign.status, label).toBe(400);
      expect(JSON.stringify(foreign.body)).not.toContain('Alpha');
      const own = await t.call('GET', '/api/v2/outbox', { as });
      expect(own.body.messages.map((m: { to: string }) => m.to)).toContain(B.adminEmail);
    }
    const aOutbox = await t.call('GET', '/api/v2/outbox', { as: a.session });
    expect(aOutbox.body.messages.map((m: { to: string }) => m.to)).not.toContain(B.adminEmail);
  });
});
