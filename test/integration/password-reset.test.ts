import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PUBLIC_URL, signUpCourier, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startSmtpReceiver } from '../helpers/smtp.ts';
import { acceptedClient } from '../helpers/world.ts';

const ds = await dialects();

describe.each(ds)('forgotten password (%s)', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let owner: Awaited<ReturnType<typeof signUpCourier>>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await createTestApp(dialect, { SMTP_URL: smtp.url, LOGIN_ATTEMPTS_MAX: '50' });
    owner = await signUpCourier(t, 'Reset Couriers');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const isReset = (l: string) => l.startsWith(`${PUBLIC_URL}/reset-password/`);
  async function resetLink(email: string, notToken?: string) {
    await t.app.ctx.messages.flush();
    const tokenOf = (l: string) => decodeURIComponent(l.slice(`${PUBLIC_URL}/reset-password/`.length));
    const mail = await smtp.waitFor(email, (m) => m.links.some((l) => isReset(l) && tokenOf(l) !== notToken));
    return { mail, token: tokenOf(mail.links.find(isReset)!) };
  }
  const signIn = (email: string, password: string) => t.call('POST', '/api/v2/session', { body: { email, password } });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = smtp.inbox.length;
    const res = await t.call('POST', '/api/v2/password/forgot', { body: { email: 'nobody.here@example.test' } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true, message: expect.stringMatching(/If an account uses this email/) });
    const known = await t.call('POST', '/api/v2/password/forgot', { body: { email: owner.email } });
    expect(known.status).toBe(202);
    expect(known.body).toEqual(res.body);
    await resetLink(owner.email);
    expect(smtp.inbox.slice(before).map((m) => m.to[0])).toEqual([owner.email.toLowerCase()]);
    // bad input: the one error format, at the field
    const bad = await t.call('POST', '/api/v2/password/forgot', { body: { email: 'not an address' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('InvalidContent');
    expect(JSON.stringify(bad.body.message.cause)).toContain('email');
  });

  it('sets a new password with the link once; every old session ends; the old password stops working', async () => {
    const oldSession = owner.session;
    expect((await t.call('GET', '/api/v2/session', { as: oldSession })).status).toBe(200);
    await t.call('POST', '/api/v2/password/forgot', { body: { email: owner.email } });
    const { mail, token } = await resetLink(owner.email);
    expect(mail.subject).toMatch(/Reset your Baton password/);
    // stored only hashed
    const stored = await t.app.ctx.db.selectFrom('tokens').select('token_hash').where('purpose', '=', 'password_reset').execute();
    expect(stored.map((r) => r.token_hash)).not.toContain(token);

    const weak = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(token)}`, { body: { password: 'short' } });
    expect(weak.status).toBe(400);
    const res = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(token)}`, { body: { password: 'a completely new password' } });
    expect(res.status).toBe(200);
    const fresh: Creds = { cookie: res.cookies.find((c) => c.name === 'baton_session')!.value };
    expect((await t.call('GET', '/api/v2/session', { as: fresh })).status).toBe(200);
    expect((await t.call('GET', '/api/v2/session', { as: oldSession })).status).toBe(401);
    expect((await signIn(owner.email, owner.password)).status).toBe(401);
    expect((await signIn(owner.email, 'a completely new password')).status).toBe(200);
    // single use
    const again = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(token)}`, { body: { password: 'yet another password' } });
    expect(again.status).toBe(410);
    expect(again.body.message.cause).toEqual({ reason: 'used' });
    // the change is in the person's history
    const audit = await t.app.ctx.db.selectFrom('audit_log').select('action').where('subject_id', '=', owner.userId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.passwordResetRequested', 'user.passwordReset']));
    owner = { ...owner, password: 'a completely new password', session: fresh };
  });

  it('only the newest link works, and a link expires after an hour', async () => {
    await t.call('POST', '/api/v2/password/forgot', { body: { email: owner.email } });
    const first = await resetLink(owner.email);
    await t.call('POST', '/api/v2/password/forgot', { body: { email: owner.email } });
    const second = await resetLink(owner.email, first.token);
    const voided = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(first.token)}`, { body: { password: 'never applied password' } });
    expect(voided.status).toBe(410);
    expect(voided.body.message.cause).toEqual({ reason: 'voided' });
    await t.app.ctx.db.updateTable('tokens').set({ expires_at: Date.now() - 1 }).where('purpose', '=', 'password_reset').where('time_used', 'is', null).execute();
    const expired = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(second.token)}`, { body: { password: 'never applied password' } });
    expect(expired.status).toBe(410);
    expect(expired.body.message.cause).toEqual({ reason: 'expired' });
    expect((await signIn(owner.email, owner.password)).status).toBe(200);
  });

  it('works for a client’s person; a deleted client gets no link', async () => {
    const shop = await acceptedClient(t, owner, 'Reset Bakery');
    await t.call('POST', '/api/v2/password/forgot', { body: { email: shop.email } });
    const { token } = await resetLink(shop.email);
    const res = await t.call('POST', `/api/v2/password/reset/${encodeURIComponent(token)}`, { body: { password: 'the bakery new password' } });
    expect(res.status).toBe(200);
    expect(res.body.organization.id).toBe(shop.organizationId);

    expect((await t.call('DELETE', `/api/v2/clients/${shop.clientId}`, { as: owner.apiKey })).status).toBe(200);
    const before = smtp.inbox.length;
    expect((await t.call('POST', '/api/v2/password/forgot', { body: { email: shop.email } })).status).toBe(202);
    await t.app.ctx.messages.flush();
    expect(smtp.inbox.length).toBe(before);
  });

  it('limits requests per address', async () => {
    const limited = await createTestApp(dialect, { LOGIN_ATTEMPTS_MAX: '2' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await limited.call('POST', '/api/v2/password/forgot', { body: { email: `flood.${i}@example.test` } })).status);
      expect(statuses).toEqual([202, 202, 429, 429]);
      const last = await limited.call('POST', '/api/v2/password/forgot', { body: { email: 'flood.9@example.test' } });
      expect(last.headers['retry-after']).toBeDefined();
      expect(last.body.message.message).toMatch(/Too many password reset requests/);
    } finally {
      await limited.close();
    }
  });
});
