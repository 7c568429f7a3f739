import { Redis } from 'ioredis';
import type { Hit, RateLimiter } from './rate-limit.store.ts';

/**
 * Fixed-window counters in Redis, shared by every instance (REDIS_URL). If Redis is unreachable the
 * limiter lets requests through rather than taking the API down with it.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  constructor(
    url: string,
    private readonly onError: (err: unknown) => void = () => {},
    private readonly prefix = 'baton:rl:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on('error', (err) => this.onError(err));
  }

  async hit(key: string, windowMs: number, now: number): Promise<Hit> {
    const k = this.prefix + key;
    try {
      const res = await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec();
      const count = Number(res?.[0]?.[1] ?? 1);
      const ttl = Number(res?.[2]?.[1] ?? windowMs);
      return { count, resetAt: now + (ttl > 0 ? ttl : windowMs) };
    } catch (err) {
      this.onError(err);
      return { count: 0, resetAt: now + windowMs };
    }
  }

  async peek(key: string, now: number): Promise<Hit | null> {
    const k = this.prefix + key;
    try {
      const [count, ttl] = await Promise.all([this.redis.get(k), this.redis.pttl(k)]);
      if (count === null || ttl <= 0) return null;
      return { count: Number(count), resetAt: now + ttl };
    } catch (err) {
      this.onError(err);
      return null;
    }
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key).catch(this.onError);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
