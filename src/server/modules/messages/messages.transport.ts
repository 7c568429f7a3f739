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
