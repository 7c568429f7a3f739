import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PUBLIC_URL, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';

const ds = await dialects();
const owner = { organizationName: 'Swift Couriers', name: 'Sam Owner', email: 'sam@swift.test', password: 'a long enough password' };

describe.each(ds)('set-up, sign-in and the API surface (%s)', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect);
  });
  afterAll(() => t.close());

  it('sends the security headers on pages and API answers; HSTS only behind HTTPS', async () => {
    for (const url of ['/', '/api/v2/auth/test', '/track/00000000', '/api/v2/tracking/00000000']) {
      const res = await t.call('GET', url);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      // pages: the web app's policy; API answers: nothing may load at all
      const policy = url.startsWith('/api/') ? /^default-src 'none'; frame-ancestors 'none'$/ : /default-src 'self'.*frame-ancestors 'none'/;
      expect(String(res.headers['content-security-policy'])).toMatch(policy);
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
    const secure = await createTestApp(dialect, {}, { publicUrl: 'https://baton.example' });
    try {
      const res = await secure.call('GET', '/health');
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await secure.close();
    }
  });

  it('reports the database reachable on /health', async () => {
    const res = await t.call('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: { dialect, reachable: true } });
  });

  it('asks for set-up on a new install and refuses a weak password', async () => {
    expect((await t.call('GET', '/api/v2/setup')).body).toEqual({ needed: true });
    const weak = await t.call('POST', '/api/v2/setup', { body: { ...owner, password: 'short' } });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('InvalidContent');
    expect(weak.body.message.error).toBe(1000);
    expect(weak.body.message.cause.fields[0].field).toBe('password');
    expect((await t.call('GET', '/api/v2/setup')).body).toEqual({ needed: true });
  });

  it('creates the courier organization and its owner, signed in with a safe cookie', async () => {
    const res = await t.call('POST', '/api/v2/setup', { body: { ...owner, country: 'GB', timezone: 'Europe/London' } });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ name: 'Sam Owner', email: 'sam@swift.test', role: 'owner', isReadOnly: false });
    expect(res.body.organization).toMatchObject({ name: 'Swift Couriers', kind: 'courier', country: 'GB', timezone: 'Europe/London' });
    expect(res.body.organization.id).toMatch(/^[A-Za-z0-9~*]{24}$/);
    const cookie = res.cookies.find((c) => c.name === 'baton_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const me = await t.call('GET', '/api/v2/session', { as: { cookie: cookie.value } });
    expect(me.status).toBe(200);
    expect(me.body.organization.name).toBe('Swift Couriers');
  });

  it('does not run set-up twice', async () => {
    expect((await t.call('GET', '/api/v2/setup')).body).toEqual({ needed: false });
    const again = await t.call('POST', '/api/v2/setup', { body: { ...owner, email: 'other@swift.test' } });
    expect(again.status).toBe(409);
    expect(again.body.message.error).toBe(1005);
  });

  it('stores the password hashed with scrypt', async () => {
    const row = await t.app.ctx.db.selectFrom('users').select('password_hash').where('email_key', '=', 'sam@swift.test').executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(owner.password);
  });

  it('signs in with a new session each time and signs out', async () => {
    const wrong = await t.call('POST', '/api/v2/session', { body: { email: owner.email, password: 'not the password' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ code: 'InvalidCredentials', message: { error: 1100 } });

    const a = await t.call('POST', '/api/v2/session', { body: { email: 'SAM@swift.test', password: owner.password } });
    expect(a.status).toBe(200);
    const first = a.cookies.find((c) => c.name === 'baton_session')!.value;
    const b = await t.call('POST', '/api/v2/session', { as: { cookie: first }, body: { email: owner.email, password: owner.password } });
    const second = b.cookies.find((c) => c.name === 'baton_session')!.value;
    expect(second).not.toBe(first);
    // Signing in again ended the earlier session.
    expect((await t.call('GET', '/api/v2/session', { as: { cookie: first } })).status).toBe(401);

    const out = await t.call('DELETE', '/api/v2/session', { as: { cookie: second } });
    expect(out.status).toBe(200);
    expect(out.body).toBeNull();
    expect((await t.call('GET', '/api/v2/session', { as: { cookie: second } })).status).toBe(401);
  });

  it('refuses state-changing cookie requests from another origin or without one', async () => {
    const s = await t.call('POST', '/api/v2/session', { body: { email: owner.email, password: owner.password } });
    const cookie = s.cookies.find((c) => c.name === 'baton_session')!.value;
    const evil = await t.call('POST', '/api/v2/teams', { headers: { cookie: `baton_session=${cookie}`, origin: 'https://evil.example' }, body: { name: 'Evil' } });
    expect(evil.status).toBe(403);
    expect(evil.body.message.error).toBe(1105);
    const none = await t.call('POST', '/api/v2/teams', { headers: { cookie: `baton_session=${cookie}` }, body: { name: 'Evil' } });
    expect(none.status).toBe(403);
    const ok = await t.call('POST', '/api/v2/teams', { headers: { cookie: `baton_session=${cookie}`, origin: PUBLIC_URL }, body: { name: 'Good' } });
    expect(ok.status).toBe(200);
    const teams = await t.call('GET', '/api/v2/teams', { as: { cookie } });
    expect(teams.body.map((x: { name: string }) => x.name)).toEqual(['Good']);
  });

  it('limits failed sign-in attempts per address (LOGIN_ATTEMPTS_MAX)', async () => {
    const t2 = await createTestApp(dialect, { LOGIN_ATTEMPTS_MAX: '3' });
    try {
      await t2.call('POST', '/api/v2/setup', { body: owner });
      for (let i = 0; i < 3; i++) {
        expect((await t2.call('POST', '/api/v2/session', { body: { email: owner.email, password: `wrong ${i} attempt` } })).status).toBe(401);
      }
      const locked = await t2.call('POST', '/api/v2/session', { body: { email: owner.email, password: owner.password } });
      expect(locked.status).toBe(429);
      expect(locked.body).toMatchObject({ code: 'TooManyRequests', message: { error: 2300 } });
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t2.close();
    }
  });

  it('answers every failure in the one error format', async () => {
    const unknownRoute = await t.call('GET', '/api/v2/nothing-here');
    expect(unknownRoute.status).toBe(404);
    expect(unknownRoute.body).toMatchObject({ code: 'InvalidContent', message: { error: 1003 } });
    expect(typeof unknownRoute.body.message.request).toBe('string');

    const anonymous = await t.call('GET', '/api/v2/teams');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('InvalidCredentials');

    const badJson = await t.call('POST', '/api/v2/session', { headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.code).toBe('InvalidContent');

    const wrongType = await t.call('POST', '/api/v2/session', { headers: { 'content-type': 'text/csv' }, body: 'a,b' });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.message.error).toBe(1001);

    const huge = await t.call('POST', '/api/v2/session', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(huge.body.message.error).toBe(1012);
  });

  it('publishes the OpenAPI document with every route and the error schema', async () => {
    const res = await t.call('GET', '/api/docs/json');
    expect(res.status).toBe(200);
    const doc = res.body;
    for (const p of ['/api/v2/auth/test', '/api/v2/organization', '/api/v2/admins', '/api/v2/apiKeys', '/api/v2/teams', '/api/v2/workers', '/api/v2/workers/{id}']) {
      expect(doc.paths[p], p).toBeTruthy();
    }
    expect(doc.components.schemas.Error).toBeTruthy();
    // every operation documents its responses
    for (const [p, ops] of Object.entries<Record<string, { responses?: object }>>(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) expect(Object.keys(op.responses ?? {}).length, `${m} ${p}`).toBeGreaterThan(0);
    }
    const ui = await t.call('GET', '/api/docs/');
    expect(ui.status).toBe(200);
  });

  it('updates the organization with validated country and time zone', async () => {
    const s = await t.call('POST', '/api/v2/session', { body: { email: owner.email, password: owner.password } });
    const as = { cookie: s.cookies.find((c) => c.name === 'baton_session')!.value };
    const bad = await t.call('PUT', '/api/v2/organization', { as, body: { timezone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message.cause).toEqual({ field: 'timezone' });
    const ok = await t.call('PUT', '/api/v2/organization', { as, body: { name: 'Swift Couriers Ltd', country: 'fr', timezone: 'Europe/Paris' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'Swift Couriers Ltd', country: 'FR', timezone: 'Europe/Paris' });
    expect((await t.call('GET', '/api/v2/organization', { as })).body.name).toBe('Swift Couriers Ltd');
  });

  it('accepts a logo only when its content is an image, and serves it with a safe type', async () => {
    const s = await t.call('POST', '/api/v2/session', { body: { email: owner.email, password: owner.password } });
    const cookie = s.cookies.find((c) => c.name === 'baton_session')!.value;
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const upload = (data: Buffer, filename: string, type: string) => {
      const boundary = '----baton-test';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return t.app.inject({
        method: 'POST',
        url: '/api/v2/organization/logo',
        headers: { cookie: `baton_session=${cookie}`, origin: PUBLIC_URL, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const fake = await upload(Buffer.from('<svg onload="alert(1)"></svg>'), 'logo.png', 'image/png');
    expect(fake.statusCode).toBe(400);
    const ok = await upload(png, '../../etc/passwd', 'application/octet-stream');
    expect(ok.statusCode).toBe(200);
    const image = JSON.parse(ok.body).image as string;
    expect(image).toMatch(new RegExp(`^${PUBLIC_URL}/files/[A-Za-z0-9~*]{24}$`));
    const file = await t.app.inject({ url: new URL(image).pathname });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(png)).toBe(true);
  });
});
