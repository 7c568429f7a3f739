// Development: the API on :3000 (restarted by tsx watch) and Vite with hot reload on :5173.
// PUBLIC_URL points at Vite so the origin check and links in mail match what the browser shows.
import { spawn } from 'node:child_process';

const env = { ...process.env, PUBLIC_URL: process.env.PUBLIC_URL ?? 'http://localhost:5173', WEB_DIR: 'dist/web' };
const procs = [
  spawn('npx', ['tsx', 'watch', 'src/server/cli.ts', 'start'], { stdio: 'inherit', env }),
  spawn('npx', ['vite', '--config', 'vite.config.ts'], { stdio: 'inherit', env }),
];
const stop = () => procs.forEach((p) => p.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
