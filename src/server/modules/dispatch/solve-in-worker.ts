/**
 * Runs the solver off the main thread: in a worker thread, so a long optimisation never blocks requests. From the
 * compiled server (dist/server/cli.mjs) the thread runs dist/server/dispatch-solver.mjs; from the TypeScript
 * sources it runs solver.worker.ts through tsx. Progress arrives as the solver reports it; aborting the signal asks
 * the solver to stop and return its best solution so far.
 */
import { Worker } from 'node:worker_threads';
import type { Problem, Solution, SolveOptions, SolveProgress } from '../../../solver/types.ts';
import type { SolverJob } from './solver.worker.ts';

function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('./solver.worker.bootstrap.mjs', here) : new URL('./dispatch-solver.mjs', here);
}

export function solveInWorker(
  problem: Problem,
  matrix: { n: number; distances: Float64Array; durations: Float64Array },
  options: SolverJob['options'],
  hooks: { onProgress?: (p: SolveProgress) => void; signal?: AbortSignal } = {},
): Promise<Solution> {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const data: SolverJob = { problem, ...matrix, options, cancel };
  return new Promise<Solution>((resolve, reject) => {
    const worker = new Worker(workerUrl(), { workerData: data });
    let settled = false;
    const stop = () => Atomics.store(flag, 0, 1);
    hooks.signal?.addEventListener('abort', stop, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      hooks.signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: { type: 'progress'; progress: SolveProgress } | { type: 'done'; solution: Solution } | { type: 'error'; message: string }) => {
      if (m.type === 'progress') hooks.onProgress?.(m.progress);
      else if (m.type === 'done') finish(() => resolve(m.solution));
      else finish(() => reject(new Error(m.message)));
    });
    worker.on('error', (err) => finish(() => reject(err)));
    worker.on('exit', (code) => finish(() => reject(new Error(`The solver thread stopped (exit code ${code}).`))));
  });
}

export type { SolveOptions };
