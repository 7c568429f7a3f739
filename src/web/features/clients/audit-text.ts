import type { AuditEntry } from '../../lib/types.ts';

interface Names {
  teamName: (teamId: string) => string;
  /** a courier person's name, when known */
  personName: (userId: string) => string | null;
}

type Change = { from?: unknown; to?: unknown; pending?: unknown; pendingWithdrawn?: unknown };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

function describeUpdate(data: Record<string, unknown>, names: Names): string {
  const parts: string[] = [];
  const name = obj(data.name) as Change;
  if (data.name) parts.push(`renamed the client from “${str(name.from)}” to “${str(name.to)}”`);
  const email = obj(data.email) as Change;
  if (data.email) {
    if (email.pendingWithdrawn) parts.push(`withdrew the email change to ${str(email.pendingWithdrawn)}`);
    else if (email.pending) parts.push(`asked to change the email to ${str(email.pending)}, awaiting the client’s confirmation`);
    else parts.push(`changed the email from ${str(email.from)} to ${str(email.to)}`);
  }
  if (data.autoAssign) {
    const a = obj(data.autoAssign) as Change;
    const from = str(a.from);
    const to = str(a.to);
    if (to && from) parts.push(`moved automatic assignment from ${names.teamName(from)} to ${names.teamName(to)}`);
    else if (to) parts.push(`turned on automatic assignment to ${names.teamName(to)}`);
    else parts.push('turned off automatic assignment');
  }
  return parts.length ? parts.join('; ') : 'changed the client';
}

/** An activity entry in plain words: who, and what they did. */
export function describeAuditEntry(entry: AuditEntry, names: Names): { actor: string; text: string } {
  const data = obj(entry.data);
  const actor = (entry.actor.id ? names.personName(entry.actor.id) : null) ?? entry.actor.label ?? 'Someone';
  switch (entry.action) {
    case 'client.created':
      return { actor, text: `created the client with the email ${str(data.email)}` };
    case 'client.updated':
      return { actor, text: describeUpdate(data, names) };
    case 'client.invited':
      return { actor, text: `sent the invitation to ${str(data.email)}` };
    case 'client.reinvited':
      return { actor, text: `sent a new invitation to ${str(data.email)}; the earlier link stopped working` };
    case 'client.accepted':
      return {
        actor: str(data.user) || actor,
        text: `accepted the invitation and created the client organization “${str(data.name)}”`,
      };
    case 'client.emailConfirmed':
      return { actor: 'The client', text: `confirmed its new email address ${str(data.to)} (it was ${str(data.from)})` };
    case 'client.emailChangedByClient':
      return { actor: 'The client', text: `changed its email from ${str(data.from)} to ${str(data.to)} in its portal` };
    case 'client.renamedByClient':
      return { actor: 'The client', text: `renamed itself from “${str(data.from)}” to “${str(data.to)}” in its portal` };
    case 'client.deleted':
      return { actor, text: 'deleted the client' };
    default: {
      const verb = entry.action.replace(/^client\./, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
      return { actor, text: verb || 'made a change' };
    }
  }
}
