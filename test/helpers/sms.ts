import http from 'node:http';

export interface ReceivedSms {
  to: string;
  from: string;
  body: string;
  /** the account in the URL and the Basic credentials it came with */
  account: string;
  authorization: string;
}

/**
 * A local HTTP server speaking Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json,
 * form fields To, From, Body), standing in for the SMS provider's cloud. `failNext(n)` makes the next
 * n requests answer 500, as a provider outage would.
 */
export async function startSmsReceiver() {
  const received: ReceivedSms[] = [];
  let failures = 0;
  let requests = 0;
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      requests++;
      const m = req.url?.match(/^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/);
      if (req.method !== 'POST' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}');
        return;
      }
      if (failures > 0) {
        failures--;
        res.writeHead(500, { 'content-type': 'application/json' }).end('{"message":"provider is down"}');
        return;
      }
      const form = new URLSearchParams(raw);
      received.push({ to: form.get('To') ?? '', from: form.get('From') ?? '', body: form.get('Body') ?? '', account: decodeURIComponent(m[1]), authorization: req.headers.authorization ?? '' });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: `SM${received.length}`, status: 'queued' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    get requests() {
      return requests;
    },
    failNext(n: number) {
      failures = n;
    },
    /** the env that points Baton's Twilio-compatible SMS provider here */
    env: (): Record<string, string> => ({
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'ACtest',
      TWILIO_AUTH_TOKEN: 'secret-token',
      TWILIO_FROM: '+14155550000',
      TWILIO_BASE_URL: `http://127.0.0.1:${port}`,
    }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
