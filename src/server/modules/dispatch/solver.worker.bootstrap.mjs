// Runs solver.worker.ts in a worker thread when the server runs from its TypeScript sources (tests, `npm run dev`):
// the thread registers tsx's loader first. The compiled server starts dist/server/dispatch-solver.mjs instead.
import { register } from 'tsx/esm/api';

register();
await import('./solver.worker.ts');
