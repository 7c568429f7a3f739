/**
 * Gathers the keys added during one turn of the event loop and hands them to `flush` together;
 * every caller's promise settles with that one flush (and its result). For a small write that many
 * requests make at once (a burst of recipients opening their tracking pages writes one statement, not
 * one each), or a read (their pages that nobody has opened yet are read in one statement).
 */
export class TurnBatch<K, R = void> {
  private pending: { keys: Set<K>; done: Promise<R> } | null = null;

  constructor(private readonly flush: (keys: K[]) => Promise<R>) {}

  add(key: K): Promise<R> {
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
