import { describe, expect, test } from 'vitest';
import type { BusEvent, EventBus } from '../../src/server/modules/events/events.bus.ts';
import { TrackingCache } from '../../src/server/modules/tracking/tracking.cache.ts';

/** The part of the event bus the cache uses: subscribers, and a way to announce a task change. */
function busStub() {
  const subs = new Set<{ accepts(e: BusEvent): boolean; send(e: BusEvent): void }>();
  const bus = {
    subscribe(s: { accepts(e: BusEvent): boolean; send(e: BusEvent): void }) {
      subs.add(s);
      return () => subs.delete(s);
    },
  } as unknown as EventBus;
  const announce = (type: string, subjectId: string) => {
    for (const s of subs) {
      const e = { type, subjectId } as BusEvent;
      if (s.accepts(e)) s.send(e);
    }
  };
  return { bus, announce, listeners: () => subs.size };
}

function cacheWithBus() {
  const cache = new TrackingCache();
  const stub = busStub();
  cache.attach(stub.bus);
  return { cache, ...stub };
}

describe('tracking data cache', () => {
  test('answers from memory until the entry expires', () => {
    const { cache } = cacheWithBus();
    cache.set('abc', '{"v":1}', ['task-1'], 1000, 10_000, cache.version);
    expect(cache.get('abc', 10_500)).toBe('{"v":1}');
    expect(cache.get('abc', 11_000)).toBeNull();
    cache.stop();
  });

  test('an expired entry answers as stale for as long again (while it is read afresh), then goes', () => {
    const { cache } = cacheWithBus();
    cache.set('abc', '{"v":1}', ['task-1'], 1000, 10_000, cache.version);
    expect(cache.lookup('abc', 10_999)).toEqual({ json: '{"v":1}', fresh: true });
    expect(cache.lookup('abc', 11_000)).toEqual({ json: '{"v":1}', fresh: false });
    expect(cache.lookup('abc', 11_999)).toEqual({ json: '{"v":1}', fresh: false });
    expect(cache.lookup('abc', 12_000)).toBeNull();
    expect(cache.size).toBe(0);
    cache.stop();
  });

  test('a change to a watched task ends the entry at once: it is not answered even as stale', () => {
    const { cache, announce } = cacheWithBus();
    cache.set('abc', '{"v":1}', ['task-1'], 1000, 10_000, cache.version);
    announce('task.completed', 'task-1');
    expect(cache.lookup('abc', 11_500)).toBeNull();
    expect(cache.lookup('abc', 10_001)).toBeNull();
    cache.stop();
  });

  test('a change to a watched task (the dropoff or its pickup) ends the entry, announced by the bus', () => {
    const { cache, announce } = cacheWithBus();
    cache.set('drop', '{"v":1}', ['dropoff-1', 'pickup-1'], 10_000, 0, cache.version);
    cache.set('other', '{"v":2}', ['dropoff-2'], 10_000, 0, cache.version);
    announce('task.updated', 'pickup-1');
    expect(cache.get('drop', 1)).toBeNull();
    expect(cache.get('other', 1)).toBe('{"v":2}');
    announce('worker.updated', 'dropoff-2');
    expect(cache.get('other', 1)).toBe('{"v":2}');
    cache.stop();
  });

  test('a page read before a change to what it shows is not kept', () => {
    const { cache } = cacheWithBus();
    const since = cache.version;
    cache.taskChanged('task-1'); // announced while the page was being read
    cache.set('abc', '{"stale":true}', ['task-1'], 10_000, 0, since);
    expect(cache.get('abc', 1)).toBeNull();
    cache.stop();
  });

  test('without a bus to end entries early, nothing is cached', () => {
    const cache = new TrackingCache();
    cache.set('abc', '{"v":1}', ['task-1'], 10_000, 0, cache.version);
    expect(cache.get('abc', 1)).toBeNull();
  });

  test('concurrent misses for one short id read once; the next miss reads again', async () => {
    const { cache } = cacheWithBus();
    let reads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const read = async () => {
      reads++;
      await gate;
      return `{"read":${reads}}`;
    };
    const answers = Promise.all(Array.from({ length: 20 }, () => cache.load('abc', read)));
    release();
    expect(new Set(await answers)).toEqual(new Set(['{"read":1}']));
    expect(reads).toBe(1);
    expect(await cache.load('abc', read)).toBe('{"read":2}');
    expect(reads).toBe(2);
    // another short id is read on its own
    await cache.load('xyz', read);
    expect(reads).toBe(3);
    cache.stop();
  });

  test('a failed read fails every waiting caller and is not remembered', async () => {
    const { cache } = cacheWithBus();
    let reads = 0;
    const failing = async () => {
      reads++;
      throw new Error('no such delivery');
    };
    const results = await Promise.allSettled([cache.load('abc', failing), cache.load('abc', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(reads).toBe(1);
    expect(await cache.load('abc', async () => '{"ok":true}')).toBe('{"ok":true}');
    cache.stop();
  });
});
