/**
 * Worker thread entry: runs the solver on a problem with a precomputed matrix, posting progress, and stops early
 * when the main thread sets the shared cancel flag. Bundled as dist/server/dispatch-solver.mjs
 * (scripts/build-server.mjs); run from the sources through solver.worker.bootstrap.mjs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { matrixMetric, solve } from '../../../solver/index.ts';
import type { Problem, SolveOptions } from '../../../solver/types.ts';

export interface SolverJob {
  problem: Problem;
  n: number;
  distances: Float64Array;
  durations: Float64Array;
  options: Pick<SolveOptions, 'seed' | 'timeLimitMs' | 'maxIterations'>;
  /** Int32Array over it: [0] = 1 asks the solver to stop */
  cancel: SharedArrayBuffer;
}

const job = workerData as SolverJob;
const flag = new Int32Array(job.cancel);
try {
  const solution = solve(
    { ...job.problem, metric: matrixMetric(job.n, job.distances, job.durations) },
    {
      ...job.options,
      onProgress: (p) => parentPort!.postMessage({ type: 'progress', progress: p }),
      shouldCancel: () => Atomics.load(flag, 0) === 1,
    },
  );
  parentPort!.postMessage({ type: 'done', solution });
} catch (err) {
  parentPort!.postMessage({ type: 'error', message: (err as Error).message });
}
