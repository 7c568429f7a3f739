/**
 * Public types of the pickup-and-delivery solver (PDPTW: pickup-and-delivery with time windows and capacities).
 *
 * The solver is plain TypeScript with no imports, so it can run anywhere (a worker thread, a test, the benchmark).
 * Nodes are addressed by their index in `Problem.nodes`; travel times and distances come from a `TravelMetric`
 * (straight line at a speed, a precomputed road matrix, an OSRM table ...).
 */

/** Distance and travel time between two nodes, by index into `Problem.nodes`. Both must be finite and >= 0. */
export interface TravelMetric {
  /** Distance counted in the objective. */
  dist(from: number, to: number): number;
  /** Travel time used for the schedule, in the same unit as time windows and service times. */
  time(from: number, to: number): number;
}

export interface ProblemNode {
  /** Coordinates, used for the default Euclidean metric (time == distance) and by the relatedness measure. */
  x?: number;
  y?: number;
  /** Load change when the stop is served: > 0 at a pickup, < 0 at a delivery, 0 at depots. */
  demand: number;
  /** Service may start at `earliest` at the soonest (a vehicle arriving earlier waits) and at `latest` at the latest. */
  earliest: number;
  latest: number;
  /** Time spent at the stop. */
  service: number;
}

/** One transport request: the goods are picked up at `pickup` and delivered at `delivery` by the same vehicle. */
export interface PickupDeliveryRequest {
  pickup: number;
  delivery: number;
}

export interface Vehicle {
  capacity: number;
  /** Node index where the vehicle starts. */
  start: number;
  /** Node index where the route ends, or 'open' when the route ends at its last stop. */
  end: number | 'open';
  /** Time the vehicle can leave `start` (default: the start node's `earliest`). */
  startTime?: number;
  /** Latest arrival at `end` (default: the end node's `latest`; unbounded for open routes). */
  endTime?: number;
  /** Maximum number of stops (pickups + deliveries) on the route. */
  maxStops?: number;
  /**
   * Stops already committed to this vehicle, served first and in this order (reserved for live re-planning).
   * This version supports only an empty prefix and rejects a problem with a non-empty one.
   */
  fixed?: number[];
}

export interface Problem {
  nodes: ProblemNode[];
  requests: PickupDeliveryRequest[];
  vehicles: Vehicle[];
  /** Default: Euclidean distance from the nodes' coordinates, time == distance. */
  metric?: TravelMetric;
}

export interface SolveProgress {
  /** Fraction of the budget used, 0..1. */
  fraction: number;
  phase: 'construction' | 'route-minimisation' | 'distance';
  /** Best solution so far. */
  vehicles: number;
  distance: number;
  unassigned: number;
  iterations: number;
}

export interface SolveOptions {
  /** Seed of the solver's own PRNG: the same seed and an iteration bound give the same result. Default 1. */
  seed?: number;
  /** Wall-clock budget in milliseconds. Default 10 000 when no iteration bound is given, unbounded otherwise. */
  timeLimitMs?: number;
  /** Bound on the number of large-neighbourhood iterations of the distance phase. */
  maxIterations?: number;
  /**
   * Bound on the number of ejection-pool steps of the route-minimisation phase. Default: `maxIterations`
   * when that is given, otherwise bounded by time only.
   */
  routeMinSteps?: number;
  /** Share of the time budget given to route minimisation (default 0.4). */
  routeMinShare?: number;
  /** Called now and then (at most about every 100 ms and at the end). */
  onProgress?: (p: SolveProgress) => void;
  /** Polled often; when it returns true the solver stops and returns its best solution so far. */
  shouldCancel?: () => boolean;
}

export interface SolutionRoute {
  vehicle: number;
  /** Node indices visited in order, without the start and end nodes. */
  stops: number[];
  /** Service start time at each stop. */
  arrivals: number[];
  distance: number;
}

export interface Solution {
  /** Non-empty routes only. */
  routes: SolutionRoute[];
  /** Indices into `Problem.requests` that could not be served. */
  unassigned: number[];
  vehicles: number;
  distance: number;
  iterations: number;
  routeMinSteps: number;
  elapsedMs: number;
  cancelled: boolean;
}
