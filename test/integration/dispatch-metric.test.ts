import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTravelMetric, OsrmTableMetric, StraightLineMetric, type LngLat } from '../../src/server/modules/dispatch/metric.ts';
import { distanceMeters } from '../../src/server/modules/notifications/eta.ts';

/**
 * The travel metric against a real HTTP server that answers OSRM's table format
 * (GET /table/v1/driving/{lng,lat;...}?annotations=duration,distance[&sources=..&destinations=..]).
 */

let server: http.Server;
let base: string;
const requests: URL[] = [];
let mode: 'ok' | 'error' | 'nulls' = 'ok';

/** A fake road network: distance = 1.5 × the straight line, 10 m/s. */
function answer(url: URL) {
  const coords = url.pathname.split('/').pop()!.split(';').map((c) => c.split(',').map(Number) as LngLat);
  const all = coords.map((_, i) => i);
  const src = url.searchParams.get('sources')?.split(';').map(Number) ?? all;
  const dst = url.searchParams.get('destinations')?.split(';').map(Number) ?? all;
  const distances = src.map((i) => dst.map((j) => 1.5 * distanceMeters(coords[i], coords[j])));
  const durations = distances.map((row) => row.map((d) => (mode === 'nulls' ? null : d / 10)));
  return { code: 'Ok', durations, distances };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requests.push(url);
    if (mode === 'error' || !url.pathname.startsWith('/table/v1/driving/') || url.searchParams.get('annotations') !== 'duration,distance') {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'InvalidQuery', message: 'nope' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(url)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const points = (n: number): LngLat[] => Array.from({ length: n }, (_, i) => [-122.4 + 0.01 * i, 37.78 + 0.005 * (i % 3)]);

describe('travel metric', () => {
  it('straight line: great-circle meters at the configured speed', async () => {
    const m = await createTravelMetric({ speedKmh: 36, routingUrl: null, timeoutMs: 1000 }).matrix(points(3));
    const d = distanceMeters(points(3)[0], points(3)[2]);
    expect(m.distances[2]).toBeCloseTo(d, 6);
    expect(m.durations[2]).toBeCloseTo(d / 10, 6);
    expect(m.distances[2 * 3 + 0]).toBeCloseTo(d, 6);
    expect(m.source).toBe('straight line at 36 km/h');
  });

  it('asks an OSRM-compatible table service, one request for a small table', async () => {
    mode = 'ok';
    requests.length = 0;
    const m = await createTravelMetric({ speedKmh: 30, routingUrl: base, timeoutMs: 2000 }).matrix(points(4));
    expect(requests).toHaveLength(1);
    expect(requests[0].pathname).toBe(`/table/v1/driving/${points(4).map((p) => p.join(',')).join(';')}`);
    expect(m.source).toBe('routing service');
    expect(m.warning).toBeUndefined();
    const d = 1.5 * distanceMeters(points(4)[1], points(4)[3]);
    expect(m.distances[1 * 4 + 3]).toBeCloseTo(d, 6);
    expect(m.durations[1 * 4 + 3]).toBeCloseTo(d / 10, 6);
    expect(m.distances[2 * 4 + 2]).toBe(0);
  });

  it('asks for a large table in blocks of sources × destinations', async () => {
    mode = 'ok';
    requests.length = 0;
    const pts = points(7);
    const m = await new OsrmTableMetric(base, new StraightLineMetric(30), 2000, 3).matrix(pts);
    expect(requests).toHaveLength(9); // 3 source blocks × 3 destination blocks
    expect(requests.every((u) => u.pathname.split('/').pop()!.split(';').length <= 6)).toBe(true);
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 7; j++) expect(m.distances[i * 7 + j]).toBeCloseTo(1.5 * distanceMeters(pts[i], pts[j]), 6);
    }
  });

  it('falls back to straight lines when the service fails, and per pair when it has no route', async () => {
    mode = 'error';
    const failing = await createTravelMetric({ speedKmh: 36, routingUrl: base, timeoutMs: 2000 }).matrix(points(3));
    expect(failing.warning).toMatch(/routing service failed/);
    expect(failing.durations[1]).toBeCloseTo(distanceMeters(points(3)[0], points(3)[1]) / 10, 6);
    mode = 'nulls';
    const holes = await createTravelMetric({ speedKmh: 36, routingUrl: base, timeoutMs: 2000 }).matrix(points(3));
    expect(holes.warning).toBeUndefined();
    expect(holes.durations[1]).toBeCloseTo(distanceMeters(points(3)[0], points(3)[1]) / 10, 6);
    expect(holes.distances[1]).toBeCloseTo(1.5 * distanceMeters(points(3)[0], points(3)[1]), 6);
    mode = 'ok';
  });
});
