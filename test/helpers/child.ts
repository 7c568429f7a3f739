import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const BIN = path.resolve('bin/baton.mjs');

export interface BatonProcess {
  url: string;
  proc: ChildProcess;
  /** the last of what it wrote to stdout and stderr */
  output(): string;
  /** SIGKILL (no shutdown of any kind), resolved once it has exited */
  kill(): Promise<void>;
  /** SIGTERM (graceful shutdown), resolved once it has exited */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An empty folder for WEB_DIR, so `baton start` neither builds nor serves the web app. */
export function emptyWebDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'baton-noweb-'));
}

/**
 * Starts `node bin/baton.mjs start` as a real child process with `env` (on top of this process's,
 * with PORT and HOST chosen here) and waits until /health answers 200.
 */
export async function startBaton(env: Record<string, string>, timeoutMs = 60_000): Promise<BatonProcess> {
  const port = await freePort();
  const proc = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-20_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`baton start exited (code ${proc.exitCode}, signal ${proc.signalCode}) before it served:\n${out}`);
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`baton start did not serve /health within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const end = async (signal: NodeJS.Signals) => {
    if (!gone) proc.kill(signal);
    await exited;
  };
  return { url, proc, output: () => out, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
