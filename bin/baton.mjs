#!/usr/bin/env node
// The `baton` command. Runs the compiled server (dist/server/cli.mjs), compiling it first with esbuild
// when it is missing or older than the sources (a fraction of a second); where it cannot be written (a
// read-only install), the TypeScript sources run through tsx's loader instead. `start` also builds the
// web app when it is missing or older than its sources.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(process.env.BATON_CWD ?? process.cwd());
const log = (m) => process.stderr.write(`${m}\n`);

const args = process.argv.slice(2);
if (args[0] === 'start' && !process.env.WEB_DIR) {
  const { ensureWebBuild } = await import(pathToFileURL(path.join(root, 'scripts/build-web.mjs')).href);
  await ensureWebBuild({ log });
}

let entry;
if (process.env.BATON_RUN_SOURCES !== '1') {
  try {
    const { ensureServerBuild } = await import(pathToFileURL(path.join(root, 'scripts/build-server.mjs')).href);
    entry = await ensureServerBuild({ root, log });
    // stack traces point into src/server, not the bundle
    process.setSourceMapsEnabled(true);
  } catch (err) {
    log(`Could not compile the server (${err?.message ?? err}); running its TypeScript sources instead.`);
  }
}
if (!entry) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = path.join(root, 'src/server/cli.ts');
}
const { runCli } = await import(pathToFileURL(entry).href);
await runCli(args);
