/**
 * Gathers the keys added during one turn of the event loop and hands them to `flush` together;
 * every caller's promise settles with that one flush. For a small write that many requests make at
 * once (a burst of recipients opening their tracking pages writes one statement, not one each).
 */
export class TurnBatch<K> {
  private pending: { keys: Set<K>; done: Promise<void> } | null = null;

  constructor(private readonly flush: (keys: K[]) => Promise<void>) {}

  add(key: K): Promise<void> {
    if (!this.pending) {
      const keys = new Set<K>();
      const done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.pending = null;
        return this.flush([...keys]);
      });
      this.pending = { keys, done };
    }
    this.pending.keys.add(key);
    return this.pending.done;
  }
}
