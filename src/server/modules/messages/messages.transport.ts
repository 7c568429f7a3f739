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

export function createEmailTransport(config: Config): EmailTransport | null {
  if (!config.smtpUrl) return null;
  const transporter = nodemailer.createTransport(config.smtpUrl, { from: config.mailFrom });
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        from: config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
      });
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
export function createSmsTransport(config: Config, timeoutMs = 10_000): SmsTransport | null {
  if (config.sms.provider !== 'twilio') return null;
  const { accountSid, authToken, from, baseUrl } = config.sms.twilio;
  const url = `${baseUrl}/2010-04-01/Accounts/${encodeURIComponent(accountSid!)}/Messages.json`;
  const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  return {
    kind: 'twilio',
    async send(sms) {
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
    },
  };
}
