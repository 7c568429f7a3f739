import { ensureWebBuild } from '../../scripts/build-web.mjs';

/** Vitest global setup for the browser tests: the server serves dist/web, so build it when stale. */
export default async function setup() {
  await ensureWebBuild({ log: (m: string) => console.log(m) });
}
