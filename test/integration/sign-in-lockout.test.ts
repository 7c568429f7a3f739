import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PUBLIC_URL, signUpCourier, type Res, type TestApp } from '../helpers/app.ts';
import { createTestSchema, dialects } from '../helpers/db.ts';
import { acceptedClient } from '../helpers/world.ts';

const ds = await dialects();
const MIN = 60_000;

describe.each(ds)('sign-in lock-out per account (%s)', (dialect) => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signUpCourier>>;
  /** the app's clock: real time plus what the test lets pass */
  let passed = 0;
  const realNow = Date.now;

  beforeAll(async () => {
    // A high per-address limit, so only the per-account lock-out is at work here.
    t = await createTestApp(dialect, { LOGIN_ATTEMPTS_MAX: '1000' });
    owner = await signUpCourier(t, 'Lockout Couriers');
    t.app.ctx.now = () => realNow() + passed;
  });
  afterAll(async () => {
    await t.close();
  });

  const signIn = (email: string, password: string) => t.call('POST', '/api/v2/session', { body: { email, password } });
  const wrong = async (email: string, n: number) => {
    const codes: number[] = [];
    for (let i = 0; i < n; i++) codes.push((await signIn(email, `wrong password ${i}`)).status);
    return codes;
  };
  /** a 429 for the lock-out: the error format, a Retry-After, a message a person can act on */
  function expectLocked(res: Res, seconds: number) {
    expect(res.status, JSON.stringify(res.body)).toBe(429);
    expect(res.body).toMatchObject({ code: 'TooManyRequests', message: { error: 2300, cause: { reason: 'accountLocked' } } });
    expect(res.body.message.message).toMatch(/Forgot your password/);
    const retry = Number(res.headers['retry-after']);
    expect(retry).toBeGreaterThan(seconds - 5);
    expect(retry).toBeLessThanOrEqual(seconds);
    expect(res.body.message.cause.retryAfter).toBe(retry);
  }
  const lockMails = (to: string) =>
    t.app.ctx.db.selectFrom('messages').select(['to_address', 'subject']).where('channel', '=', 'email').where('subject', 'like', 'Sign-in to your Baton account was paused%').where('to_address', '=', to).execute();

  it('locks an account after 5 wrong passwords, even for the right one, until the time has passed', async () => {
    expect(await wrong(owner.email, 5)).toEqual([401, 401, 401, 401, 401]);
    expectLocked(await signIn(owner.email, owner.password), 60);
    // the address is the account, whatever its case
    expectLocked(await signIn(owner.email.toUpperCase(), owner.password), 60);
    passed += 30_000;
    expectLocked(await signIn(owner.email, owner.password), 30);
    passed += 31_000;
    const ok = await signIn(owner.email, owner.password);
    expect(ok.status).toBe(200);
    // a successful sign-in starts the count over
    expect(await wrong(owner.email, 4)).toEqual([401, 401, 401, 401]);
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
  });

  it('locks for longer with each further failure, up to 15 minutes; the owner is mailed once', async () => {
    const c = await signUpCourier(t, 'Doubling Couriers');
    await wrong(c.email, 5);
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const locked = await signIn(c.email, c.password);
      expect(locked.status).toBe(429);
      const retry = Number(locked.headers['retry-after']);
      seen.push(retry);
      passed += retry * 1000 + 1000;
      expect(await wrong(c.email, 1)).toEqual([401]);
    }
    // 1, 2, 4, 8, 15, 15 minutes (rounded up to whole seconds)
    expect(seen.map((s) => Math.round(s / 60))).toEqual([1, 2, 4, 8, 15, 15]);
    expect(seen.every((s, i) => s <= [60, 120, 240, 480, 900, 900][i])).toBe(true);
    const mails = await lockMails(c.email);
    expect(mails).toHaveLength(1);
    // after a day without failures the count starts over
    passed += 16 * MIN + 24 * 60 * MIN;
    expect(await wrong(c.email, 4)).toEqual([401, 401, 401, 401]);
    expect((await signIn(c.email, c.password)).status).toBe(200);
  });

  it('answers an unknown address exactly like an account: 401s, then the same lock and message; nothing mailed', async () => {
    const c = await signUpCourier(t, 'Twin Couriers');
    const ghost = `ghost.${Date.now()}@example.test`;
    const known: Res[] = [];
    const unknown: Res[] = [];
    for (let i = 0; i < 7; i++) {
      known.push(await signIn(c.email, `nope ${i}`));
      unknown.push(await signIn(ghost, `nope ${i}`));
    }
    const shape = (r: Res) => ({ status: r.status, body: { ...r.body, message: { ...r.body.message, request: null } }, retry: r.headers['retry-after'] });
    expect(unknown.map(shape)).toEqual(known.map(shape));
    expect(known.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(await lockMails(ghost)).toHaveLength(0);
    const stored = await t.app.ctx.db.selectFrom('sign_in_failures').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(ghost);
    expect(JSON.stringify(stored)).not.toContain(ghost.toLowerCase());
  });

  it('lifts the lock when the owner chooses a new password with the emailed link', async () => {
    const c = await signUpCourier(t, 'Reset Couriers');
    await wrong(c.email, 5);
    expect((await signIn(c.email, c.password)).status).toBe(429);
    expect((await t.call('POST', '/api/v2/password/forgot', { body: { email: c.email } })).status).toBe(202);
    const msg = await t.app.ctx.db.selectFrom('messages').select('body_text').where('to_address', '=', c.email).where('subject', 'like', 'Reset your Baton password%').executeTakeFirstOrThrow();
    const link = msg.body_text.split('\n').find((l) => l.startsWith(`${PUBLIC_URL}/reset-password/`))!;
    const token = decodeURIComponent(link.slice(`${PUBLIC_URL}/reset-password/`.length));
    const reset = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(token)}`, { body: { password: 'a brand new passphrase' } });
    expect(reset.status, JSON.stringify(reset.body)).toBeLessThan(300);
    expect((await signIn(c.email, 'a brand new passphrase')).status).toBe(200);
  });

  it('locks a client user the same way', async () => {
    const courier = await signUpCourier(t, 'Client Lock Couriers');
    const shop = await acceptedClient(t, courier, 'Locked Shop');
    expect((await signIn(shop.email, shop.password)).status).toBe(200);
    expect(await wrong(shop.email, 5)).toEqual([401, 401, 401, 401, 401]);
    expect((await signIn(shop.email, shop.password)).status).toBe(429);
  });
});

describe.each(ds)('sign-in lock-out across instances (%s)', (dialect) => {
  let dataDir: string;
  let schema: Awaited<ReturnType<typeof createTestSchema>> | null = null;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-lock-'));
    if (dialect === 'postgres') schema = await createTestSchema();
    const place = { dataDir, pgSchema: schema?.schema };
    a = await createTestApp(dialect, { LOGIN_ATTEMPTS_MAX: '1000' }, {}, place);
    b = await createTestApp(dialect, { LOGIN_ATTEMPTS_MAX: '1000' }, {}, place);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await schema?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds on every instance: failures on one lock the account on the other', async () => {
    const owner = await signUpCourier(a, 'Shared Lock Couriers');
    for (let i = 0; i < 3; i++) expect((await a.call('POST', '/api/v2/session', { body: { email: owner.email, password: `bad ${i}` } })).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await b.call('POST', '/api/v2/session', { body: { email: owner.email, password: `bad ${i}` } })).status).toBe(401);
    const locked = await a.call('POST', '/api/v2/session', { body: { email: owner.email, password: owner.password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
