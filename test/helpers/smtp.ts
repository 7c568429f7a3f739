import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  links: string[];
}

/**
 * A real SMTP server receiving what Baton sends, for tests that read links out of mail. `hang()` makes
 * it accept connections and never greet them, `refuse()` answers every recipient with a temporary
 * failure (451), as a mail server that is down or overloaded would; `restore()` ends both.
 */
export async function startSmtpReceiver() {
  const inbox: ReceivedMail[] = [];
  const waiters: Array<() => void> = [];
  let mode: 'ok' | 'hang' | 'refuse' = 'ok';
  /** greetings held back while hanging (answered with an error on restore or close) */
  const held: Array<(err?: Error) => void> = [];
  let connections = 0;
  const release = () => held.splice(0).forEach((cb) => cb(Object.assign(new Error('Closing'), { responseCode: 421 })));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 500,
    onConnect(_session, callback) {
      connections++;
      if (mode === 'hang') held.push(callback);
      else callback();
    },
    onRcptTo(_address, _session, callback) {
      if (mode === 'refuse') callback(Object.assign(new Error('Mailbox temporarily unavailable, try again later'), { responseCode: 451 }));
      else callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const text = mail.text ?? '';
          inbox.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text,
            html: typeof mail.html === 'string' ? mail.html : '',
            links: [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])],
          });
          waiters.splice(0).forEach((w) => w());
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    inbox,
    /** waits until a message to `address` arrives (or times out) */
    async waitFor(address: string, predicate: (m: ReceivedMail) => boolean = () => true, timeoutMs = 10_000): Promise<ReceivedMail> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = [...inbox].reverse().find((m) => m.to.includes(address.toLowerCase()) && predicate(m));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No mail to ${address} within ${timeoutMs} ms (inbox: ${inbox.map((m) => `${m.to} "${m.subject}"`).join(', ')})`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    /** connections made so far (answered or held) */
    get connections() {
      return connections;
    },
    /** greetings held back now */
    get held() {
      return held.length;
    },
    hang() {
      mode = 'hang';
    },
    refuse() {
      release();
      mode = 'refuse';
    },
    restore() {
      release();
      mode = 'ok';
    },
    close: () => {
      release();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
