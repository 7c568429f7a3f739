import type { FastifyBaseLogger } from 'fastify';
import type { Db, DialectName } from '../../db/database.ts';
import { EVENTS_CHANNEL } from './events.service.ts';

export interface BusEvent {
  /** the event as one Server-Sent Events frame, built once for all its subscribers */
  frame?: Buffer;
  seq: number;
  id: string;
  organizationId: string;
  merchantId: string | null;
  workerId: string | null;
  type: string;
  subjectId: string;
  payload: string;
  time: number;
}

export interface Subscriber {
  /** which events this subscriber may see */
  accepts(e: BusEvent): boolean;
  send(e: BusEvent): void;
}

type Row = {
  seq: number;
  id: string;
  organization_id: string;
  merchant_id: string | null;
  worker_id: string | null;
  type: string;
  subject_id: string;
  payload: string;
  time_created: number;
};

const toBus = (r: Row): BusEvent => ({
  seq: Number(r.seq),
  id: r.id,
  organizationId: r.organization_id,
  merchantId: r.merchant_id,
  workerId: r.worker_id,
  type: r.type,
  subjectId: r.subject_id,
  payload: r.payload,
  time: r.time_created,
});

/**
 * Fans committed events out to live subscribers. It reads the events table (the outbox), so every
 * instance sharing one PostgreSQL sees every event. On PostgreSQL a transaction can commit after
 * one with a higher sequence number, so the numbers a read skipped are looked for again (for a
 * while), and ids already delivered are skipped.
 */
export class EventBus {
  private readonly subscribers = new Set<Subscriber>();
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private again = false;
  /** PostgreSQL: sequence numbers not seen yet below the cursor, with when they were first missed */
  private readonly gaps = new Map<number, number>();
  static readonly GAP_MS = 10_000;
  private readonly recent = new Map<string, number>();
  private started = false;

  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => number,
    private readonly pollMs = 250,
    /** PostgreSQL's LISTEN: events committed by any instance wake the bus at once (polling stays as the safety net) */
    private readonly listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>,
  ) {}

  async start() {
    if (this.started) return;
    this.started = true;
    const last = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
    this.cursor = Number(last?.m ?? 0);
    if (this.listen) {
      this.unlisten = await this.listen(EVENTS_CHANNEL, () => {
        if (this.subscribers.size > 0) void this.poll();
      });
    }
    const tick = async () => {
      if (!this.started) return;
      await this.poll();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    this.timer = setTimeout(tick, this.pollMs);
    this.timer.unref();
  }

  async stop() {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.subscribers.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }

  subscribe(s: Subscriber): () => void {
    this.subscribers.add(s);
    return () => this.subscribers.delete(s);
  }

  get size() {
    return this.subscribers.size;
  }

  /** Reads new events now (after a local commit, or on the timer). */
  async poll(): Promise<void> {
    if (this.polling) {
      // A commit announced while reading: read again right after, not at the next tick.
      this.again = true;
      return;
    }
    if (this.subscribers.size === 0) {
      await this.advanceCursorOnly();
      return;
    }
    this.polling = true;
    this.again = false;
    try {
      let q = this.db.selectFrom('events').selectAll().orderBy('seq').limit(2000);
      const gaps = [...this.gaps.keys()];
      if (gaps.length) q = q.where((eb) => eb.or([eb('seq', '>', this.cursor), eb('seq', 'in', gaps)]));
      else q = q.where('seq', '>', this.cursor);
      const events = ((await q.execute()) as Row[]).map(toBus);
      const before = this.cursor;
      for (const e of events) {
        if (e.seq > this.cursor) this.cursor = e.seq;
        this.gaps.delete(e.seq);
      }
      if (this.dialect === 'postgres') this.noteGaps(before, events);
      for (const e of events) {
        if (this.recent.has(e.id)) continue;
        this.recent.set(e.id, e.time);
        for (const s of this.subscribers) if (s.accepts(e)) s.send(e);
      }
      if (this.recent.size > 20_000) {
        const cutoff = this.now() - 10_000;
        for (const [id, t] of this.recent) if (t < cutoff) this.recent.delete(id);
      }
    } catch (err) {
      this.log.warn({ err }, 'event poll failed');
    } finally {
      this.polling = false;
    }
    if (this.again) void this.poll();
  }

  /**
   * PostgreSQL hands out sequence numbers before commit, so a transaction can commit after one with a
   * higher number: the numbers a read skipped are read again on the next polls until they appear, or
   * for GAP_MS (a rolled-back transaction's number never does).
   */
  private noteGaps(before: number, events: BusEvent[]) {
    const now = this.now();
    for (const [seq, since] of this.gaps) if (now - since > EventBus.GAP_MS) this.gaps.delete(seq);
    if (this.cursor - before > 10_000) return; // a jump too far to be in flight
    const seen = new Set(events.map((e) => e.seq));
    for (let seq = before + 1; seq < this.cursor; seq++) if (!seen.has(seq)) this.gaps.set(seq, now);
    if (this.gaps.size > 5_000) {
      // far more than can be in flight: keep the newest
      const keep = new Set([...this.gaps.keys()].sort((a, b) => b - a).slice(0, 5_000));
      for (const seq of [...this.gaps.keys()]) if (!keep.has(seq)) this.gaps.delete(seq);
    }
  }

  private async advanceCursorOnly() {
    try {
      const last = await this.db.selectFrom('events').select((eb) => eb.fn.max('seq').as('m')).executeTakeFirst();
      this.cursor = Math.max(this.cursor, Number(last?.m ?? 0));
    } catch {
      /* retried on the next tick */
    }
  }

  /** Events after `seq` for one subscriber (a reconnect with Last-Event-ID). */
  async replay(afterSeq: number, s: Subscriber, limit = 1000) {
    const rows = (await this.db.selectFrom('events').selectAll().where('seq', '>', afterSeq).where('seq', '<=', this.cursor).orderBy('seq').limit(limit).execute()) as Row[];
    for (const r of rows) {
      const e = toBus(r);
      if (s.accepts(e)) s.send(e);
    }
  }
}
