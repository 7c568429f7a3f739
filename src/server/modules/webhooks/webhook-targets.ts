import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * Where a webhook may point. Loopback, private, link-local (cloud metadata), unique-local and
 * unspecified addresses are refused unless the operator allows private targets; so is the server's
 * own public host. Every address the name resolves to is checked (at creation and at each delivery).
 */
export function isPrivateAddress(ip: string): boolean {
  if (net.isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a >= 224
    );
  }
  const v6 = ip.toLowerCase();
  if (v6 === '::' || v6 === '::1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return isPrivateAddress(mapped[1]);
  return v6.startsWith('fc') || v6.startsWith('fd') || v6.startsWith('fe8') || v6.startsWith('fe9') || v6.startsWith('fea') || v6.startsWith('feb') || v6.startsWith('ff');
}

export interface TargetPolicy {
  allowPrivate: boolean;
  /** the server's own public origin */
  publicUrl: string;
}

/** Why a URL may not be a webhook target, or null when it may. */
export async function refuseTarget(raw: string, policy: TargetPolicy): Promise<string | null> {
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
  let addresses: string[];
  if (net.isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return `The host ${host} could not be resolved.`;
    }
  }
  const bad = addresses.find(isPrivateAddress);
  return bad ? `The URL points at a private or local address (${bad}); only public addresses are allowed.` : null;
}
