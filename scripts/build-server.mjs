#!/usr/bin/env node
// Compiles the server (src/server, src/shared, src/solver → dist/server/cli.mjs) with esbuild: one ES module with
// the npm packages left as imports, and a source map for stack traces; and the route solver's worker thread
// (dist/server/dispatch-solver.mjs), which the server starts beside it. `baton start` runs this build, so
// a running server holds neither the TypeScript loader nor a compiled copy of every source file in memory.
//   node scripts/build-server.mjs          build only when the sources are newer than the build
//   node scripts/build-server.mjs --force  always build
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { newestMtime, repoRoot, withBuildLock } from './build-web.mjs';

const SOURCES = ['src/server', 'src/shared', 'src/solver', 'tsconfig.json', 'package.json'];
export const SERVER_ENTRY = 'dist/server/cli.mjs';

/** True when dist/server/cli.mjs exists and is newer than every server source. */
export function serverBuildIsFresh(root = repoRoot) {
  let built;
  try {
    built = fs.statSync(path.join(root, SERVER_ENTRY)).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((s) => newestMtime(path.join(root, s)) < built);
}

/** Bundles src/server/cli.ts; the output is written beside its final name and renamed, so a reader never sees half a file. */
export async function buildServer({ root = repoRoot } = {}) {
  const esbuild = await import('esbuild');
  const outfile = path.join(root, SERVER_ENTRY);
  const result = await esbuild.build({
    absWorkingDir: root,
    // the worker's name is fixed: src/server/modules/dispatch/solve-in-worker.ts starts it beside cli.mjs
    entryPoints: { cli: 'src/server/cli.ts', 'dispatch-solver': 'src/server/modules/dispatch/solver.worker.ts' },
    outdir: path.dirname(outfile),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'external',
    logLevel: 'warning',
    write: false,
  });
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // the maps first, so a module never points at a missing map; cli.mjs last, since its time says the build is fresh
  const rank = (f) => (f.path.endsWith('.map') ? 0 : f.path === outfile ? 2 : 1);
  const files = [...result.outputFiles].sort((a, b) => rank(a) - rank(b));
  for (const file of files) {
    const temp = `${file.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, file.contents);
    fs.renameSync(temp, file.path);
  }
}

/**
 * Builds the server unless its build is fresh (or `force`). Returns the path of the module to run.
 * Safe to call from several processes at once.
 */
export async function ensureServerBuild({ root = repoRoot, force = false, log = () => {} } = {}) {
  const entry = path.join(root, SERVER_ENTRY);
  if (!force && serverBuildIsFresh(root)) return entry;
  await withBuildLock(
    root,
    async () => {
      if (!force && serverBuildIsFresh(root)) return;
      log('Compiling the server (dist/server is missing or older than src/server)…');
      await buildServer({ root });
    },
    'server',
  );
  return entry;
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  try {
    await ensureServerBuild({ force: process.argv.includes('--force'), log: (m) => console.log(m) });
    console.log(`The server is compiled: ${SERVER_ENTRY}`);
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  }
}
