import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpCourier, uniqueEmail, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { startSmtpReceiver } from '../helpers/smtp.ts';

const ds = await dialects();
const tokenOf = (link: string, prefix: string) => decodeURIComponent(new URL(link).pathname.slice(prefix.length));

describe.each(ds)('courier clients (%s)', (dialect) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let courier: Awaited<ReturnType<typeof signUpCourier>>;
  let teamId: string;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await createTestApp(dialect, { SMTP_URL: smtp.url });
    courier = await signUpCourier(t, 'Rapid Couriers');
    teamId = (await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Downtown' } })).body.id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function invitationLink(email: string) {
    await t.app.ctx.messages.flush();
    const mail = await smtp.waitFor(email, (m) => m.links.some((l) => l.includes('/invite/')));
    return mail.links.find((l) => l.includes('/invite/'))!;
  }

  async function acceptedClient(name: string) {
    const email = uniqueEmail('client');
    const client = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name, email } })).body;
    await t.call('POST', `/api/v2/clients/${client.id}/invite`, { as: courier.apiKey });
    const token = tokenOf(await invitationLink(email), '/invite/');
    const accepted = await t.call('POST', `/api/v2/invitations/${token}/accept`, { body: { name: 'Pat Client', password: 'client password 123' } });
    expect(accepted.status).toBe(201);
    const session: Creds = { cookie: accepted.cookies.find((c) => c.name === 'baton_session')!.value };
    return { client, email, session, password: 'client password 123' };
  }

  it('creates a client as pending and sends nothing', async () => {
    const email = uniqueEmail('pending');
    const res = await t.call('POST', '/api/v2/clients', { as: courier.session, body: { name: 'Bloom Florists', email } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Bloom Florists', email, status: 'pending', pendingEmail: null, organization: null, autoAssign: { team: null } });
    expect(res.body.id).toMatch(/^[A-Za-z0-9~*]{24}$/);
    await t.app.ctx.messages.flush();
    expect(smtp.inbox.some((m) => m.to.includes(email))).toBe(false);
  });

  it('refuses bad input field by field and keeps emails unique among live clients', async () => {
    const bad = await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: '   ', email: 'not-an-email' } });
    expect(bad.status).toBe(400);
    expect(bad.body.message.cause.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'name']);
    const long = await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'x'.repeat(201), email: uniqueEmail() } });
    expect(long.status).toBe(400);
    const email = uniqueEmail('dup');
    expect((await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'One', email } })).status).toBe(201);
    const dup = await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Two', email: email.toUpperCase() } });
    expect(dup.status).toBe(409);
    expect(dup.body.message.error).toBe(1004);
    const list = await t.call('GET', `/api/v2/clients?q=${encodeURIComponent(email)}`, { as: courier.apiKey });
    expect(list.body.clients.map((c: { name: string }) => c.name)).toEqual(['One']);
  });

  it('sets the auto-assign team, refusing a team of another courier', async () => {
    const c = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Auto Co', email: uniqueEmail() } })).body;
    const set = await t.call('PUT', `/api/v2/clients/${c.id}`, { as: courier.apiKey, body: { autoAssign: { team: teamId } } });
    expect(set.status).toBe(200);
    expect(set.body.autoAssign).toEqual({ team: teamId });
    const other = await signUpCourier(t, 'Other Couriers');
    const foreignTeam = (await t.call('POST', '/api/v2/teams', { as: other.apiKey, body: { name: 'Theirs' } })).body.id;
    const refused = await t.call('PUT', `/api/v2/clients/${c.id}`, { as: courier.apiKey, body: { autoAssign: { team: foreignTeam } } });
    expect(refused.status).toBe(400);
    expect((await t.call('GET', `/api/v2/clients/${c.id}`, { as: courier.apiKey })).body.autoAssign).toEqual({ team: teamId });
    // the team cannot be deleted while a client's orders go to it
    const del = await t.call('DELETE', `/api/v2/teams/${teamId}`, { as: courier.apiKey });
    expect(del.status).toBe(409);
    expect(del.body.message.message).toContain('Auto Co');
    const off = await t.call('PUT', `/api/v2/clients/${c.id}`, { as: courier.apiKey, body: { autoAssign: { team: null } } });
    expect(off.body.autoAssign).toEqual({ team: null });
  });

  it('invites by email with a single-use link; re-inviting voids the earlier link', async () => {
    const email = uniqueEmail('invitee');
    const c = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Corner Bakery', email } })).body;
    const inv = await t.call('POST', `/api/v2/clients/${c.id}/invite`, { as: courier.apiKey });
    expect(inv.status).toBe(200);
    expect(inv.body.status).toBe('invited');
    expect(inv.body.timeInvited).toBeGreaterThan(0);
    expect(inv.body.invitationExpiresAt - inv.body.timeInvited).toBe(7 * 24 * 3600_000);
    const first = tokenOf(await invitationLink(email), '/invite/');
    smtp.inbox.length = 0;
    await t.call('POST', `/api/v2/clients/${c.id}/invite`, { as: courier.apiKey });
    const second = tokenOf(await invitationLink(email), '/invite/');
    expect(second).not.toBe(first);

    const stale = await t.call('GET', `/api/v2/invitations/${first}`);
    expect(stale.status).toBe(410);
    expect(stale.body.message.cause).toEqual({ reason: 'voided' });

    const view = await t.call('GET', `/api/v2/invitations/${second}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ courierName: 'Rapid Couriers', clientName: 'Corner Bakery', email, status: 'invited' });

    const accepted = await t.call('POST', `/api/v2/invitations/${second}/accept`, {
      body: { name: 'Cara Baker', password: 'bakery password 1', organizationName: 'Corner Bakery Ltd' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body.organization).toMatchObject({ kind: 'client', name: 'Corner Bakery Ltd', email });
    expect(accepted.body.courier).toMatchObject({ name: 'Rapid Couriers' });
    expect(accepted.body.user).toMatchObject({ name: 'Cara Baker', email, role: 'owner' });

    const again = await t.call('POST', `/api/v2/invitations/${second}/accept`, { body: { name: 'Cara', password: 'bakery password 1' } });
    expect(again.status).toBe(410);
    expect(again.body.message.error).toBe(1006);

    const after = (await t.call('GET', `/api/v2/clients/${c.id}`, { as: courier.apiKey })).body;
    expect(after).toMatchObject({ status: 'active', name: 'Corner Bakery Ltd', organization: accepted.body.organization.id });
    expect(after.timeAccepted).toBeGreaterThan(0);
    // the client signs in to its portal with the password it chose
    const signIn = await t.call('POST', '/api/v2/session', { body: { email, password: 'bakery password 1' } });
    expect(signIn.status).toBe(200);
    expect(signIn.body.organization.kind).toBe('client');
  });

  it('answers 410 for an expired or unknown invitation, and nothing changes', async () => {
    const email = uniqueEmail('late');
    const c = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Late Co', email } })).body;
    await t.call('POST', `/api/v2/clients/${c.id}/invite`, { as: courier.apiKey });
    const token = tokenOf(await invitationLink(email), '/invite/');
    await t.app.ctx.db.updateTable('tokens').set({ expires_at: Date.now() - 1 }).where('subject_id', '=', c.id).execute();
    const expired = await t.call('POST', `/api/v2/invitations/${token}/accept`, { body: { name: 'Late', password: 'late password 12' } });
    expect(expired.status).toBe(410);
    expect(expired.body.message.cause).toEqual({ reason: 'expired' });
    expect((await t.call('GET', `/api/v2/clients/${c.id}`, { as: courier.apiKey })).body.status).toBe('invited');
    const unknown = await t.call('GET', '/api/v2/invitations/this-is-not-a-real-token-at-all');
    expect(unknown.status).toBe(410);
  });

  it('changes a pending client’s email at once, and an invited one’s with a fresh invitation', async () => {
    const c = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Mover', email: uniqueEmail() } })).body;
    const newEmail = uniqueEmail('moved');
    const res = await t.call('PUT', `/api/v2/clients/${c.id}`, { as: courier.apiKey, body: { email: newEmail, name: 'Mover & Co' } });
    expect(res.body).toMatchObject({ email: newEmail, pendingEmail: null, name: 'Mover & Co', status: 'pending' });

    const oldEmail = uniqueEmail('old');
    const inv = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Invited Co', email: oldEmail } })).body;
    await t.call('POST', `/api/v2/clients/${inv.id}/invite`, { as: courier.apiKey });
    const oldToken = tokenOf(await invitationLink(oldEmail), '/invite/');
    const changed = uniqueEmail('new');
    const upd = await t.call('PUT', `/api/v2/clients/${inv.id}`, { as: courier.apiKey, body: { email: changed } });
    expect(upd.body).toMatchObject({ email: changed, status: 'invited' });
    expect((await t.call('GET', `/api/v2/invitations/${oldToken}`)).status).toBe(410);
    const newToken = tokenOf(await invitationLink(changed), '/invite/');
    expect((await t.call('GET', `/api/v2/invitations/${newToken}`)).body.email).toBe(changed);
  });

  it('holds an accepted client’s new email as pending until the client confirms it', async () => {
    const { client, email, password } = await acceptedClient('Fresh Foods');
    const newEmail = uniqueEmail('fresh-new');
    const upd = await t.call('PUT', `/api/v2/clients/${client.id}`, { as: courier.apiKey, body: { email: newEmail } });
    expect(upd.status).toBe(200);
    expect(upd.body).toMatchObject({ email, pendingEmail: newEmail });
    // until confirmed, the old address keeps working
    expect((await t.call('POST', '/api/v2/session', { body: { email, password } })).status).toBe(200);
    await t.app.ctx.messages.flush();
    const mail = await smtp.waitFor(newEmail, (m) => m.links.some((l) => l.includes('/confirm-email/')));
    const token = tokenOf(mail.links.find((l) => l.includes('/confirm-email/'))!, '/confirm-email/');
    const confirmed = await t.call('POST', `/api/v2/email-confirmations/${token}`);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ kind: 'client', email: newEmail });
    const after = (await t.call('GET', `/api/v2/clients/${client.id}`, { as: courier.apiKey })).body;
    expect(after).toMatchObject({ email: newEmail, pendingEmail: null });
    // the client now signs in with the confirmed address; the old one no longer works
    expect((await t.call('POST', '/api/v2/session', { body: { email: newEmail, password } })).status).toBe(200);
    expect((await t.call('POST', '/api/v2/session', { body: { email, password } })).status).toBe(401);
    // a confirmation link works once
    expect((await t.call('POST', `/api/v2/email-confirmations/${token}`)).status).toBe(410);
  });

  it('voids a stale confirmation link when the courier changes the email again', async () => {
    const { client } = await acceptedClient('Twice Changed');
    const first = uniqueEmail('first');
    await t.call('PUT', `/api/v2/clients/${client.id}`, { as: courier.apiKey, body: { email: first } });
    await t.app.ctx.messages.flush();
    const firstToken = tokenOf((await smtp.waitFor(first)).links.find((l) => l.includes('/confirm-email/'))!, '/confirm-email/');
    const second = uniqueEmail('second');
    await t.call('PUT', `/api/v2/clients/${client.id}`, { as: courier.apiKey, body: { email: second } });
    const stale = await t.call('POST', `/api/v2/email-confirmations/${firstToken}`);
    expect(stale.status).toBe(410);
    expect((await t.call('GET', `/api/v2/clients/${client.id}`, { as: courier.apiKey })).body.pendingEmail).toBe(second);
  });

  it('lets a client change its own sign-in email after confirming, and the courier sees it', async () => {
    const { client, session, password } = await acceptedClient('Self Service');
    const wrong = await t.call('POST', '/api/v2/account/email', { as: session, body: { email: uniqueEmail(), password: 'wrong password!' } });
    expect(wrong.status).toBe(400);
    const newEmail = uniqueEmail('self');
    const req = await t.call('POST', '/api/v2/account/email', { as: session, body: { email: newEmail, password } });
    expect(req.status).toBe(202);
    expect(req.body.pendingEmail).toBe(newEmail);
    await t.app.ctx.messages.flush();
    const token = tokenOf((await smtp.waitFor(newEmail)).links.find((l) => l.includes('/confirm-email/'))!, '/confirm-email/');
    expect((await t.call('POST', `/api/v2/email-confirmations/${token}`)).body).toEqual({ kind: 'user', email: newEmail });
    expect((await t.call('GET', `/api/v2/clients/${client.id}`, { as: courier.apiKey })).body.email).toBe(newEmail);
  });

  it('shows the courier a client’s own rename', async () => {
    const { client, session } = await acceptedClient('Old Name');
    const res = await t.call('PUT', '/api/v2/organization', { as: session, body: { name: 'New Name Inc' } });
    expect(res.status).toBe(200);
    expect((await t.call('GET', `/api/v2/clients/${client.id}`, { as: courier.apiKey })).body.name).toBe('New Name Inc');
    const email = await t.call('PUT', '/api/v2/organization', { as: session, body: { email: uniqueEmail() } });
    expect(email.status).toBe(400);
  });

  it('keeps client users away from courier endpoints', async () => {
    const { session } = await acceptedClient('Nosy Client');
    for (const [m, url] of [
      ['GET', '/api/v2/clients'],
      ['GET', '/api/v2/teams'],
      ['GET', '/api/v2/workers'],
      ['POST', '/api/v2/clients'],
      ['GET', `/api/v2/clients/${'A'.repeat(24)}`],
    ] as const) {
      const res = await t.call(m, url, { as: session, body: m === 'POST' ? { name: 'x', email: uniqueEmail() } : undefined });
      expect(res.status, `${m} ${url}`).toBe(403);
      expect(res.body.code).toBe('Forbidden');
    }
  });

  it('deletes a client: it cannot sign in, its sessions and keys stop working, its record stays', async () => {
    const { client, email, session, password } = await acceptedClient('Gone Soon');
    const key = await t.call('POST', '/api/v2/apiKeys', { as: session, body: { name: 'shop' } });
    expect(key.status).toBe(201);
    const clientKey: Creds = { apiKey: key.body.key };
    expect((await t.call('GET', '/api/v2/auth/test', { as: clientKey })).status).toBe(200);

    const del = await t.call('DELETE', `/api/v2/clients/${client.id}`, { as: courier.session });
    expect(del.status).toBe(200);
    expect(del.body).toBeNull();

    expect((await t.call('GET', '/api/v2/session', { as: session })).status).toBe(401);
    expect((await t.call('GET', '/api/v2/auth/test', { as: clientKey })).status).toBe(401);
    const signIn = await t.call('POST', '/api/v2/session', { body: { email, password } });
    expect(signIn.status).toBe(401);
    expect(signIn.body.message.error).toBe(1101);
    expect(signIn.body.message.message).toMatch(/removed by the courier/);

    const kept = await t.call('GET', `/api/v2/clients/${client.id}`, { as: courier.apiKey });
    expect(kept.body).toMatchObject({ status: 'deleted', name: 'Gone Soon' });
    expect(kept.body.timeDeleted).toBeGreaterThan(0);
    const deletedList = await t.call('GET', '/api/v2/clients?status=deleted', { as: courier.apiKey });
    expect(deletedList.body.clients.map((c: { id: string }) => c.id)).toContain(client.id);

    const reinvite = await t.call('POST', `/api/v2/clients/${client.id}/invite`, { as: courier.apiKey });
    expect(reinvite.status).toBe(409);
    // the address is free for a new client again
    const again = await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Back Again', email } });
    expect(again.status).toBe(201);
  });

  it('withdraws an outstanding invitation when the client is deleted', async () => {
    const email = uniqueEmail('withdrawn');
    const c = (await t.call('POST', '/api/v2/clients', { as: courier.apiKey, body: { name: 'Withdrawn', email } })).body;
    await t.call('POST', `/api/v2/clients/${c.id}/invite`, { as: courier.apiKey });
    const token = tokenOf(await invitationLink(email), '/invite/');
    await t.call('DELETE', `/api/v2/clients/${c.id}`, { as: courier.apiKey });
    const res = await t.call('POST', `/api/v2/invitations/${token}/accept`, { body: { name: 'W', password: 'withdrawn pass 1' } });
    expect(res.status).toBe(410);
  });

  it('records who changed what, visible on the client’s page', async () => {
    const c = (await t.call('POST', '/api/v2/clients', { as: courier.session, body: { name: 'Audited', email: uniqueEmail() } })).body;
    await t.call('PUT', `/api/v2/clients/${c.id}`, { as: courier.session, body: { name: 'Audited Ltd' } });
    await t.call('POST', `/api/v2/clients/${c.id}/invite`, { as: courier.apiKey });
    const audit = await t.call('GET', `/api/v2/clients/${c.id}/audit`, { as: courier.apiKey });
    expect(audit.status).toBe(200);
    expect(audit.body.entries.map((e: { action: string }) => e.action)).toEqual(['client.invited', 'client.updated', 'client.created']);
    expect(audit.body.entries[1].actor.label).toBe(courier.email);
    expect(audit.body.entries[1].data).toEqual({ name: { from: 'Audited', to: 'Audited Ltd' } });
  });

  it('pages and filters the client list', async () => {
    const other = await signUpCourier(t, 'Paging Couriers');
    for (let i = 0; i < 5; i++) await t.call('POST', '/api/v2/clients', { as: other.apiKey, body: { name: `Client ${i}`, email: uniqueEmail() } });
    const p1 = await t.call('GET', '/api/v2/clients?limit=2', { as: other.apiKey });
    expect(p1.body.clients).toHaveLength(2);
    expect(p1.body.lastId).toBe(p1.body.clients[1].id);
    const p2 = await t.call('GET', `/api/v2/clients?limit=2&lastId=${p1.body.lastId}`, { as: other.apiKey });
    const p3 = await t.call('GET', `/api/v2/clients?limit=2&lastId=${p2.body.lastId}`, { as: other.apiKey });
    expect(p3.body.clients).toHaveLength(1);
    expect(p3.body.lastId).toBeUndefined();
    // newest first; clients made within the same millisecond come in id order (docs/decisions/0010)
    const listed: Array<{ id: string; name: string; timeCreated: number }> = [...p1.body.clients, ...p2.body.clients, ...p3.body.clients];
    expect(listed.map((c) => c.name).sort()).toEqual(['Client 0', 'Client 1', 'Client 2', 'Client 3', 'Client 4']);
    const newestFirst = [...listed].sort((a, b) => b.timeCreated - a.timeCreated || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    expect(listed.map((c) => c.id)).toEqual(newestFirst.map((c) => c.id));
    expect(listed[0].timeCreated).toBeGreaterThanOrEqual(listed[4].timeCreated);
    expect((await t.call('GET', '/api/v2/clients?status=active', { as: other.apiKey })).body.clients).toEqual([]);
    expect((await t.call('GET', '/api/v2/clients?q=client%204', { as: other.apiKey })).body.clients.map((c: { name: string }) => c.name)).toEqual(['Client 4']);
    // wildcards are matched literally
    expect((await t.call('GET', '/api/v2/clients?q=%25', { as: other.apiKey })).body.clients).toEqual([]);
    // another courier sees none of these
    const mine = await t.call('GET', '/api/v2/clients?q=Client%204', { as: courier.apiKey });
    expect(mine.body.clients).toEqual([]);
  });
});
