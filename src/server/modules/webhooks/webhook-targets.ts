import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Where a webhook may point. Loopback, private, shared (CGNAT), link-local (cloud metadata),
 * unique-local, multicast, reserved and unspecified addresses are refused unless the operator allows
 * private targets; so is the server's own public host. The check runs when a webhook is saved (for a
 * clear answer) and again on the address each connection actually uses (a lookup inside the request),
 * so a name that resolves to a public address when saved and to an internal one later (DNS
 * rebinding) is still refused.
 */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) return isPrivateV4(ip.split('.').map(Number));
  const bytes = ipv6Bytes(ip);
  if (!bytes) return true; // not an address we understand: refuse
  const word = (i: number) => (bytes[2 * i] << 8) | bytes[2 * i + 1];
  const v4At = (i: number) => [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  // ::, ::1, and IPv4-compatible ::a.b.c.d (deprecated)
  if (zeros(0, 12)) return zeros(12, 15) ? true : isPrivateV4(v4At(12));
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d
  if (zeros(0, 10) && word(5) === 0xffff) return isPrivateV4(v4At(12));
  if (zeros(0, 8) && word(4) === 0xffff && word(5) === 0) return isPrivateV4(v4At(12));
  // NAT64 64:ff9b::a.b.c.d carries an IPv4 address; 64:ff9b:1::/48 is for local use
  if (word(0) === 0x64 && word(1) === 0xff9b) return word(2) === 1 || isPrivateV4(v4At(12));
  // 6to4 2002:a.b.c.d::/16 reaches the IPv4 address inside
  if (word(0) === 0x2002) return isPrivateV4(v4At(2));
  // Teredo 2001::/32 (tunnels to an obfuscated IPv4 address), documentation 2001:db8::/32
  if (word(0) === 0x2001 && (word(1) === 0 || word(1) === 0xdb8)) return true;
  // discard-only 100::/64
  if (word(0) === 0x100 && zeros(2, 8)) return true;
  const first = bytes[0];
  return (
    (first & 0xfe) === 0xfc || // unique local fc00::/7
    (first === 0xfe && (bytes[1] & 0xc0) === 0x80) || // link-local fe80::/10
    (first === 0xfe && (bytes[1] & 0xc0) === 0xc0) || // site-local fec0::/10 (deprecated)
    first === 0xff // multicast
  );
}

function isPrivateV4([a, b, c]: number[]): boolean {
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // shared address space (CGNAT)
    (a === 169 && b === 254) || // link-local, cloud metadata (169.254.169.254)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) || // IETF protocol assignments, TEST-NET-1
    (a === 192 && b === 88 && c === 99) || // 6to4 relay anycast
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) || // TEST-NET-2
    (a === 203 && b === 0 && c === 113) || // TEST-NET-3
    a >= 224 // multicast, reserved, broadcast
  );
}

/** The 16 bytes of an IPv6 address (with an optional zone and a trailing dotted IPv4 part), or null. */
function ipv6Bytes(raw: string): number[] | null {
  let ip = raw.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (!net.isIPv6(ip)) return null;
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (dotted) {
    tail = dotted[2].split('.').map(Number);
    ip = dotted[1].endsWith('::') ? dotted[1] : dotted[1].slice(0, -1);
  }
  const wanted = 8 - tail.length / 2;
  const split = (s: string) => (s ? s.split(':') : []);
  let groups: string[];
  const gap = ip.indexOf('::');
  if (gap >= 0) {
    const head = split(ip.slice(0, gap));
    const rest = split(ip.slice(gap + 2));
    groups = [...head, ...Array(Math.max(0, wanted - head.length - rest.length)).fill('0'), ...rest];
  } else groups = split(ip);
  if (groups.length !== wanted) return null;
  const out: number[] = [];
  for (const g of groups) {
    const n = parseInt(g, 16);
    out.push(n >> 8, n & 0xff);
  }
  return [...out, ...tail];
}

export interface TargetPolicy {
  allowPrivate: boolean;
  /** the server's own public origin */
  publicUrl: string;
}

/** Why a URL may not be a webhook target judging by the URL alone (no name resolved), or null. */
export function refuseUrl(raw: string, policy: TargetPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The URL is not valid.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Webhook URLs must use http or https.';
  if (url.username || url.password) return 'Webhook URLs may not carry a user name or password.';
  if (policy.allowPrivate) return null;
  const own = new URL(policy.publicUrl);
  if (url.hostname === own.hostname) return 'A webhook cannot point at this Baton server itself.';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host) && isPrivateAddress(host)) return privateMessage(host);
  return null;
}

const privateMessage = (address: string, host?: string) =>
  `The URL points at a private or local address (${host && host !== address ? `${host} is ${address}` : address}); only public addresses are allowed.`;

/** Why a URL may not be a webhook target, resolving its host now (for the answer when it is saved), or null. */
export async function refuseTarget(raw: string, policy: TargetPolicy): Promise<string | null> {
  const refused = refuseUrl(raw, policy);
  if (refused || policy.allowPrivate) return refused;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(host)) return null;
  let addresses: string[];
  try {
    addresses = (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return `The host ${host} could not be resolved.`;
  }
  const bad = addresses.find(isPrivateAddress);
  return bad ? privateMessage(bad, host) : null;
}

type Lookup = typeof dns.lookup;

/** A refusal by the connection-time check, told apart from network errors. */
export class PrivateTargetError extends Error {
  readonly code = 'EPRIVATETARGET';
}

/**
 * A `lookup` for sockets that refuses names resolving to a private address: the address checked is
 * the one connected to. Every address of the name must be public (as when the webhook was saved).
 */
export function guardedLookup(base: Lookup = dns.lookup): net.LookupFunction {
  return (hostname, options, callback) => {
    base(hostname, { ...options, all: true }, (err, addresses) => {
      const list = addresses as unknown as dns.LookupAddress[];
      if (err) return callback(err, '', 0);
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad) return callback(Object.assign(new PrivateTargetError(privateMessage(bad.address, hostname)), { hostname }), '', 0);
      if (list.length === 0) return callback(Object.assign(new Error(`The host ${hostname} has no address.`), { code: 'ENOTFOUND' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      return callback(null, list[0].address, list[0].family);
    });
  };
}

export interface TargetRequest {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  policy: TargetPolicy;
  /** the name resolver under the check (tests) */
  lookup?: Lookup;
}

export interface TargetResponse {
  status: number;
  /** the first 64 KiB of the answer */
  text: string;
}

export class TargetTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

const MAX_ANSWER_BYTES = 64 * 1024;
const agents = new Map<string, http.Agent>();

function agentFor(protocol: string, policy: TargetPolicy, lookup?: Lookup): http.Agent {
  const options: http.AgentOptions = { keepAlive: true, maxSockets: 50 };
  if (!policy.allowPrivate) (options as net.TcpNetConnectOpts).lookup = guardedLookup(lookup);
  const make = () => (protocol === 'https:' ? new https.Agent(options) : new http.Agent(options));
  if (lookup) return make(); // a test's resolver: its own agent
  const key = `${protocol}${policy.allowPrivate}`;
  let agent = agents.get(key);
  if (!agent) agents.set(key, (agent = make()));
  return agent;
}

/**
 * One request to a webhook target (never following redirects): the URL is checked, and unless
 * private targets are allowed, every connection resolves the name through the check above. The
 * whole exchange (connection, request, answer) is bounded by the timeout.
 */
export function requestTarget(raw: string, req: TargetRequest): Promise<TargetResponse> {
  const refused = refuseUrl(raw, req.policy);
  if (refused) return Promise.reject(new PrivateTargetError(refused));
  const url = new URL(raw);
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { ...req.headers };
  if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
  return new Promise<TargetResponse>((resolve, reject) => {
    const r = client.request(url, { method: req.method, headers, agent: agentFor(url.protocol, req.policy, req.lookup) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
      };
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(c.subarray(0, MAX_ANSWER_BYTES - size));
        size += c.length;
        if (size >= MAX_ANSWER_BYTES) {
          res.destroy();
          done();
        }
      });
      res.on('end', done);
      res.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const timer = setTimeout(() => r.destroy(new TargetTimeoutError(`No answer within ${req.timeoutMs / 1000} s.`)), req.timeoutMs);
    r.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    r.end(req.body);
  });
}
