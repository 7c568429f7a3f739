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
 * n requests answer 500, as a provider outage would; `hang(true)` leaves requests unanswered.
 */
export async function startSmsReceiver() {
  const received: ReceivedSms[] = [];
  let failures = 0;
  let requests = 0;
  let hanging = false;
  /** requests left unanswered while hanging */
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      requests++;
      if (hanging) {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
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
    /** leaves requests unanswered (true) or answers them again (false; the held ones are dropped) */
    hang(on: boolean) {
      hanging = on;
      if (!on) for (const res of held) res.destroy();
    },
    /** requests unanswered now */
    get held() {
      return held.size;
    },
    /** the env that points Baton's Twilio-compatible SMS provider here */
    env: (): Record<string, string> => ({
      SMS_PROVIDER: 'twilio',
      TWILIO_ACCOUNT_SID: 'ACtest',
      TWILIO_AUTH_TOKEN: 'secret-token',
      TWILIO_FROM: '+14155550000',
      TWILIO_BASE_URL: `http://127.0.0.1:${port}`,
    }),
    close: () => {
      hanging = false;
      for (const res of held) res.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
