import http from 'node:http';

export interface ReceivedHook {
  body: string;
  json: any;
  signature: string | undefined;
  path: string;
}

/**
 * A local HTTP receiver for webhooks: answers Baton's `?check=` handshake (or not, when told to),
 * records every POST with its signature, fails the next n POSTs with 500 when told to, and leaves
 * POSTs unanswered while told to hang.
 */
export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  let failures = 0;
  let hanging = false;
  /** POSTs left unanswered while hanging */
  const held = new Set<http.ServerResponse>();
  let checkAnswer: 'echo' | 'wrong' | 'error' = 'echo';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET') {
      const check = url.searchParams.get('check') ?? '';
      if (checkAnswer === 'echo') res.writeHead(200, { 'content-type': 'text/plain' }).end(check);
      else if (checkAnswer === 'wrong') res.writeHead(200, { 'content-type': 'text/plain' }).end('hello there');
      else res.writeHead(404).end('no such hook');
      return;
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      if (hanging) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      if (failures > 0) {
        failures--;
        res.writeHead(500, { 'content-type': 'text/plain' }).end('receiver is down');
        return;
      }
      received.push({ body: raw, json: JSON.parse(raw), signature: req.headers['x-onfleet-signature'] as string | undefined, path: url.pathname });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    received,
    failNext(n: number) {
      failures = n;
    },
    /** leaves POSTs unanswered (true) or answers them again (false; the held ones are dropped) */
    hang(on: boolean) {
      hanging = on;
      if (!on) for (const res of held) res.destroy();
    },
    /** POSTs unanswered now */
    get held() {
      return held.size;
    },
    answerChecks(how: 'echo' | 'wrong' | 'error') {
      checkAnswer = how;
    },
    close: () => {
      hanging = false;
      for (const res of held) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
