import type { Db } from '../../db/database.ts';
import { invalid } from '../../lib/errors.ts';
import { newId } from '../../lib/ids.ts';
import * as repo from './messages.repository.ts';

export interface EmailToQueue {
  organizationId: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/** What a recipient notification is about, kept with the message for the notification log. */
export interface MessageAbout {
  taskId: string;
  merchantId: string;
  ruleId: string | null;
  trigger: string;
}

interface MessageToQueue {
  organizationId: string | null;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  about?: MessageAbout;
  /** a message that will not be sent (e.g. the recipient opted out), recorded with the reason */
  skipped?: string;
}

async function queueMessage(db: Db, now: number, m: MessageToQueue): Promise<string> {
  const id = newId();
  await repo.insertMessage(db, {
    id,
    organization_id: m.organizationId,
    channel: m.channel,
    to_address: m.to,
    subject: m.subject,
    body_text: m.text,
    body_html: m.html,
    status: m.skipped ? 'skipped' : 'queued',
    attempts: 0,
    last_error: m.skipped ?? null,
    next_attempt_at: now,
    time_created: now,
    time_sent: null,
    task_id: m.about?.taskId ?? null,
    merchant_id: m.about?.merchantId ?? null,
    rule_id: m.about?.ruleId ?? null,
    trigger: m.about?.trigger ?? null,
  });
  return id;
}

/**
 * Writes an email to the messages table, inside the caller's transaction, so it is sent only
 * after that transaction commits and is never lost. The dispatcher delivers it.
 */
export async function queueEmail(db: Db, now: number, mail: EmailToQueue, about?: MessageAbout): Promise<string> {
  return queueMessage(db, now, { organizationId: mail.organizationId, channel: 'email', to: mail.to, subject: mail.subject, text: mail.text, html: mail.html ?? null, about });
}

/** Queues a text message (SMS), inside the caller's transaction, like queueEmail. */
export async function queueSms(
  db: Db,
  now: number,
  sms: { organizationId: string | null; to: string; text: string },
  about?: MessageAbout,
  skipped?: string,
): Promise<string> {
  return queueMessage(db, now, { organizationId: sms.organizationId, channel: 'sms', to: sms.to, subject: null, text: sms.text, html: null, about, skipped });
}

const LINK_RE = /https?:\/\/[^\s<>"')]+/g;

export interface MessageView {
  id: string;
  channel: 'email' | 'sms';
  to: string;
  subject: string | null;
  text: string;
  links: string[];
  status: string;
  attempts: number;
  lastError: string | null;
  timeCreated: number;
  timeSent: number | null;
}

export function toMessageView(row: repo.MessageRow): MessageView {
  return {
    id: row.id,
    channel: row.channel,
    to: row.to_address,
    subject: row.subject,
    text: row.body_text,
    links: [...new Set(row.body_text.match(LINK_RE) ?? [])],
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    timeCreated: row.time_created,
    timeSent: row.time_sent,
  };
}

export async function listOutbox(db: Db, organizationId: string, limit: number, lastId?: string) {
  let cursor: { time: number; id: string } | undefined;
  if (lastId) {
    const last = await repo.findMessage(db, organizationId, lastId);
    if (!last) throw invalid('lastId does not name one of your messages.', { field: 'lastId' });
    cursor = { time: last.time_created, id: last.id };
  }
  const rows = await repo.listMessages(db, organizationId, limit + 1, cursor);
  const page = rows.slice(0, limit).map(toMessageView);
  return { messages: page, lastId: rows.length > limit ? page[page.length - 1].id : undefined };
}
