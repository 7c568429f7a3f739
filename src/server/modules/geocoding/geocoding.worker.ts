import type { AppContext } from '../../context.ts';
import * as tasksRepo from '../tasks/tasks.repository.ts';
import { taskChanged } from '../tasks/tasks.service.ts';
import type { StoredDestination } from '../tasks/tasks.view.ts';
import type { Geocoder } from './geocoder.ts';

const MAX_ATTEMPTS = 5;

/**
 * Fills in coordinates of task addresses that came without them. A failing or slow geocoder never
 * loses or blocks an order: tasks keep `location: null` and a warning, and are retried with backoff.
 */
export class GeocodingWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly ctx: AppContext,
    private readonly geocoder: Geocoder,
    private readonly pollMs = 2000,
  ) {}

  start() {
    const tick = () => {
      this.kick();
      this.timer = setTimeout(tick, this.pollMs);
      this.timer.unref();
    };
    tick();
  }

  kick() {
    if (!this.running) this.running = this.pass().then(() => undefined).catch((err) => this.ctx.log.warn({ err }, 'geocoding pass failed')).finally(() => (this.running = null));
  }

  async stop() {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Geocodes everything due now (tests call this directly). */
  async pass(): Promise<number> {
    const { db } = this.ctx;
    const due = await db
      .selectFrom('tasks')
      .innerJoin('organizations', 'organizations.id', 'tasks.organization_id')
      .select(['tasks.id', 'tasks.address_text', 'tasks.geocode_attempts', 'organizations.country'])
      .where('tasks.geocode_next_at', '<=', this.ctx.now())
      .where('tasks.state', '<>', 3)
      .orderBy('tasks.geocode_next_at')
      .limit(20)
      .execute();
    let filled = 0;
    for (const t of due) {
      const attempts = t.geocode_attempts + 1;
      let location: [number, number] | null = null;
      let failed = false;
      try {
        location = await this.geocoder.geocode(t.address_text, t.country);
      } catch (err) {
        failed = true;
        this.ctx.log.warn({ err, taskId: t.id }, 'geocoder unavailable');
      }
      await db.transaction().execute(async (trx) => {
        const row = await tasksRepo.findTaskById(trx, t.id);
        if (!row || row.location_lng !== null || row.address_text !== t.address_text) return;
        if (location) {
          const dest = JSON.parse(row.destination) as StoredDestination;
          const patch = {
            location_lng: location[0],
            location_lat: location[1],
            destination: JSON.stringify({ ...dest, warnings: [] }),
            geocode_attempts: attempts,
            geocode_next_at: null,
            time_last_modified: this.ctx.now(),
          };
          await tasksRepo.updateTask(trx, row.id, patch);
          await taskChanged(trx, this.ctx, { ...row, ...patch }, 'task.updated', null, { geocoded: location });
          filled++;
          return;
        }
        const giveUp = attempts >= MAX_ATTEMPTS || !failed;
        const dest = JSON.parse(row.destination) as StoredDestination;
        const warnings = !failed ? ['The address could not be found on the map; check it or add coordinates.'] : dest.warnings;
        await tasksRepo.updateTask(trx, row.id, {
          geocode_attempts: attempts,
          geocode_next_at: giveUp ? null : this.ctx.now() + Math.min(60_000 * 2 ** attempts, 3600_000),
          destination: JSON.stringify({ ...dest, warnings }),
        });
      });
    }
    return filled;
  }
}
