import nodemailer from 'nodemailer';
import type { Config } from '../../config.ts';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** Delivers one email or throws. */
export interface EmailTransport {
  readonly kind: 'smtp';
  send(mail: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * SMTP with every wait bounded by MESSAGE_TIMEOUT_MS (nodemailer's own defaults wait up to 2 minutes
 * to connect and 10 for a silent server): a mail server that hangs fails the attempt, which is retried.
 */
export function createEmailTransport(config: Config): EmailTransport | null {
  if (!config.smtpUrl) return null;
  const timeoutMs = config.messageTimeoutMs;
  const transporter = nodemailer.createTransport(
    { url: config.smtpUrl, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs, dnsTimeout: timeoutMs },
    { from: config.mailFrom },
  );
  return {
    kind: 'smtp',
    async send(mail) {
      let timer: NodeJS.Timeout | undefined;
      // The waits above are per step; this bounds the whole conversation (a server that answers slowly at every step).
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`The mail server did not take the message within ${timeoutMs / 1000} s.`)), timeoutMs);
      });
      try {
        await Promise.race([
          transporter.sendMail({
            from: config.mailFrom,
            to: mail.to,
            subject: mail.subject,
            text: mail.text,
            ...(mail.html ? { html: mail.html } : {}),
          }),
          deadline,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      transporter.close();
    },
  };
}

export interface OutgoingSms {
  to: string;
  text: string;
}

/** Delivers one text message or throws (with what the provider answered). */
export interface SmsTransport {
  readonly kind: 'twilio';
  send(sms: OutgoingSms): Promise<void>;
}

/**
 * Twilio's Messages API, or any gateway that speaks it: POST {base}/2010-04-01/Accounts/{sid}/Messages.json
 * with form fields To, From, Body and Basic auth sid:token. Returns null for the log-only default
 * (messages are then kept in the outbox and listed, not sent).
 */
export function createSmsTransport(config: Config, timeoutMs = config.messageTimeoutMs): SmsTransport | null {
  if (config.sms.provider !== 'twilio') return null;
  const { accountSid, authToken, from, baseUrl } = config.sms.twilio;
  const url = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid!)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return {
    kind: 'twilio',
    async send(sms) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ To: sms.to, From: from!, Body: sms.text }).toString(),
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) {
          const body = (await res.text().catch(() => '')).slice(0, 300);
          throw new Error(`SMS provider answered ${res.status}${body ? `: ${body}` : ''}`);
        }
        await res.body?.cancel().catch(() => {});
      } catch (err) {
        if (err instanceof Error && err.name === 'TimeoutError') throw new Error(`The SMS provider did not answer within ${timeoutMs / 1000} s.`);
        throw err;
      }
    },
  };
}
