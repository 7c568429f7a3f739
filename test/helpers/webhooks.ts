import http from 'node:http';

export interface ReceivedHook {
  body: string;
  json: any;
  signature: string | undefined;
  path: string;
}

/**
 * A local HTTP receiver for webhooks: answers Baton's `?check=` handshake (or not, when told to),
 * records every POST with its signature, and fails the next n POSTs with 500 when told to.
 */
export async function startWebhookReceiver() {
  const received: ReceivedHook[] = [];
  let failures = 0;
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
    answerChecks(how: 'echo' | 'wrong' | 'error') {
      checkAnswer = how;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
