import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, createTestApp, signUpCourier, type Creds, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/db.ts';
import { signedInDriver, type Courier } from '../helpers/world.ts';

const ds = await dialects();
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const MAX = 2 * 1024 * 1024;

function multipart(data: Buffer, filename: string, type: string, fields: Record<string, string> = {}) {
  const boundary = '----baton-uploads-test';
  const parts = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const payload = Buffer.concat([
    ...parts,
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe.each(ds)('file uploads (%s)', (dialect) => {
  let t: TestApp;
  let courier: Courier;
  let driver: Awaited<ReturnType<typeof signedInDriver>>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    courier = await signUpCourier(t, 'Upload Couriers');
    const team = await t.call('POST', '/api/v2/teams', { as: courier.apiKey, body: { name: 'Upload Team' } });
    driver = await signedInDriver(t, courier, team.body.id);
  });
  afterAll(() => t?.close());

  const send = (url: string, as: Creds, m: ReturnType<typeof multipart>) =>
    t.app.inject({ method: 'POST', url, headers: { ...authHeaders(as), 'content-type': m.contentType }, payload: m.payload });
  const logo = (data: Buffer, filename: string, type: string) => send('/api/v2/organization/logo', courier.session, multipart(data, filename, type));
  const proof = (data: Buffer, filename: string, type: string, kind = 'photo') => send('/api/v2/uploads', driver.as, multipart(data, filename, type, { kind }));

  it('takes the type from the bytes: HTML, SVG, PDF or a bare signature are refused whatever their name and declared type', async () => {
    const impostors: Array<[string, Buffer, string, string]> = [
      ['HTML named .png', Buffer.from('<!doctype html><script>alert(document.cookie)</script>'), 'photo.png', 'image/png'],
      ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="1" height="1"/></svg>'), 'logo.svg', 'image/svg+xml'],
      ['SVG named .jpg', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'logo.jpg', 'image/jpeg'],
      ['PDF named .jpg', Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'), 'scan.jpg', 'image/jpeg'],
      ['PNG signature then HTML', Buffer.concat([PNG.subarray(0, 8), Buffer.from('<html><script>alert(1)</script></html>')]), 'x.png', 'image/png'],
      ['empty', Buffer.alloc(0), 'empty.png', 'image/png'],
    ];
    for (const [what, data, name, type] of impostors) {
      for (const res of [await logo(data, name, type), await proof(data, name, type), await proof(data, name, type, 'signature')]) {
        expect(res.statusCode, what).toBe(400);
        expect(JSON.parse(res.body), what).toMatchObject({ code: 'InvalidContent', message: { error: 1000, cause: { field: 'file' } } });
      }
    }
    expect(await t.app.ctx.db.selectFrom('uploads').select('id').execute()).toEqual([]);
  });

  it('serves an image that is also HTML (a polyglot) only as an image: its sniffed type, nosniff, a sandbox and an inline name of its own', async () => {
    const polyglot = Buffer.concat([PNG, Buffer.from('<html><body><script>alert(document.domain)</script></body></html>')]);
    const res = await proof(polyglot, 'evil.html', 'text/html');
    expect(res.statusCode, res.body).toBe(201);
    const { id } = JSON.parse(res.body);
    const file = await t.app.inject({ url: `/files/${id}`, headers: authHeaders(courier.apiKey) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(file.headers['content-disposition']).toBe(`inline; filename="${id.replace(/[^A-Za-z0-9]/g, '_')}.png"`);
    expect(file.rawPayload.equals(polyglot)).toBe(true);
    // stored under a name made from its id only, inside the uploads folder
    const row = await t.app.ctx.db.selectFrom('uploads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.content_type).toBe('image/png');
    expect(row.storage_key).toBe(id.replace(/[~*]/g, (c: string) => (c === '~' ? '-' : '_')));
    expect(fs.existsSync(path.join(t.config.uploadsDir, row.storage_key))).toBe(true);
  });

  it('never reads outside the uploads folder: ids that are paths answer 404 in the error format', async () => {
    fs.mkdirSync(t.config.uploadsDir, { recursive: true });
    fs.writeFileSync(path.join(path.dirname(t.config.uploadsDir), 'secret.txt'), 'top secret');
    const attempts = [
      '/files/..%2Fsecret.txt',
      '/files/%2e%2e%2fsecret.txt',
      '/files/..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      '/files/..%5Csecret.txt',
      `/files/${encodeURIComponent('../../../../../secret.txt')}`, // 24 characters
      '/files/AAAAAAAAAAAAAAAAAAAAAAAA', // the shape of an id, but none
      '/files/%00',
    ];
    for (const url of attempts) {
      const res = await t.app.inject({ url, headers: authHeaders(courier.apiKey) });
      expect([400, 404], url).toContain(res.statusCode);
      expect(res.body, url).not.toContain('top secret');
      expect(JSON.parse(res.body).code, url).toBe('InvalidContent');
    }
    // the name sent with a file never reaches the disk
    const named = await logo(PNG, '../../secret.txt', 'image/png');
    expect(named.statusCode).toBe(200);
    expect(fs.readFileSync(path.join(path.dirname(t.config.uploadsDir), 'secret.txt'), 'utf8')).toBe('top secret');
  });

  it('refuses a file over 2 MB with 413, for logos and proof alike', async () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX + 1 - PNG.length + 10)]);
    for (const res of [await logo(big, 'big.png', 'image/png'), await proof(big, 'big.png', 'image/png')]) {
      expect(res.statusCode).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'InvalidContent', message: { error: 1012 } });
    }
    const justFits = Buffer.concat([PNG, Buffer.alloc(MAX - PNG.length)]);
    expect((await proof(justFits, 'fits.png', 'image/png')).statusCode).toBe(201);
  });
});
