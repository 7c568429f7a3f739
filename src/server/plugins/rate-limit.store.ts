/**
 * Fixed-window counters. In memory by default (one instance); the interface lets a shared store
 * (e.g. Redis, when REDIS_URL is set) replace it for several instances.
 */
export interface Hit {
  count: number;
  resetAt: number;
}

export interface RateLimiter {
  hit(key: string, windowMs: number, now: number): Promise<Hit>;
  peek(key: string, now: number): Promise<Hit | null>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Hit>();
  private sweeps = 0;

  async hit(key: string, windowMs: number, now: number): Promise<Hit> {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (++this.sweeps % 10_000 === 0) this.sweep(now);
    return { ...w };
  }

  async peek(key: string, now: number): Promise<Hit | null> {
    const w = this.windows.get(key);
    return w && w.resetAt > now ? { ...w } : null;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
  }
}
