import type { AppContext } from '../../context.ts';
import { sweepLateTasks } from './notifications.service.ts';

/**
 * Every half minute, sends "running late" messages for open tasks past their due time. Each rule
 * fires once per task, so a sweep that finds nothing new sends nothing; several instances may sweep
 * at once without sending twice (the rule-and-task claim is a primary key).
 */
export class LatenessSweeper {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly everyMs = 30_000,
  ) {}

  start() {
    const tick = () => {
      this.kick();
      this.timer = setTimeout(tick, this.everyMs);
      this.timer.unref();
    };
    tick();
  }

  kick() {
    if (this.running) return;
    this.running = this.pass()
      .then((n) => {
        if (n > 0) this.ctx.messages.kick();
      })
      .catch((err) => this.ctx.log.warn({ err }, 'lateness sweep failed'))
      .finally(() => (this.running = null));
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
  }

  /** One sweep (tests call this directly); resolves to the number of messages queued. */
  pass(): Promise<number> {
    return sweepLateTasks(this.ctx);
  }
}
