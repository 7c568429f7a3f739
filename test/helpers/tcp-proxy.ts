import net from 'node:net';

/**
 * A TCP proxy between Baton and a server (PostgreSQL in the outage tests), controlled by the test:
 * `cut()` resets every open connection at once (a database restart, a network failure), `refuse()`
 * resets new connections as they arrive, `restore()` lets them through again.
 */
export async function startTcpProxy(target: { host: string; port: number }) {
  const open = new Set<net.Socket>();
  /** the proxy's own connections to the target (their local ports are what the target sees) */
  const upstreams = new Set<net.Socket>();
  let refusing = false;
  let accepted = 0;
  let refused = 0;

  const reset = (s: net.Socket) => {
    if (!s.destroyed) s.resetAndDestroy();
  };

  const server = net.createServer((client) => {
    if (refusing) {
      refused++;
      client.on('error', () => {});
      reset(client);
      return;
    }
    accepted++;
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    upstreams.add(upstream);
    const end = () => {
      open.delete(client);
      open.delete(upstream);
      upstreams.delete(upstream);
      reset(client);
      reset(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    /** `url` with its host and port replaced by the proxy's */
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    /** connections accepted and passed on, and refused, so far */
    get stats() {
      return { accepted, refused, open: open.size / 2 };
    },
    /** the local ports of the open connections to the target (PostgreSQL's pg_stat_activity.client_port) */
    upstreamPorts(): number[] {
      return [...upstreams].map((s) => s.localPort).filter((p): p is number => typeof p === 'number');
    },
    /** resets every open connection now */
    cut() {
      for (const s of [...open]) reset(s);
      open.clear();
      upstreams.clear();
    },
    /** resets new connections as they arrive (until restore) */
    refuse() {
      refusing = true;
    },
    restore() {
      refusing = false;
    },
    close: async () => {
      refusing = true;
      for (const s of [...open]) reset(s);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
