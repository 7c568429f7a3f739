import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { openDbFromConfig } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { AppError } from './lib/errors.ts';
import { createCourier } from './modules/auth/auth.service.ts';

const USAGE = `Usage: baton <command>

Commands:
  start                         migrate the database and serve Baton (PORT, DATA_DIR, DATABASE_URL, ...)
  migrate                       apply database migrations and exit
  org create --name N --email E --password P [--country CC] [--timezone TZ] [--api-key] [--json]
                                create a courier organization with its owner (and an API key)
  backup PATH                   copy the SQLite database to PATH while Baton runs (a consistent copy);
                                on PostgreSQL use pg_dump (see the README, "Backups")
  help                          show this help
`;

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

export async function runCli(argv: string[]): Promise<void> {
  const [command, sub, ...rest] = argv;
  try {
    if (!command || command === 'help' || command === '--help' || command === '-h') {
      process.stdout.write(USAGE);
      return;
    }
    if (command === 'start') {
      const { startServer } = await import('./main.ts');
      await startServer(loadConfig());
      return;
    }
    if (command === 'migrate') {
      const config = loadConfig();
      const handle = openDbFromConfig(config);
      try {
        const applied = await migrateToLatest(handle.db);
        process.stderr.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
      } finally {
        await handle.destroy();
      }
      return;
    }
    if (command === 'backup') {
      if (!sub || rest.length) fail('Usage: baton backup PATH', 2);
      const config = loadConfig();
      if (config.databaseUrl) fail('Baton runs on PostgreSQL here: back it up with pg_dump (see the README, "Backups").', 2);
      const { backupSqlite } = await import('./db/backup.ts');
      const { default: path } = await import('node:path');
      const source = path.join(config.dataDir, 'baton.sqlite');
      let shown = -1;
      const { bytes } = await backupSqlite(source, sub, (done, total) => {
        const pct = total ? Math.floor((done / total) * 100) : 100;
        if (pct >= shown + 10 || pct === 100) {
          shown = pct;
          process.stderr.write(`  ${pct} % (${done} of ${total} pages)\n`);
        }
      }).catch((err: Error) => fail(`Backup failed: ${err.message}`));
      process.stderr.write(`Backed up ${source} to ${sub} (${(bytes / 1e6).toFixed(1)} MB).\n`);
      return;
    }
    if (command === 'org' && sub === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          email: { type: 'string' },
          password: { type: 'string' },
          'owner-name': { type: 'string' },
          country: { type: 'string' },
          timezone: { type: 'string' },
          'api-key': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
        strict: true,
      });
      if (!values.name || !values.email || !values.password) fail('org create needs --name, --email and --password.\n\n' + USAGE, 2);
      if (values.password.length < 10) fail('The password must be at least 10 characters.', 2);
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) fail(`"${values.email}" is not a valid email address.`, 2);
      const config = loadConfig();
      const handle = openDbFromConfig(config);
      try {
        await migrateToLatest(handle.db);
        const r = await handle.db.transaction().execute((trx) =>
          createCourier(
            trx,
            { now: Date.now(), passwordCost: config.passwordCost },
            {
              organizationName: values.name!,
              email: values.email!,
              password: values.password!,
              name: values['owner-name'] ?? values.email!.split('@')[0],
              country: values.country,
              timezone: values.timezone,
            },
            values['api-key'],
          ),
        );
        const out = { organizationId: r.organizationId, userId: r.userId, ...(values['api-key'] ? { apiKey: r.apiKey } : {}) };
        if (values.json) process.stdout.write(`${JSON.stringify(out)}\n`);
        else {
          process.stdout.write(`Created organization ${out.organizationId} with owner ${values.email} (user ${out.userId}).\n`);
          if (out.apiKey) process.stdout.write(`API key (shown only once): ${out.apiKey}\n`);
        }
      } finally {
        await handle.destroy();
      }
      return;
    }
    fail(`Unknown command: ${argv.join(' ')}\n\n${USAGE}`, 2);
  } catch (err) {
    if (err instanceof ConfigError) fail(`Configuration error: ${err.message}`, 2);
    if (err instanceof AppError) fail(`${err.message}${err.cause ? ` (${JSON.stringify(err.cause)})` : ''}`, 1);
    if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) fail(`${err.message}\n\n${USAGE}`, 2);
    throw err;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('src/server/cli.ts')) {
  await runCli(process.argv.slice(2));
}
