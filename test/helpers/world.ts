import { expect } from 'vitest';
import { signUpCourier, uniqueEmail, type Creds, type TestApp } from './app.ts';

export type Courier = Awaited<ReturnType<typeof signUpCourier>>;

/** The newest link in mail sent to `email` (read from the messages table). */
export async function linkIn(t: TestApp, email: string, pathPrefix: string): Promise<string> {
  await t.app.ctx.messages.flush();
  const rows = await t.app.ctx.db.selectFrom('messages').select(['body_text']).where('to_address', '=', email).orderBy('time_created', 'desc').execute();
  for (const r of rows) {
    const m = r.body_text.match(new RegExp(`https?://[^\\s]+${pathPrefix}[^\\s]+`));
    if (m) return decodeURIComponent(new URL(m[0]).pathname.slice(pathPrefix.length));
  }
  throw new Error(`no ${pathPrefix} link in mail to ${email}`);
}

/** A client of `courier` that has accepted its invitation, with a session and an API key. */
export async function acceptedClient(t: TestApp, courier: Courier, name: string, opts: { autoAssignTeam?: string } = {}) {
  const email = uniqueEmail('client');
  const created = await t.call('POST', '/api/v2/clients', {
    as: courier.apiKey,
    body: { name, email, ...(opts.autoAssignTeam ? { autoAssign: { team: opts.autoAssignTeam } } : {}) },
  });
  expect(created.status).toBe(201);
  await t.call('POST', `/api/v2/clients/${created.body.id}/invite`, { as: courier.apiKey });
  const token = await linkIn(t, email, '/invite/');
  const accepted = await t.call('POST', `/api/v2/invitations/${token}/accept`, { body: { name: `${name} Admin`, password: 'client password 123' } });
  expect(accepted.status).toBe(201);
  const session: Creds = { cookie: accepted.cookies.find((c) => c.name === 'baton_session')!.value };
  const key = await t.call('POST', '/api/v2/apiKeys', { as: session, body: { name: 'shop' } });
  return {
    clientId: created.body.id as string,
    organizationId: accepted.body.organization.id as string,
    email,
    password: 'client password 123',
    session,
    apiKey: { apiKey: key.body.key } as Creds,
  };
}

/** A driver of `courier` in `teamId`, signed in to the driver app (Bearer session), on duty. */
export async function signedInDriver(t: TestApp, courier: Courier, teamId: string, name = 'Dana Driver') {
  const phone = `+1415555${String(Math.floor(Math.random() * 9000) + 1000)}`;
  const w = await t.call('POST', '/api/v2/workers', { as: courier.apiKey, body: { name, phone, teams: [teamId] } });
  expect(w.status).toBe(200);
  const link = await t.call('POST', `/api/v2/workers/${w.body.id}/loginLink`, { as: courier.apiKey, body: {} });
  const token = decodeURIComponent(new URL(link.body.url).pathname.split('/').pop()!);
  const s = await t.call('POST', '/api/v2/driver/session', { body: { token } });
  expect(s.status).toBe(200);
  const as: Creds = { bearer: s.body.sessionToken };
  expect((await t.call('PUT', '/api/v2/driver/duty', { as, body: { onDuty: true } })).status).toBe(200);
  return { workerId: w.body.id as string, as };
}

export const order = (n = 1) => ({
  pickupTask: {
    destination: { address: { unparsed: `${n} Market St, San Francisco, CA` }, location: [-122.4, 37.79] as [number, number] },
    recipient: { name: 'Shop Counter', phone: '+14155550100' },
    notes: 'Ask for the parcel at the counter',
  },
  dropoffTask: {
    destination: { address: { number: String(100 + n), street: 'Valencia St', city: 'San Francisco', state: 'CA', postalCode: '94110' } },
    recipient: { name: `Rita Recipient ${n}`, phone: '(415) 555-0199' },
    completeBefore: Date.now() + 3 * 3600_000,
  },
});
