import type { AuditEntry } from '../../../lib/types.ts';

interface Names {
  driver: (workerId: string | null | undefined) => string | null;
  team: (teamId: string | null | undefined) => string | null;
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

const FIELD_WORDS: Record<string, string> = {
  destination: 'the destination',
  recipients: 'the recipient',
  notes: 'the notes',
  completeAfter: 'the time window',
  completeBefore: 'the time window',
  quantity: 'the quantity',
  serviceTime: 'the service time',
  metadata: 'the metadata',
  dependencies: 'the dependencies',
  pickupTask: 'the pickup flag',
};

function whereTo(container: Record<string, unknown>, names: Names): string {
  if (container.type === 'WORKER') return `to ${names.driver(str(container.worker)) ?? 'a driver'}`;
  if (container.type === 'TEAM') return `to the team ${names.team(str(container.team)) ?? ''}`.trim();
  return 'back to unassigned';
}

/** A task's history entry in plain words. */
export function describeTaskEntry(entry: AuditEntry, names: Names): string {
  const data = obj(entry.data);
  switch (entry.action) {
    case 'task.created':
      return 'created the task';
    case 'task.assigned': {
      if (data.worker) return `assigned it to ${names.driver(str(data.worker)) ?? 'a driver'}`;
      if (data.container) return `assigned it ${whereTo(obj(data.container), names)}`;
      return 'assigned it';
    }
    case 'task.unassigned':
      if (data.reason === 'driver deleted') return 'unassigned it (its driver was deleted)';
      return data.container ? `moved it ${whereTo(obj(data.container), names)}` : 'unassigned it';
    case 'task.started':
      return 'started it';
    case 'task.completed': {
      if (data.cancelled) return 'cancelled the order';
      if (data.rejected) return 'rejected the order';
      const forced = data.by === 'dispatcher' ? ' on the driver’s behalf' : '';
      return data.success === false ? `marked it failed${forced}` : `completed it${forced}`;
    }
    case 'task.cloned':
      return 'cloned it for a new attempt';
    case 'task.deleted':
      return 'deleted it';
    case 'task.updated': {
      if (data.geocoded) return 'located the address on the map';
      if (data.order) return 'edited the order';
      if (data.container) return `moved it ${whereTo(obj(data.container), names)}`;
      const fields = [...new Set(Object.keys(data).map((k) => FIELD_WORDS[k]).filter(Boolean))];
      return fields.length ? `changed ${fields.join(', ')}` : 'changed the task';
    }
    default:
      return entry.action;
  }
}
