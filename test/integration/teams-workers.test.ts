import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PUBLIC_URL, signUpCourier, uniqueEmail, type Creds, type Res, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();

const ID = /^[A-Za-z0-9~*]{24}$/;
const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZ';

/** DELETE answers 200 with an empty body (not even `null`). */
function expectEmptyBody(res: Res) {
  expect(res.body).toBeNull();
  expect(res.headers['content-length']).toBe('0');
}

describe.each(ds)('teams and workers (%s)', (dialect) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCourier>>;
  let as: Creds;
  let phoneSeq = 0;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    owner = await signUpCourier(t, 'Crew Couriers');
    as = owner.apiKey;
  });
  afterAll(() => t.close());

  /** A distinct valid US number per call (E.164). */
  const nextPhone = () => `+1415555${String(1000 + ++phoneSeq).padStart(4, '0')}`;

  async function team(name: string) {
    const res = await t.call('POST', '/api/v2/teams', { as, body: { name } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { id: string; name: string; workers: string[]; timeLastModified: number };
  }

  async function worker(body: Record<string, unknown>, creds: Creds = as) {
    const res = await t.call('POST', '/api/v2/workers', { as: creds, body: { name: 'Driver', phone: nextPhone(), ...body } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  async function workerCount() {
    return (await t.call('GET', '/api/v2/workers', { as })).body.length as number;
  }

  async function eventsFor(subjectId: string) {
    return t.app.ctx.db.selectFrom('events').selectAll().where('subject_id', '=', subjectId).orderBy('seq').execute();
  }

  describe('teams', () => {
    it('creates, reads, lists and renames a team', async () => {
      const created = await team('North');
      expect(created.id).toMatch(ID);
      expect(created).toMatchObject({ name: 'North', workers: [], managers: [], hub: null, enableSelfAssignment: false, tasks: [] });
      expect(created).toHaveProperty('timeCreated', expect.any(Number));

      const got = await t.call('GET', `/api/v2/teams/${created.id}`, { as });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created);

      const list = await t.call('GET', '/api/v2/teams', { as });
      expect(list.status).toBe(200);
      expect(list.body.map((x: { id: string }) => x.id)).toContain(created.id);

      const renamed = await t.call('PUT', `/api/v2/teams/${created.id}`, { as, body: { name: 'North East', enableSelfAssignment: true } });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: created.id, name: 'North East', enableSelfAssignment: true });
      expect(renamed.body.timeLastModified).toBeGreaterThanOrEqual(created.timeLastModified);
      expect((await t.call('GET', `/api/v2/teams/${created.id}`, { as })).body.name).toBe('North East');
    });

    it('refuses a duplicate team name with 409 (error 1004)', async () => {
      const a = await team('Duplicates');
      const before = (await t.call('GET', '/api/v2/teams', { as })).body.length;
      const dup = await t.call('POST', '/api/v2/teams', { as, body: { name: 'duplicates' } });
      expect(dup.status).toBe(409);
      expect(dup.body.code).toBe('InvalidContent');
      expect(dup.body.message.error).toBe(1004);
      expect((await t.call('GET', '/api/v2/teams', { as })).body.length).toBe(before);

      const b = await team('Other Name');
      const rename = await t.call('PUT', `/api/v2/teams/${b.id}`, { as, body: { name: 'Duplicates' } });
      expect(rename.status).toBe(409);
      expect(rename.body.message.error).toBe(1004);
      expect((await t.call('GET', `/api/v2/teams/${b.id}`, { as })).body.name).toBe('Other Name');
      // Renaming a team to its own name is fine.
      expect((await t.call('PUT', `/api/v2/teams/${a.id}`, { as, body: { name: 'Duplicates' } })).status).toBe(200);
    });

    it('refuses to delete a team that has drivers, and deletes an empty one', async () => {
      const busy = await team('Busy');
      const w = await worker({ name: 'Busy Driver', teams: [busy.id] });
      const refused = await t.call('DELETE', `/api/v2/teams/${busy.id}`, { as });
      expect(refused.status).toBe(409);
      expect(refused.body.message.error).toBe(1005);
      expect(refused.body.message.message).toMatch(/driver/i);
      const still = await t.call('GET', `/api/v2/teams/${busy.id}`, { as });
      expect(still.status).toBe(200);
      expect(still.body.workers).toEqual([w.id]);
      expect((await t.call('GET', `/api/v2/workers/${w.id}`, { as })).body.teams).toEqual([busy.id]);

      const empty = await team('Empty');
      const del = await t.call('DELETE', `/api/v2/teams/${empty.id}`, { as });
      expect(del.status).toBe(200);
      expectEmptyBody(del);
      const gone = await t.call('GET', `/api/v2/teams/${empty.id}`, { as });
      expect(gone.status).toBe(404);
      expect((await t.call('GET', '/api/v2/teams', { as })).body.map((x: { id: string }) => x.id)).not.toContain(empty.id);
    });

    it('answers 404 (error 1003) for unknown team ids', async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { name: 'Ghost' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.call(method, `/api/v2/teams/${UNKNOWN_ID}`, { as, body });
        expect(res.status, method).toBe(404);
        expect(res.body.code).toBe('InvalidContent');
        expect(res.body.message.error).toBe(1003);
      }
      expect((await t.call('GET', '/api/v2/teams', { as })).body.map((x: { name: string }) => x.name)).not.toContain('Ghost');
    });

    it('refuses to remove a driver from its only team', async () => {
      const only = await team('Only Team');
      const other = await team('Second Team');
      const w = await worker({ name: 'Loyal Driver', teams: [only.id] });
      const res = await t.call('PUT', `/api/v2/teams/${only.id}`, { as, body: { workers: [] } });
      expect(res.status).toBe(409);
      expect(res.body.message.error).toBe(1005);
      expect(res.body.message.cause).toMatchObject({ workers: [w.id] });
      expect((await t.call('GET', `/api/v2/teams/${only.id}`, { as })).body.workers).toEqual([w.id]);
      expect((await t.call('GET', `/api/v2/workers/${w.id}`, { as })).body.teams).toEqual([only.id]);

      // Once the driver is in another team too, it can leave this one.
      const add = await t.call('PUT', `/api/v2/teams/${other.id}`, { as, body: { workers: [w.id] } });
      expect(add.status).toBe(200);
      expect(add.body.workers).toEqual([w.id]);
      const leave = await t.call('PUT', `/api/v2/teams/${only.id}`, { as, body: { workers: [] } });
      expect(leave.status).toBe(200);
      expect(leave.body.workers).toEqual([]);
      expect((await t.call('GET', `/api/v2/workers/${w.id}`, { as })).body.teams).toEqual([other.id]);
    });
  });

  describe('workers', () => {
    it('creates a driver from a national phone number and returns it in E.164', async () => {
      const a = await team('Phones');
      const res = await t.call('POST', '/api/v2/workers', {
        as,
        body: {
          name: 'Nat Ional',
          phone: '(415) 555-0123',
          teams: [a.id],
          vehicle: { type: 'BICYCLE', description: 'Cargo bike', licensePlate: 'BIKE-1', color: 'Orange' },
          capacity: 12,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.id).toMatch(ID);
      expect(res.body).toMatchObject({
        name: 'Nat Ional',
        phone: '+14155550123',
        teams: [a.id],
        organization: owner.organizationId,
        onDuty: false,
        location: null,
        activeTask: null,
        tasks: [],
        vehicle: { type: 'BICYCLE', description: 'Cargo bike', licensePlate: 'BIKE-1', color: 'Orange' },
        capacity: 12,
        accountStatus: 'INVITED',
      });
      const got = await t.call('GET', `/api/v2/workers/${res.body.id}`, { as });
      expect(got.status).toBe(200);
      expect(got.body).toEqual(res.body);
      expect((await t.call('GET', `/api/v2/teams/${a.id}`, { as })).body.workers).toContain(res.body.id);

      // The same number in another format is the same phone.
      const before = await workerCount();
      const dup = await t.call('POST', '/api/v2/workers', { as, body: { name: 'Copy Cat', phone: '+1 415-555-0123', teams: [a.id] } });
      expect(dup.status).toBe(409);
      expect(dup.body.message.error).toBe(1004);
      expect(dup.body.message.cause).toMatchObject({ field: 'phone' });
      expect(await workerCount()).toBe(before);
    });

    it('writes a worker.created event in the same transaction, and none for a refused create', async () => {
      const a = await team('Events');
      const w = await worker({ name: 'Evented', teams: [a.id] });
      const events = await eventsFor(w.id);
      expect(events.map((e) => e.type)).toEqual(['worker.created']);
      expect(events[0].organization_id).toBe(owner.organizationId);
      expect(JSON.parse(events[0].payload)).toMatchObject({ id: w.id, name: 'Evented', phone: w.phone, teams: [a.id] });

      const countBefore = (await t.app.ctx.db.selectFrom('events').select('id').where('type', '=', 'worker.created').execute()).length;
      const refused = await t.call('POST', '/api/v2/workers', { as, body: { name: 'Twin', phone: w.phone, teams: [a.id] } });
      expect(refused.status).toBe(409);
      const countAfter = (await t.app.ctx.db.selectFrom('events').select('id').where('type', '=', 'worker.created').execute()).length;
      expect(countAfter).toBe(countBefore);
    });

    it('refuses invalid phones, missing or unknown teams, and stores nothing', async () => {
      const a = await team('Validation');
      const before = await workerCount();

      const badPhone = await t.call('POST', '/api/v2/workers', { as, body: { name: 'Bad Phone', phone: '12345', teams: [a.id] } });
      expect(badPhone.status).toBe(400);
      expect(badPhone.body.code).toBe('InvalidContent');
      expect(badPhone.body.message.error).toBe(1010);

      const noTeams = await t.call('POST', '/api/v2/workers', { as, body: { name: 'No Teams', phone: nextPhone(), teams: [] } });
      expect(noTeams.status).toBe(400);
      expect(noTeams.body.message.error).toBe(1000);
      expect(noTeams.body.message.cause.fields[0].field).toBe('teams');

      const missingTeams = await t.call('POST', '/api/v2/workers', { as, body: { name: 'Missing Teams', phone: nextPhone() } });
      expect(missingTeams.status).toBe(400);
      expect(missingTeams.body.message.error).toBe(1000);
      expect(missingTeams.body.message.cause.fields[0].field).toBe('teams');

      const unknownTeam = await t.call('POST', '/api/v2/workers', { as, body: { name: 'Unknown Team', phone: nextPhone(), teams: [UNKNOWN_ID] } });
      expect(unknownTeam.status).toBe(400);
      expect(unknownTeam.body.message.error).toBe(1000);
      expect(unknownTeam.body.message.cause).toMatchObject({ field: 'teams' });

      const badVehicle = await t.call('POST', '/api/v2/workers', { as, body: { name: 'Bad Vehicle', phone: nextPhone(), teams: [a.id], vehicle: { type: 'SPACESHIP' } } });
      expect(badVehicle.status).toBe(400);
      expect(badVehicle.body.message.error).toBe(1000);

      expect(await workerCount()).toBe(before);
      expect((await t.call('GET', `/api/v2/teams/${a.id}`, { as })).body.workers).toEqual([]);
    });

    it('updates phone, teams, vehicle and capacity', async () => {
      const a = await team('Update A');
      const b = await team('Update B');
      const w = await worker({ name: 'Changing', teams: [a.id], vehicle: { type: 'CAR', licensePlate: 'OLD-1' }, capacity: 2 });
      expect(w.vehicle).toMatchObject({ type: 'CAR', licensePlate: 'OLD-1', description: null, color: null });

      const res = await t.call('PUT', `/api/v2/workers/${w.id}`, {
        as,
        body: { phone: '(415) 555-0199', teams: [b.id], vehicle: { type: 'TRUCK', description: 'Box truck', licensePlate: 'NEW-2', color: 'White' }, capacity: 40 },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({
        id: w.id,
        name: 'Changing',
        phone: '+14155550199',
        teams: [b.id],
        vehicle: { type: 'TRUCK', description: 'Box truck', licensePlate: 'NEW-2', color: 'White' },
        capacity: 40,
      });
      expect((await t.call('GET', `/api/v2/workers/${w.id}`, { as })).body).toEqual(res.body);
      expect((await t.call('GET', `/api/v2/teams/${a.id}`, { as })).body.workers).not.toContain(w.id);
      expect((await t.call('GET', `/api/v2/teams/${b.id}`, { as })).body.workers).toContain(w.id);

      const noVehicle = await t.call('PUT', `/api/v2/workers/${w.id}`, { as, body: { vehicle: null } });
      expect(noVehicle.status).toBe(200);
      expect(noVehicle.body.vehicle).toBeNull();

      // A refused update changes nothing.
      const other = await worker({ name: 'Other', teams: [a.id] });
      const clash = await t.call('PUT', `/api/v2/workers/${w.id}`, { as, body: { phone: other.phone, name: 'Renamed' } });
      expect(clash.status).toBe(409);
      expect(clash.body.message.error).toBe(1004);
      const bad = await t.call('PUT', `/api/v2/workers/${w.id}`, { as, body: { phone: 'not a phone', name: 'Renamed' } });
      expect(bad.status).toBe(400);
      expect(bad.body.message.error).toBe(1010);
      const unknown = await t.call('PUT', `/api/v2/workers/${w.id}`, { as, body: { teams: [UNKNOWN_ID] } });
      expect(unknown.status).toBe(400);
      const empty = await t.call('PUT', `/api/v2/workers/${w.id}`, { as, body: { teams: [] } });
      expect(empty.status).toBe(400);
      const after = (await t.call('GET', `/api/v2/workers/${w.id}`, { as })).body;
      expect(after).toMatchObject({ name: 'Changing', phone: '+14155550199', teams: [b.id] });
    });

    it('lists drivers filtered by team', async () => {
      const a = await team('Filter A');
      const b = await team('Filter B');
      const wa = await worker({ name: 'In A', teams: [a.id] });
      const wb = await worker({ name: 'In B', teams: [b.id] });
      const wab = await worker({ name: 'In Both', teams: [a.id, b.id] });

      const all = (await t.call('GET', '/api/v2/workers', { as })).body.map((w: { id: string }) => w.id);
      expect(all).toEqual(expect.arrayContaining([wa.id, wb.id, wab.id]));

      const onlyA = await t.call('GET', `/api/v2/workers?teams=${a.id}`, { as });
      expect(onlyA.status).toBe(200);
      expect(onlyA.body.map((w: { id: string }) => w.id).sort()).toEqual([wa.id, wab.id].sort());

      const onlyB = await t.call('GET', `/api/v2/workers?teams=${b.id}`, { as });
      expect(onlyB.body.map((w: { id: string }) => w.id).sort()).toEqual([wb.id, wab.id].sort());

      const both = await t.call('GET', `/api/v2/workers?teams=${a.id},${b.id}`, { as });
      expect(both.body.map((w: { id: string }) => w.id).sort()).toEqual([wa.id, wb.id, wab.id].sort());
    });

    it('deletes a driver', async () => {
      const a = await team('Delete');
      const w = await worker({ name: 'Leaving', teams: [a.id] });
      const del = await t.call('DELETE', `/api/v2/workers/${w.id}`, { as });
      expect(del.status).toBe(200);
      expectEmptyBody(del);
      const gone = await t.call('GET', `/api/v2/workers/${w.id}`, { as });
      expect(gone.status).toBe(404);
      expect(gone.body.message.error).toBe(1003);
      expect((await t.call('GET', `/api/v2/teams/${a.id}`, { as })).body.workers).toEqual([]);
      expect((await eventsFor(w.id)).map((e) => e.type)).toEqual(['worker.created', 'worker.deleted']);
      // The team can now be deleted.
      expect((await t.call('DELETE', `/api/v2/teams/${a.id}`, { as })).status).toBe(200);
    });

    it('answers 404 (error 1003) for unknown worker ids', async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { name: 'Ghost' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.call(method, `/api/v2/workers/${UNKNOWN_ID}`, { as, body });
        expect(res.status, method).toBe(404);
        expect(res.body.message.error).toBe(1003);
      }
    });
  });

  describe('dispatcher scope', () => {
    /** Invites a dispatcher, reads the link from the outbox and accepts it. */
    async function dispatcher() {
      const email = uniqueEmail('dispatcher');
      const inv = await t.call('POST', '/api/v2/admins', { as: owner.session, body: { name: 'Dana Dispatcher', email, type: 'standard' } });
      expect(inv.status).toBe(200);
      await t.app.ctx.messages.flush();
      const outbox = await t.call('GET', '/api/v2/outbox', { as: owner.session });
      const mail = outbox.body.messages.find((m: { to: string }) => m.to === email);
      const link: string = mail.links.find((l: string) => l.startsWith(`${PUBLIC_URL}/join/`));
      const token = decodeURIComponent(link.slice(`${PUBLIC_URL}/join/`.length));
      const acc = await t.call('POST', `/api/v2/admin-invitations/${encodeURIComponent(token)}/accept`, { body: { password: 'dispatcher password 1' } });
      expect(acc.status).toBe(200);
      const cookie = acc.cookies.find((c) => c.name === 'baton_session')!.value;
      return { id: inv.body.id as string, session: { cookie } as Creds };
    }

    it('a dispatcher manages drivers only in its own teams', async () => {
      const a = await team('Dispatch A');
      const b = await team('Dispatch B');
      const d = await dispatcher();
      const scoped = await t.call('PUT', `/api/v2/admins/${d.id}`, { as: owner.session, body: { teams: [a.id] } });
      expect(scoped.status).toBe(200);
      expect(scoped.body.teams).toEqual([a.id]);
      expect((await t.call('GET', `/api/v2/teams/${a.id}`, { as })).body.managers).toEqual([d.id]);

      const inA = await t.call('POST', '/api/v2/workers', { as: d.session, body: { name: 'Scoped Driver', phone: nextPhone(), teams: [a.id] } });
      expect(inA.status, JSON.stringify(inA.body)).toBe(200);
      expect(inA.body.teams).toEqual([a.id]);

      const before = await workerCount();
      const phone = nextPhone();
      const inB = await t.call('POST', '/api/v2/workers', { as: d.session, body: { name: 'Out of Scope', phone, teams: [b.id] } });
      expect(inB.status).toBe(403);
      expect(inB.body.code).toBe('Forbidden');
      expect(inB.body.message.error).toBe(1103);
      expect(await workerCount()).toBe(before);
      expect((await t.call('GET', `/api/v2/teams/${b.id}`, { as })).body.workers).toEqual([]);

      // Nor move its driver into a team it does not manage, nor touch drivers of other teams.
      const move = await t.call('PUT', `/api/v2/workers/${inA.body.id}`, { as: d.session, body: { teams: [b.id] } });
      expect(move.status).toBe(403);
      expect((await t.call('GET', `/api/v2/workers/${inA.body.id}`, { as })).body.teams).toEqual([a.id]);
      const foreign = await worker({ name: 'Foreign', teams: [b.id] });
      const edit = await t.call('PUT', `/api/v2/workers/${foreign.id}`, { as: d.session, body: { name: 'Hijacked' } });
      expect(edit.status).toBe(403);
      const del = await t.call('DELETE', `/api/v2/workers/${foreign.id}`, { as: d.session });
      expect(del.status).toBe(403);
      expect((await t.call('GET', `/api/v2/workers/${foreign.id}`, { as })).body.name).toBe('Foreign');

      // Teams themselves are for administrators.
      const mk = await t.call('POST', '/api/v2/teams', { as: d.session, body: { name: 'Dispatcher Team' } });
      expect(mk.status).toBe(403);
    });
  });
});
