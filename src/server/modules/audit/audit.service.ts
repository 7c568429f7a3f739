import type { Db } from '../../db/database.ts';
import { newId } from '../../lib/ids.ts';
import * as repo from './audit.repository.ts';

export interface Actor {
  organizationId: string;
  /** user or API key id; null for the system */
  id: string | null;
  label: string;
}

export interface AuditEntry {
  id: string;
  actor: { id: string | null; label: string };
  action: string;
  subjectType: string;
  subjectId: string;
  data: unknown;
  time: number;
}

/** Records who changed what, in the caller's transaction. */
export async function recordAudit(
  db: Db,
  now: number,
  actor: Actor,
  action: string,
  subject: { type: string; id: string },
  data: unknown = null,
) {
  await recordAudits(db, now, actor, [{ action, subject, data }]);
}

/** Several entries of one change by one actor, in one insert. */
export async function recordAudits(db: Db, now: number, actor: Actor, entries: Array<{ action: string; subject: { type: string; id: string }; data?: unknown }>) {
  if (entries.length === 0) return;
  await repo.insertAudits(
    db,
    entries.map((e) => ({
      id: newId(),
      organization_id: actor.organizationId,
      actor_id: actor.id,
      actor_label: actor.label,
      action: e.action,
      subject_type: e.subject.type,
      subject_id: e.subject.id,
      data: e.data === null || e.data === undefined ? null : JSON.stringify(e.data),
      time_created: now,
    })),
  );
}

function toEntry(r: Awaited<ReturnType<typeof repo.listAudit>>[number]): AuditEntry {
  return {
    id: r.id,
    actor: { id: r.actor_id, label: r.actor_label },
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    data: r.data ? JSON.parse(r.data) : null,
    time: r.time_created,
  };
}

/** A subject's history, oldest first, across the courier and its clients (call only after an access check). */
export async function subjectHistory(db: Db, subjectId: string, limit = 500): Promise<AuditEntry[]> {
  return (await repo.listAuditOfSubject(db, subjectId, limit)).map(toEntry);
}

export async function auditTrail(db: Db, organizationId: string, subjectId: string, limit = 200): Promise<AuditEntry[]> {
  const rows = await repo.listAudit(db, organizationId, subjectId, limit);
  return rows.map(toEntry);
}
