import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, PUBLIC_URL, signUpCourier, uniqueEmail, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startSmtpReceiver } from '../helpers/smtp.ts';

const ds = await dialects();

const ID = /^[A-Za-z0-9~*]{24}$/;
const PASSWORD = 'a perfectly long password';
const ORG_NAME = 'People Couriers';

describe.each(ds)('people: invitations, roles and deactivation (%s)', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let owner: Awaited<ReturnType<typeof signUpCourier>>;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await createTestApp(dialect, { SMTP_URL: smtp.url });
    owner = await signUpCourier(t, ORG_NAME);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function invite(body: Record<string, unknown>) {
    const res = await t.call('POST', '/api/v2/admins', { as: owner.session, body });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  }

  /** Delivers due mail and returns the newest invitation link sent to `email` (other than `notToken`'s). */
  async function invitationMail(email: string, notToken?: string) {
    await t.app.ctx.messages.flush();
    const isJoin = (l: string) => l.startsWith(`${PUBLIC_URL}/join/`);
    const tokenOf = (l: string) => decodeURIComponent(l.slice(`${PUBLIC_URL}/join/`.length));
    const mail = await smtp.waitFor(email, (m) => m.links.some((l) => isJoin(l) && tokenOf(l) !== notToken));
    const link = mail.links.find(isJoin)!;
    return { mail, link, token: tokenOf(link) };
  }

  async function accept(token: string, password = PASSWORD) {
    return t.call('POST', `/api/v2/admin-invitations/${encodeURIComponent(token)}/accept`, { body: { password } });
  }

  function sessionOf(res: { cookies: Array<{ name: string; value: string }> }): Creds {
    const c = res.cookies.find((x) => x.name === 'baton_session');
    expect(c, 'a baton_session cookie').toBeTruthy();
    return { cookie: c!.value };
  }

  /** Invites a person and accepts the invitation; returns the person and a signed-in session. */
  async function join(body: { name?: string; type?: 'super' | 'standard'; isReadOnly?: boolean } = {}) {
    const email = uniqueEmail('person');
    const admin = await invite({ name: body.name ?? 'Pat Person', email, type: body.type ?? 'super', ...(body.isReadOnly !== undefined ? { isReadOnly: body.isReadOnly } : {}) });
    const { token } = await invitationMail(email);
    const res = await accept(token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { admin, email, session: sessionOf(res) };
  }

  async function adminEmails() {
    const res = await t.call('GET', '/api/v2/admins', { as: owner.session });
    expect(res.status).toBe(200);
    return (res.body as Array<{ email: string }>).map((a) => a.email);
  }

  it('invites a person by email; accepting the link sets a password and signs them in', async () => {
    const email = uniqueEmail('ada');
    const admin = await invite({ name: 'Ada Admin', email, type: 'standard' });
    expect(admin).toMatchObject({
      name: 'Ada Admin',
      email,
      type: 'standard',
      organization: owner.organizationId,
      isAccountOwner: false,
      isReadOnly: false,
      isActive: false,
      status: 'invited',
      teams: [],
    });
    expect(admin.id).toMatch(ID);

    const { mail, link, token } = await invitationMail(email);
    expect(mail.subject).toContain(ORG_NAME);
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/join/[^/\\s]+$`));

    const view = await t.call('GET', `/api/v2/admin-invitations/${encodeURIComponent(token)}`);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({ organizationName: ORG_NAME, name: 'Ada Admin', email });

    // Not before accepting: there is no password yet, whatever is typed.
    const early = await t.call('POST', '/api/v2/session', { body: { email, password: PASSWORD } });
    expect(early.status).toBe(401);
    expect(early.body.code).toBe('InvalidCredentials');
    expect(early.cookies.find((c) => c.name === 'baton_session')).toBeUndefined();

    // A password that is too short is refused and does not use up the link.
    const short = await accept(token, 'short');
    expect(short.status).toBe(400);
    expect(short.body.message.error).toBe(1000);
    expect(short.body.message.cause.fields[0].field).toBe('password');
    expect(short.cookies.find((c) => c.name === 'baton_session')).toBeUndefined();

    const accepted = await accept(token);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    expect(accepted.body).toMatchObject({ kind: 'user', user: { id: admin.id, email, role: 'standard' }, organization: { id: owner.organizationId } });
    const setCookie = ([] as string[]).concat(accepted.headers['set-cookie'] ?? []).find((c) => c.startsWith('baton_session='));
    expect(setCookie).toBeTruthy();
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie).toMatch(/;\s*Path=\//i);

    const me = await t.call('GET', '/api/v2/session', { as: sessionOf(accepted) });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(admin.id);

    const after = await t.call('GET', `/api/v2/admins/${admin.id}`, { as: owner.session });
    expect(after.body).toMatchObject({ status: 'active', isActive: true });
    expect(after.body.timeLastSignIn).toEqual(expect.any(Number));

    const signIn = await t.call('POST', '/api/v2/session', { body: { email, password: PASSWORD } });
    expect(signIn.status).toBe(200);
    expect(signIn.body.user.id).toBe(admin.id);
    const again = await t.call('GET', '/api/v2/session', { as: sessionOf(signIn) });
    expect(again.status).toBe(200);

    // The link works once.
    const twice = await accept(token, 'another long password');
    expect(twice.status).toBe(410);
    expect(twice.body.code).toBe('InvalidContent');
    expect(twice.body.message.error).toBe(1006);
    expect(twice.body.message.cause).toMatchObject({ reason: 'used' });
    expect(twice.cookies.find((c) => c.name === 'baton_session')).toBeUndefined();
    expect((await t.call('GET', `/api/v2/admin-invitations/${encodeURIComponent(token)}`)).status).toBe(410);
    // ...and the second attempt did not change the password.
    expect((await t.call('POST', '/api/v2/session', { body: { email, password: 'another long password' } })).status).toBe(401);
    expect((await t.call('POST', '/api/v2/session', { body: { email, password: PASSWORD } })).status).toBe(200);
  });

  it('an unknown invitation token answers 410', async () => {
    const res = await t.call('GET', '/api/v2/admin-invitations/this-token-was-never-issued');
    expect(res.status).toBe(410);
    expect(res.body.message.error).toBe(1006);
    const acc = await accept('this-token-was-never-issued');
    expect(acc.status).toBe(410);
    expect(acc.body.message.error).toBe(1006);
  });

  it('sending the invitation again voids the earlier link', async () => {
    const email = uniqueEmail('bo');
    const admin = await invite({ name: 'Bo Dispatcher', email, type: 'standard' });
    const first = await invitationMail(email);

    const resent = await t.call('POST', `/api/v2/admins/${admin.id}/invite`, { as: owner.session });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id: admin.id, status: 'invited' });
    const second = await invitationMail(email, first.token);
    expect(second.token).not.toBe(first.token);

    const view = await t.call('GET', `/api/v2/admin-invitations/${encodeURIComponent(first.token)}`);
    expect(view.status).toBe(410);
    expect(view.body.message.error).toBe(1006);
    expect(view.body.message.cause).toMatchObject({ reason: 'voided' });

    const old = await accept(first.token);
    expect(old.status).toBe(410);
    expect(old.body.message.cause).toMatchObject({ reason: 'voided' });
    expect(old.cookies.find((c) => c.name === 'baton_session')).toBeUndefined();
    expect((await t.call('GET', `/api/v2/admins/${admin.id}`, { as: owner.session })).body.status).toBe('invited');

    const ok = await accept(second.token);
    expect(ok.status).toBe(200);

    // Nothing to resend once accepted.
    const late = await t.call('POST', `/api/v2/admins/${admin.id}/invite`, { as: owner.session });
    expect(late.status).toBe(409);
    expect(late.body.message.error).toBe(1005);
  });

  it('deleting an invited person voids their link', async () => {
    const email = uniqueEmail('cy');
    const admin = await invite({ name: 'Cy Gone', email });
    const { token } = await invitationMail(email);
    const del = await t.call('DELETE', `/api/v2/admins/${admin.id}`, { as: owner.session });
    expect(del.status).toBe(200);
    expect(del.body).toBeNull();
    expect(del.headers['content-length']).toBe('0');
    expect((await t.call('GET', `/api/v2/admins/${admin.id}`, { as: owner.session })).status).toBe(404);
    expect(await adminEmails()).not.toContain(email);
    const res = await accept(token);
    expect(res.status).toBe(410);
    expect(res.body.message.error).toBe(1006);
  });

  it('deactivating a person ends their session at once and refuses sign-in; activating restores access', async () => {
    const p = await join({ name: 'Dee Active' });
    expect((await t.call('GET', '/api/v2/admins', { as: p.session })).status).toBe(200);

    const off = await t.call('POST', `/api/v2/admins/${p.admin.id}/deactivate`, { as: owner.session });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id: p.admin.id, status: 'deactivated', isActive: false });

    const stale = await t.call('GET', '/api/v2/admins', { as: p.session });
    expect(stale.status).toBe(401);
    expect(stale.body.message.error).toBeGreaterThanOrEqual(1100);
    expect((await t.call('GET', '/api/v2/session', { as: p.session })).status).toBe(401);
    const staleWrite = await t.call('POST', '/api/v2/teams', { as: p.session, body: { name: 'Made while deactivated' } });
    expect(staleWrite.status).toBe(401);
    const teams = await t.call('GET', '/api/v2/teams', { as: owner.session });
    expect(teams.body.map((x: { name: string }) => x.name)).not.toContain('Made while deactivated');

    const refused = await t.call('POST', '/api/v2/session', { body: { email: p.email, password: PASSWORD } });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('InvalidCredentials');
    expect(refused.body.message.error).toBe(1101);
    expect(refused.body.message.message).toMatch(/deactivated/i);
    expect(refused.cookies.find((c) => c.name === 'baton_session')).toBeUndefined();

    const on = await t.call('POST', `/api/v2/admins/${p.admin.id}/activate`, { as: owner.session });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ status: 'active', isActive: true });
    const back = await t.call('POST', '/api/v2/session', { body: { email: p.email, password: PASSWORD } });
    expect(back.status).toBe(200);
    expect((await t.call('GET', '/api/v2/admins', { as: sessionOf(back) })).status).toBe(200);
    // The session ended by the deactivation stays ended.
    expect((await t.call('GET', '/api/v2/admins', { as: p.session })).status).toBe(401);
  });

  it('deleting a person signs them out, refuses their sign-in and frees their email', async () => {
    const p = await join({ name: 'Ivy Leaving' });
    const del = await t.call('DELETE', `/api/v2/admins/${p.admin.id}`, { as: owner.session });
    expect(del.status).toBe(200);
    expect((await t.call('GET', '/api/v2/admins', { as: p.session })).status).toBe(401);
    expect((await t.call('POST', '/api/v2/session', { body: { email: p.email, password: PASSWORD } })).status).toBe(401);
    expect(await adminEmails()).not.toContain(p.email);
    const again = await t.call('POST', '/api/v2/admins', { as: owner.session, body: { name: 'Ivy Returning', email: p.email } });
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(p.admin.id);
  });

  it('the account owner cannot be deactivated or deleted', async () => {
    const admin = await join({ name: 'Eve Super', type: 'super' });
    for (const as of [admin.session, owner.session]) {
      const deact = await t.call('POST', `/api/v2/admins/${owner.userId}/deactivate`, { as });
      expect(deact.status).toBe(409);
      expect(deact.body.message.error).toBe(1005);
      const del = await t.call('DELETE', `/api/v2/admins/${owner.userId}`, { as });
      expect(del.status).toBe(409);
      expect(del.body.message.error).toBe(1005);
    }
    const res = await t.call('GET', `/api/v2/admins/${owner.userId}`, { as: owner.session });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ isAccountOwner: true, status: 'active', isActive: true });
    expect((await t.call('GET', '/api/v2/session', { as: owner.session })).status).toBe(200);
  });

  it('a dispatcher (standard) cannot invite people or create API keys', async () => {
    const d = await join({ name: 'Fay Dispatcher', type: 'standard' });
    const email = uniqueEmail('not-invited');
    const inv = await t.call('POST', '/api/v2/admins', { as: d.session, body: { name: 'Nope', email, type: 'super' } });
    expect(inv.status).toBe(403);
    expect(inv.body.code).toBe('Forbidden');
    expect(inv.body.message.error).toBe(1103);
    expect(await adminEmails()).not.toContain(email);

    const keysBefore = (await t.call('GET', '/api/v2/apiKeys', { as: owner.session })).body.length;
    const key = await t.call('POST', '/api/v2/apiKeys', { as: d.session, body: { name: 'sneaky' } });
    expect(key.status).toBe(403);
    expect(key.body.message.error).toBe(1103);
    expect(key.body.key).toBeUndefined();
    expect((await t.call('GET', '/api/v2/apiKeys', { as: owner.session })).body.length).toBe(keysBefore);

    // A dispatcher cannot promote itself either.
    const promote = await t.call('PUT', `/api/v2/admins/${d.admin.id}`, { as: d.session, body: { type: 'super' } });
    expect(promote.status).toBe(403);
    expect((await t.call('GET', `/api/v2/admins/${d.admin.id}`, { as: owner.session })).body.type).toBe('standard');

    // ...but can still read the people list.
    const list = await t.call('GET', '/api/v2/admins', { as: d.session });
    expect(list.status).toBe(200);
  });

  it('a read-only person can read but cannot change anything', async () => {
    const r = await join({ name: 'Gus Reader', type: 'super', isReadOnly: true });
    expect(r.admin.isReadOnly).toBe(true);

    for (const url of ['/api/v2/admins', `/api/v2/admins/${r.admin.id}`, '/api/v2/teams', '/api/v2/workers', '/api/v2/organization', '/api/v2/session']) {
      const res = await t.call('GET', url, { as: r.session });
      expect(res.status, url).toBe(200);
    }

    const orgBefore = (await t.call('GET', '/api/v2/organization', { as: owner.session })).body;
    const team = await t.call('POST', '/api/v2/teams', { as: owner.session, body: { name: 'Readers Watch This' } });
    expect(team.status).toBe(200);
    const workersBefore = (await t.call('GET', '/api/v2/workers', { as: owner.session })).body.length;
    const email = uniqueEmail('ro-invite');
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/api/v2/teams', { name: 'Read-only team' }],
      ['PUT', '/api/v2/organization', { name: 'Renamed by a reader' }],
      ['POST', '/api/v2/admins', { name: 'Nope', email }],
      ['PUT', `/api/v2/admins/${r.admin.id}`, { name: 'Renamed self' }],
      ['POST', `/api/v2/admins/${owner.userId}/deactivate`, undefined],
      ['POST', '/api/v2/apiKeys', { name: 'read-only key' }],
      ['PUT', `/api/v2/teams/${team.body.id}`, { name: 'Renamed by a reader' }],
      ['DELETE', `/api/v2/teams/${team.body.id}`, undefined],
      ['POST', '/api/v2/workers', { name: 'Reader Driver', phone: '+14155550142', teams: [team.body.id] }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.call(method as 'POST', url, { as: r.session, body });
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.body.code).toBe('Forbidden');
      expect(res.body.message.error, `${method} ${url}`).toBe(1104);
    }

    const teams = (await t.call('GET', '/api/v2/teams', { as: owner.session })).body.map((x: { name: string }) => x.name);
    expect(teams).not.toContain('Read-only team');
    expect(teams).toContain('Readers Watch This');
    expect((await t.call('GET', '/api/v2/workers', { as: owner.session })).body.length).toBe(workersBefore);
    expect((await t.call('GET', '/api/v2/organization', { as: owner.session })).body.name).toBe(orgBefore.name);
    expect(await adminEmails()).not.toContain(email);
    expect((await t.call('GET', `/api/v2/admins/${r.admin.id}`, { as: owner.session })).body.name).toBe('Gus Reader');
    const keys = (await t.call('GET', '/api/v2/apiKeys', { as: owner.session })).body.map((k: { name: string }) => k.name);
    expect(keys).not.toContain('read-only key');
  });

  it('an email already in use is refused with 409 (error 1004)', async () => {
    const before = await adminEmails();
    const dup = await t.call('POST', '/api/v2/admins', { as: owner.session, body: { name: 'Copy', email: owner.email.toUpperCase() } });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('InvalidContent');
    expect(dup.body.message.error).toBe(1004);
    expect(dup.body.message.cause).toMatchObject({ field: 'email' });

    const email = uniqueEmail('twice');
    await invite({ name: 'First', email });
    const again = await t.call('POST', '/api/v2/admins', { as: owner.session, body: { name: 'Second', email } });
    expect(again.status).toBe(409);
    expect(again.body.message.error).toBe(1004);
    const after = await adminEmails();
    expect(after.length).toBe(before.length + 1);
    expect(after.filter((e) => e === email)).toHaveLength(1);
  });

  it('an invalid email is refused with 400 naming the field', async () => {
    const before = await adminEmails();
    const res = await t.call('POST', '/api/v2/admins', { as: owner.session, body: { name: 'Bad Email', email: 'not-an-email' } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidContent');
    expect(res.body.message.error).toBe(1000);
    expect(res.body.message.cause.fields[0].field).toBe('email');
    expect(typeof res.body.message.request).toBe('string');
    expect(await adminEmails()).toEqual(before);
  });

  it('unknown body fields are neither stored nor echoed', async () => {
    const email = uniqueEmail('strip');
    const res = await t.call('POST', '/api/v2/admins', {
      as: owner.session,
      body: {
        name: 'Hal Stripped',
        email,
        type: 'standard',
        favouriteColour: 'teal-marker-8271',
        isAccountOwner: true,
        status: 'active',
        isActive: true,
        organization: 'AAAAAAAAAAAAAAAAAAAAAAAA',
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('favouriteColour');
    expect(JSON.stringify(res.body)).not.toContain('teal-marker-8271');
    expect(res.body).toMatchObject({ isAccountOwner: false, status: 'invited', isActive: false, organization: owner.organizationId });

    const got = await t.call('GET', `/api/v2/admins/${res.body.id}`, { as: owner.session });
    expect(got.body).not.toHaveProperty('favouriteColour');
    expect(got.body).toMatchObject({ isAccountOwner: false, status: 'invited', organization: owner.organizationId });

    const row = await t.app.ctx.db.selectFrom('users').selectAll().where('id', '=', res.body.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('teal-marker-8271');
    expect(row).toMatchObject({ role: 'standard', status: 'invited', organization_id: owner.organizationId });
  });
});
