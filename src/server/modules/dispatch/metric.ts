/**
 * Travel distances (meters) and times (seconds) between points, for auto-assignment and route optimisation.
 *
 * One interface, two implementations: straight-line (great-circle) distance at a configured speed, the default;
 * and an OSRM-compatible table service (`GET {url}/table/v1/driving/{lng,lat;...}?annotations=duration,distance`,
 * which OSRM, Valhalla's OSRM-compatible mode and others answer) when ROUTING_URL is set. A routing failure falls
 * back to straight lines for the whole matrix and says so, so an outage never stops dispatching.
 */
import { distanceMeters } from '../notifications/eta.ts';

export type LngLat = [number, number];

/** Row-major n × n matrices: entry i * n + j is from point i to point j. */
export interface TravelMatrix {
  n: number;
  distances: Float64Array;
  durations: Float64Array;
  /** how the matrix was made, for people: "straight line at 25 km/h", "routing service" ... */
  source: string;
  /** set when the routing service failed and straight lines were used instead */
  warning?: string;
}

export interface TravelMetricProvider {
  matrix(points: LngLat[]): Promise<TravelMatrix>;
}

export class StraightLineMetric implements TravelMetricProvider {
  private readonly metersPerSecond: number;
  constructor(private readonly speedKmh: number) {
    this.metersPerSecond = (speedKmh * 1000) / 3600;
  }

  async matrix(points: LngLat[]): Promise<TravelMatrix> {
    return this.matrixSync(points);
  }

  matrixSync(points: LngLat[]): TravelMatrix {
    const n = points.length;
    const distances = new Float64Array(n * n);
    const durations = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = distanceMeters(points[i], points[j]);
        distances[i * n + j] = distances[j * n + i] = d;
        durations[i * n + j] = durations[j * n + i] = d / this.metersPerSecond;
      }
    }
    return { n, distances, durations, source: `straight line at ${this.speedKmh} km/h` };
  }
}

interface OsrmTable {
  code?: string;
  message?: string;
  durations?: Array<Array<number | null>>;
  distances?: Array<Array<number | null>>;
}

/**
 * OSRM's table service. OSRM refuses tables of more than `max-table-size` locations (100 by default), so a larger
 * matrix is asked for in blocks of at most `block` sources × `block` destinations (2 × block locations a request).
 * A pair the router cannot connect (null) gets the straight-line value.
 */
export class OsrmTableMetric implements TravelMetricProvider {
  constructor(
    private readonly baseUrl: string,
    private readonly fallback: StraightLineMetric,
    private readonly timeoutMs = 10_000,
    private readonly block = 50,
  ) {}

  async matrix(points: LngLat[]): Promise<TravelMatrix> {
    const straight = this.fallback.matrixSync(points);
    if (points.length < 2) return { ...straight, source: 'routing service' };
    try {
      const n = points.length;
      const distances = new Float64Array(n * n);
      const durations = new Float64Array(n * n);
      const whole = n <= 2 * this.block;
      const step = whole ? n : this.block;
      for (let s0 = 0; s0 < n; s0 += step) {
        for (let d0 = 0; d0 < n; d0 += step) {
          const src = range(s0, Math.min(n, s0 + step));
          const dst = range(d0, Math.min(n, d0 + step));
          const table = await this.request(points, src, dst, whole);
          for (const [a, i] of src.entries()) {
            for (const [b, j] of dst.entries()) {
              const t = table.durations?.[a]?.[b];
              const d = table.distances?.[a]?.[b];
              const k = i * n + j;
              durations[k] = typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : straight.durations[k];
              distances[k] = typeof d === 'number' && Number.isFinite(d) && d >= 0 ? d : straight.distances[k];
            }
          }
        }
      }
      for (let i = 0; i < n; i++) distances[i * n + i] = durations[i * n + i] = 0;
      return { n, distances, durations, source: 'routing service' };
    } catch (err) {
      return { ...straight, warning: `The routing service failed (${(err as Error).message}); straight-line distances were used.` };
    }
  }

  private async request(points: LngLat[], src: number[], dst: number[], whole: boolean): Promise<OsrmTable> {
    const coords = whole ? points : [...src.map((i) => points[i]), ...dst.map((j) => points[j])];
    const params = new URLSearchParams({ annotations: 'duration,distance' });
    if (!whole) {
      params.set('sources', src.map((_, a) => a).join(';'));
      params.set('destinations', dst.map((_, b) => src.length + b).join(';'));
    }
    const path = coords.map(([lng, lat]) => `${lng},${lat}`).join(';');
    const res = await fetch(`${this.baseUrl}/table/v1/driving/${path}?${params.toString().replace(/%3B/g, ';').replace(/%2C/g, ',')}`, {
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!res.ok) throw new Error(`it answered ${res.status}`);
    const body = (await res.json()) as OsrmTable;
    if (body.code !== 'Ok') throw new Error(`it answered ${body.code ?? 'without a code'}${body.message ? `: ${body.message}` : ''}`);
    if (!Array.isArray(body.durations) || body.durations.length !== src.length) throw new Error('its table has the wrong size');
    return body;
  }
}

const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);

export function createTravelMetric(config: { speedKmh: number; routingUrl: string | null; timeoutMs: number }): TravelMetricProvider {
  const straight = new StraightLineMetric(config.speedKmh);
  return config.routingUrl ? new OsrmTableMetric(config.routingUrl, straight, config.timeoutMs) : straight;
}
