import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';

/** config → app → listen, with graceful shutdown on SIGINT/SIGTERM. */
export async function startServer(config: Readonly<Config> = loadConfig()) {
  const app = await buildApp(config);
  const close = async (signal: string) => {
    app.log.info(`${signal} received, shutting down`);
    const timer = setTimeout(() => process.exit(1), 10_000);
    timer.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void close('SIGINT'));
  process.once('SIGTERM', () => void close('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  app.log.info(`Baton is serving ${config.publicUrl} (${app.ctx.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL'})`);
  return app;
}

export function describeConfigError(err: unknown): string | null {
  return err instanceof ConfigError ? `Configuration error: ${err.message}` : null;
}
