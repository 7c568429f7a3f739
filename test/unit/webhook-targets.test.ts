import dns from 'node:dns';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress, refuseTarget, refuseUrl, requestTarget } from '../../src/server/modules/webhooks/webhook-targets.ts';

describe('webhook target addresses', () => {
  it('refuses loopback, private, link-local, unique-local and the IPv4 ranges hidden in IPv6 forms', () => {
    const internal = [
      '127.0.0.1', '127.255.0.9', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1',
      '0.0.0.0', '224.0.0.1', '255.255.255.255', '192.0.0.8', '198.18.0.1',
      '::', '::1', 'fe80::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', 'ff02::1', 'fec0::1',
      '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '::ffff:10.0.0.1', '::127.0.0.1', '::ffff:0:127.0.0.1',
      '64:ff9b::7f00:1', '64:ff9b::10.0.0.1', '64:ff9b:1::1', '2002:7f00:1::1', '2002:a9fe:a9fe::', '2001::1', '2001:db8::1', '100::1',
    ];
    for (const ip of internal) expect(isPrivateAddress(ip), ip).toBe(true);
    const external = ['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'];
    for (const ip of external) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('refuses URLs by their literal address, scheme and credentials, however the address is written', () => {
    const policy = { allowPrivate: false, publicUrl: 'https://baton.example' };
    for (const url of ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://[::ffff:127.0.0.1]/', 'http://[::1]:8080/', 'http://169.254.169.254/latest/meta-data', 'https://baton.example/api']) {
      expect(refuseUrl(url, policy), url).toMatch(/private or local|itself/);
    }
    expect(refuseUrl('ftp://example.com/', policy)).toMatch(/http or https/);
    expect(refuseUrl('https://user:pw@example.com/', policy)).toMatch(/user name/);
    expect(refuseUrl('https://93.184.216.34/hook', policy)).toBeNull();
    expect(refuseUrl('http://127.0.0.1/', { ...policy, allowPrivate: true })).toBeNull();
  });

  it('resolves names when a webhook is saved: localhost is refused', async () => {
    expect(await refuseTarget('http://localhost:8080/hook', { allowPrivate: false, publicUrl: 'https://baton.example' })).toMatch(/private or local address \(localhost is (127\.0\.0\.1|::1)\)/);
  });
});

describe('webhook requests check the address they connect to (DNS rebinding)', () => {
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  /** a name server that answers with a public address first (when the webhook is saved), then with loopback */
  function rebinding() {
    let calls = 0;
    const lookup = ((host: string, opts: unknown, cb: (err: Error | null, a: dns.LookupAddress[]) => void) => {
      calls++;
      cb(null, [{ address: calls === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }]);
    }) as unknown as typeof dns.lookup;
    return { lookup, get calls() { return calls; } };
  }

  it('refuses a name that resolves to loopback at connection time, with the reason', async () => {
    const dnsServer = rebinding();
    const policy = { allowPrivate: false, publicUrl: 'https://baton.example' };
    // the first answer (as at saving time) was public; the connection asks again and gets 127.0.0.1
    dnsServer.lookup('rebind.example', {}, () => {});
    const before = hits.length;
    await expect(requestTarget(`http://rebind.example:${port}/hook`, { method: 'POST', body: '{}', timeoutMs: 2000, policy, lookup: dnsServer.lookup })).rejects.toThrow(
      /rebind\.example is 127\.0\.0\.1.*only public addresses/,
    );
    expect(dnsServer.calls).toBe(2);
    expect(hits.length).toBe(before);
    // localhost through the system resolver: refused the same way
    await expect(requestTarget(`http://localhost:${port}/hook`, { method: 'POST', body: '{}', timeoutMs: 2000, policy })).rejects.toThrow(/private or local address/);
    expect(hits.length).toBe(before);
  });

  it('connects when the operator allows private targets (as the tests do)', async () => {
    const policy = { allowPrivate: true, publicUrl: 'https://baton.example' };
    const res = await requestTarget(`http://localhost:${port}/allowed`, { method: 'POST', body: '{"a":1}', timeoutMs: 2000, policy });
    expect(res).toEqual({ status: 200, text: 'ok' });
    expect(hits).toContain('POST /allowed');
  });

  it('gives up at the timeout', async () => {
    const silent = http.createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const p = (silent.address() as { port: number }).port;
    try {
      await expect(requestTarget(`http://127.0.0.1:${p}/`, { method: 'GET', timeoutMs: 200, policy: { allowPrivate: true, publicUrl: 'https://baton.example' } })).rejects.toThrow(/No answer within 0.2 s/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
