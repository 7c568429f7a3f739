import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../src/server/plugins/rate-limit.redis.ts';
import { MemoryRateLimiter, type RateLimiter } from '../../src/server/plugins/rate-limit.store.ts';

const REDIS_URL = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';

async function redisReachable() {
  const probe = new RedisRateLimiter(REDIS_URL, () => {});
  try {
    const h = await probe.hit(`probe:${crypto.randomUUID()}`, 1000, Date.now());
    return h.count === 1;
  } finally {
    await probe.close();
  }
}

const stores: Array<[string, () => RateLimiter]> = [['memory', () => new MemoryRateLimiter()]];
if (await redisReachable()) stores.push(['redis', () => new RedisRateLimiter(REDIS_URL)]);
else if (process.env.CI) throw new Error(`Redis is required in CI but ${REDIS_URL} is unreachable`);
else console.warn(`\n!!! Redis at ${REDIS_URL} is unreachable: the shared rate-limit store tests are SKIPPED.\n`);

describe.each(stores)('rate-limit store (%s)', (_name, make) => {
  const a = make();
  const b = make();
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('counts hits in a window and reports when it resets', async () => {
    const key = `t:${crypto.randomUUID()}`;
    const now = Date.now();
    expect((await a.hit(key, 60_000, now)).count).toBe(1);
    const second = await a.hit(key, 60_000, now);
    expect(second.count).toBe(2);
    expect(second.resetAt).toBeGreaterThan(now);
    expect(second.resetAt).toBeLessThanOrEqual(now + 60_000);
    expect((await a.peek(key, now))?.count).toBe(2);
    await a.reset(key);
    expect(await a.peek(key, now)).toBeNull();
  });

  it('shares counts between instances when the store is shared', async () => {
    const key = `t:${crypto.randomUUID()}`;
    await a.hit(key, 60_000, Date.now());
    const fromB = await b.hit(key, 60_000, Date.now());
    // Redis is one store for every instance; memory is per instance.
    expect(fromB.count).toBe(_name === 'redis' ? 2 : 1);
  });
});
