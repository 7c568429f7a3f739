#!/usr/bin/env node
// The `baton` command. Runs the TypeScript sources through tsx's loader (no separate server build);
// `start` first builds the web app when it is missing or older than its sources.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(process.env.BATON_CWD ?? process.cwd());
register();

const args = process.argv.slice(2);
if (args[0] === 'start' && !process.env.WEB_DIR) {
  const { ensureWebBuild } = await import(path.join(root, 'scripts/build-web.mjs'));
  await ensureWebBuild({ log: (m) => process.stderr.write(`${m}\n`) });
}
const { runCli } = await import(path.join(root, 'src/server/cli.ts'));
await runCli(args);
