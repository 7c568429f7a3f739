/**
 * Estimated travel time from a driver's position to a destination. The default is a documented
 * estimate — straight-line (great-circle) distance at a configured average speed — and, when a
 * routing service is configured, its driving duration (OSRM's route service; Valhalla and others
 * offer OSRM-compatible endpoints). A routing failure falls back to the straight-line estimate.
 */
export interface EtaEstimator {
  /** seconds of travel from `from` to `to` ([lng, lat]) */
  seconds(from: [number, number], to: [number, number]): Promise<number>;
}

const EARTH_RADIUS_M = 6_371_000;

/** Great-circle distance in meters between two [lng, lat] points. */
export function distanceMeters(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export class StraightLineEta implements EtaEstimator {
  private readonly metersPerSecond: number;
  constructor(speedKmh: number) {
    this.metersPerSecond = (speedKmh * 1000) / 3600;
  }
  async seconds(from: [number, number], to: [number, number]): Promise<number> {
    return Math.round(distanceMeters(from, to) / this.metersPerSecond);
  }
}

/** OSRM's `GET /route/v1/driving/{lng},{lat};{lng},{lat}?overview=false` → routes[0].duration. */
export class OsrmEta implements EtaEstimator {
  constructor(
    private readonly baseUrl: string,
    private readonly fallback: EtaEstimator,
    private readonly timeoutMs = 3000,
  ) {}
  async seconds(from: [number, number], to: [number, number]): Promise<number> {
    try {
      const res = await fetch(`${this.baseUrl}/route/v1/driving/${from[0]},${from[1]};${to[0]},${to[1]}?overview=false`, {
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) throw new Error(`routing service answered ${res.status}`);
      const body = (await res.json()) as { routes?: { duration?: number }[] };
      const d = body.routes?.[0]?.duration;
      if (typeof d !== 'number' || !Number.isFinite(d)) throw new Error('routing service gave no duration');
      return Math.round(d);
    } catch {
      return this.fallback.seconds(from, to);
    }
  }
}

export function createEtaEstimator(config: { speedKmh: number; routingUrl: string | null }): EtaEstimator {
  const straight = new StraightLineEta(config.speedKmh);
  return config.routingUrl ? new OsrmEta(config.routingUrl, straight) : straight;
}
