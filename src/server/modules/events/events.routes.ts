import type { ServerResponse } from 'node:http';
import { Type } from '@sinclair/typebox';
import type { AppContext } from '../../context.ts';
import { unauthenticated } from '../../lib/errors.ts';
import type { App } from '../../lib/http.ts';
import { errors } from '../../lib/schemas.ts';
import type { Principal } from '../auth/principal.ts';
import type { BusEvent, EventBus } from './events.bus.ts';

/** Which events a caller may see: its organization's; a client only its own orders'; a driver only its own. */
export function audience(p: Principal): (e: BusEvent) => boolean {
  if (p.kind === 'driver') return (e) => e.organizationId === p.organizationId && e.workerId === p.workerId;
  if (p.orgKind === 'client') return (e) => e.merchantId === p.organizationId && !e.type.startsWith('worker.');
  return (e) => e.organizationId === p.organizationId;
}

/** What one live-updates connection may have waiting to be sent before it is closed. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long an event may wait to be written with the ones after it. */
const FLUSH_MS = 50;

interface Connection {
  res: ServerResponse;
  /** events waiting for the next flush (their frames are encoded) */
  pending: BusEvent[];
}

const dirty = new Set<Connection>();
let flushTimer: NodeJS.Timeout | null = null;

function queueFlush(c: Connection) {
  dirty.add(c);
  flushTimer ??= setTimeout(flushAll, FLUSH_MS);
}

function flushAll() {
  flushTimer = null;
  const conns = [...dirty];
  dirty.clear();
  // Subscribers who see the same events (a courier's dashboards) share one buffer of them: one
  // write per connection, and the frames joined once.
  const joined = new Map<string, Buffer>();
  for (const { res, pending } of conns) {
    const events = pending.splice(0);
    if (res.destroyed) continue;
    const key = events.map((e) => e.seq).join(',');
    let buf = joined.get(key);
    if (!buf) joined.set(key, (buf = events.length === 1 ? events[0].frame! : Buffer.concat(events.map((e) => e.frame!))));
    res.write(buf);
    // A subscriber that cannot keep up is let go (its EventSource reconnects with Last-Event-ID
    // and is replayed what it missed) rather than buffered without limit.
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  }
}

export async function eventRoutes(app: App, ctx: AppContext, bus: EventBus) {
  app.get(
    '/api/v2/events',
    {
      schema: {
        tags: ['Live updates'],
        summary: 'Server-Sent Events of the task, order and worker changes you may see (send Last-Event-ID to resume)',
        description:
          'Each message is `{type, id, time, data}`. Task events carry a summary in `data.task` (id, shortId, state, worker, container, merchant, orderShortId, pickupTask, completeBefore, timeLastModified); fetch the task for the rest. Events are written in batches at most 50 ms apart.',
        produces: ['text/event-stream'],
        querystring: Type.Object({ lastEventId: Type.Optional(Type.Integer({ minimum: 0 })) }),
        response: { 200: Type.String({ description: 'text/event-stream' }), ...errors(401, 429) },
      },
    },
    async (req, reply) => {
      if (!req.principal) throw unauthenticated();
      const accepts = audience(req.principal);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      res.write('retry: 3000\n\n');
      // Frames are queued and written together every FLUSH_MS (one write per connection, not per
      // event); each frame is encoded once for all its subscribers.
      const conn: Connection = { res, pending: [] };
      const send = (e: BusEvent) => {
        e.frame ??= Buffer.from(`id: ${e.seq}\nevent: ${e.type}\ndata: {"type":${JSON.stringify(e.type)},"id":${JSON.stringify(e.subjectId)},"time":${e.time},"data":${e.payload}}\n\n`);
        if (conn.pending.push(e) === 1) queueFlush(conn);
      };
      const sub = { accepts, send };
      const resume = Number(req.headers['last-event-id'] ?? req.query.lastEventId ?? NaN);
      if (Number.isFinite(resume)) await bus.replay(resume, sub);
      const off = bus.subscribe(sub);
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
      req.raw.on('close', () => {
        clearInterval(heartbeat);
        off();
      });
    },
  );
}
