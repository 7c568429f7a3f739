#!/usr/bin/env node
// Builds the web app (src/web → dist/web) with Vite.
//   node scripts/build-web.mjs          build only when the sources are newer than dist/web/index.html
//   node scripts/build-web.mjs --force  always build
// `baton start` and the browser tests call ensureWebBuild() from here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the built app depends on: these folders and files, compared by modification time. */
const SOURCES = ['src/web', 'src/shared', 'vite.config.ts', 'postcss.config.cjs'];
const BUILT_INDEX = 'dist/web/index.html';

export function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
}

/**
 * True when dist/web/index.html exists and is newer than every file under src/web and
 * src/shared (and the Vite and PostCSS configs).
 */
export function webBuildIsFresh(root = repoRoot) {
  let built;
  try {
    built = fs.statSync(path.join(root, BUILT_INDEX)).mtimeMs;
  } catch {
    return false;
  }
  return SOURCES.every((s) => newestMtime(path.join(root, s)) < built);
}

/** Runs `vite build` with the repository's vite.config.ts. Vite is loaded only when a build is needed. */
export async function buildWeb({ root = repoRoot, quiet = false } = {}) {
  const { build } = await import('vite');
  await build({
    configFile: path.join(root, 'vite.config.ts'),
    root: path.join(root, 'src/web'),
    logLevel: quiet ? 'warn' : 'info',
  });
}

const LOCK_STALE_MS = 5 * 60_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds dist/.<name>-build.lock (a directory: creating one is atomic) while fn runs, so that two processes never build at once. */
export async function withBuildLock(root, fn, name = 'web') {
  const lock = path.join(root, 'dist', `.${name}-build.lock`);
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lock).mtimeMs;
      } catch {
        continue;
      }
      if (age > LOCK_STALE_MS || Date.now() > deadline) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Builds the web app unless the build is fresh (or `force`). Returns whether it built.
 * `log` receives one line when a build starts. Safe to call from several processes at once.
 */
export async function ensureWebBuild({ root = repoRoot, force = false, quiet = true, log = () => {} } = {}) {
  if (!force && webBuildIsFresh(root)) return false;
  return withBuildLock(root, async () => {
    // Another process may have built while this one waited for the lock.
    if (!force && webBuildIsFresh(root)) return false;
    log(force ? 'Building the web app…' : 'Building the web app (dist/web is missing or older than src/web)…');
    await buildWeb({ root, quiet });
    return true;
  });
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) {
  const force = process.argv.includes('--force');
  try {
    const built = await ensureWebBuild({ force, quiet: false, log: (m) => console.log(m) });
    if (!built) console.log('The web app is up to date (dist/web is newer than src/web); use --force to rebuild.');
  } catch (err) {
    console.error(err);
    process.exitCode = 1;
  }
}
