import { describe, expect, test } from 'vitest';
import { TurnBatch } from '../../src/server/lib/turn-batch.ts';

describe('writes gathered per turn of the event loop', () => {
  test('keys added in one turn are flushed together once, and every caller waits for that flush', async () => {
    const flushed: string[][] = [];
    const batch = new TurnBatch<string>(async (keys) => {
      flushed.push(keys);
    });
    const settled: string[] = [];
    const all = ['a', 'b', 'a', 'c'].map((k) => batch.add(k).then(() => settled.push(k)));
    expect(flushed).toEqual([]);
    await Promise.all(all);
    expect(flushed).toEqual([['a', 'b', 'c']]);
    expect(settled).toHaveLength(4);
    // a later turn starts a new batch
    await batch.add('d');
    expect(flushed).toEqual([['a', 'b', 'c'], ['d']]);
  });

  test('a failed flush fails every caller of its batch, and the next batch is tried anew', async () => {
    let fail = true;
    const batch = new TurnBatch<number>(async () => {
      if (fail) throw new Error('database away');
    });
    const results = await Promise.allSettled([batch.add(1), batch.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batch.add(3)).resolves.toBeUndefined();
  });
});

describe('reads gathered per turn of the event loop', () => {
  test('keys asked for in one turn are read together once, and each caller finds its own answer in the result', async () => {
    const reads: string[][] = [];
    const batch = new TurnBatch<string, Map<string, number>>(async (keys) => {
      reads.push(keys);
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.length]));
    });
    const answers = await Promise.all(['one', 'three', 'missing', 'one'].map(async (k) => (await batch.add(k)).get(k)));
    expect(reads).toEqual([['one', 'three', 'missing']]);
    expect(answers).toEqual([3, 5, undefined, 3]);
  });
});
