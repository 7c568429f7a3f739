import type { FastifyBaseLogger } from 'fastify';

/**
 * A background pass run on a timer and on demand: `kick()` after a commit that left work behind
 * (a kick during a pass runs one more pass after it), `flush()` to run one to the end (tests),
 * `stop()` to wait for the pass in flight. Nothing runs on its own before `start()`, so tests that
 * build the app without background work drive it with `flush()` alone.
 */
export abstract class BackgroundLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private stopped = false;

  protected constructor(
    private readonly loopLog: FastifyBaseLogger,
    private readonly what: string,
    private readonly pollMs: number,
  ) {}

  /** One pass: does everything due now. */
  protected abstract pass(): Promise<void>;

  start(): void {
    this.started = true;
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.kick();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    tick();
  }

  kick(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .catch((err) => this.loopLog.warn({ err }, `${this.what} pass failed`))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Waits for the pass in flight, then runs one more to the end. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.pass();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await this.running;
  }
}
