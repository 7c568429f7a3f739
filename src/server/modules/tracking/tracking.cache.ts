import type { BusEvent, EventBus } from '../events/events.bus.ts';

interface Entry {
  json: string;
  expiresAt: number;
  /** until when the expired entry may still answer while it is read afresh */
  staleUntil: number;
  /** task ids whose change makes this page stale (the task and what it depends on) */
  watch: string[];
}

/**
 * The public tracking data as sent (serialized JSON), per short id. A recipient's page polls, and
 * one link can be opened by many people at once; most polls find nothing changed. An entry ends
 * when a change to its task (or to the pickup a dropoff depends on) is announced on the event bus
 * — from any instance — or when it expires: after ACTIVE_MS while a driver is on the way (the
 * driver's position and the ETA move without task events), after IDLE_MS otherwise (branding
 * changed through another instance). An expired entry may still answer for as long again while
 * one read refreshes it (`lookup`); an ended one never does.
 */
export class TrackingCache {
  static readonly ACTIVE_MS = 1_000;
  static readonly IDLE_MS = 10_000;
  private readonly entries = new Map<string, Entry>();
  /** task id → short ids of the cached pages that watch it */
  private readonly watchers = new Map<string, Set<string>>();
  /** reads under way, per short id */
  private readonly reading = new Map<string, Promise<string>>();

  private bus: EventBus | null = null;
  /** counts task changes; a page read before a change to what it shows is not cached */
  version = 0;
  private readonly changedAt = new Map<string, number>();
  /** listening to the bus only while something is cached (it then reads every event) */
  private unsubscribe: (() => void) | null = null;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly maxEntries = 50_000) {}

  /** Where task changes are announced (from every instance). */
  attach(bus: EventBus) {
    this.bus = bus;
  }

  /** The entry while it is fresh. */
  get(shortId: string, now: number): string | null {
    const hit = this.lookup(shortId, now);
    return hit?.fresh ? hit.json : null;
  }

  /** The entry, and whether it is fresh; an expired one only within its stale window, then it goes. */
  lookup(shortId: string, now: number): { json: string; fresh: boolean } | null {
    const e = this.entries.get(shortId);
    if (!e) return null;
    if (now < e.expiresAt) return { json: e.json, fresh: true };
    if (now < e.staleUntil) return { json: e.json, fresh: false };
    this.drop(shortId);
    return null;
  }

  /** Ends one entry (its refresh failed). */
  forget(shortId: string) {
    this.drop(shortId);
  }

  /**
   * One read per short id at a time: callers that miss while a read is under way wait for it (one
   * link opened by many people, or a burst of polls, reads the database once).
   */
  load(shortId: string, read: () => Promise<string>): Promise<string> {
    let p = this.reading.get(shortId);
    if (!p) {
      p = read().finally(() => this.reading.delete(shortId));
      this.reading.set(shortId, p);
    }
    return p;
  }

  /** `since`: the version before the page was read (a change announced meanwhile keeps it out). */
  set(shortId: string, json: string, watch: string[], ttlMs: number, now: number, since: number) {
    // Without the bus, changes could not end an entry early: cache nothing.
    if (!this.bus) return;
    if (watch.some((id) => (this.changedAt.get(id) ?? -1) > since)) return;
    if (!this.unsubscribe) this.listen();
    if (this.entries.size >= this.maxEntries) this.clear();
    this.drop(shortId);
    this.entries.set(shortId, { json, expiresAt: now + ttlMs, staleUntil: now + 2 * ttlMs, watch });
    for (const id of watch) {
      let s = this.watchers.get(id);
      if (!s) this.watchers.set(id, (s = new Set()));
      s.add(shortId);
    }
  }

  /** A task changed: every page that shows it is read afresh. */
  taskChanged(taskId: string) {
    this.version++;
    this.changedAt.set(taskId, this.version);
    if (this.changedAt.size > 10_000) {
      // Reads take milliseconds: only the latest changes can race with one.
      for (const [id, v] of this.changedAt) if (v < this.version - 5_000) this.changedAt.delete(id);
    }
    const s = this.watchers.get(taskId);
    if (!s) return;
    for (const shortId of [...s]) this.drop(shortId);
  }

  clear() {
    this.entries.clear();
    this.watchers.clear();
  }

  get size() {
    return this.entries.size;
  }

  stop() {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    this.clear();
  }

  private listen() {
    this.unsubscribe = this.bus!.subscribe({
      accepts: (e: BusEvent) => e.type.startsWith('task.'),
      send: (e: BusEvent) => this.taskChanged(e.subjectId),
    });
    // Expired entries go; with nothing left, stop listening.
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const [shortId, e] of this.entries) if (now >= e.staleUntil) this.drop(shortId);
      if (this.entries.size === 0) this.stop();
    }, TrackingCache.IDLE_MS);
    this.sweeper.unref();
  }

  private drop(shortId: string) {
    const e = this.entries.get(shortId);
    if (!e) return;
    this.entries.delete(shortId);
    for (const id of e.watch) {
      const s = this.watchers.get(id);
      s?.delete(shortId);
      if (s?.size === 0) this.watchers.delete(id);
    }
  }
}
