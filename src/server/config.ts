import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (two levels above this file), for files shipped with Baton. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The one configuration object. This module is the only reader of process.env;
 * everything else receives a Config.
 */
export interface Config {
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  /** photos, signatures and logos (local disk) */
  uploadsDir: string;
  databaseUrl: string | null;
  /** PostgreSQL: send queries as named prepared statements (off behind a pooler that cannot keep them) */
  databasePreparedStatements: boolean;
  /** PostgreSQL: connections this process keeps open (one of them listens for other instances' events) */
  databasePoolSize: number;
  smtpUrl: string | null;
  mailFrom: string;
  redisUrl: string | null;
  /** first retry delay of a failed email or text message (doubles per attempt) */
  messageRetryBaseMs: number;
  /** how long one email or text message may take to send before the attempt counts as failed */
  messageTimeoutMs: number;
  /** how ETAs are estimated: straight-line distance at this speed, or a routing service when set */
  eta: { speedKmh: number; routingUrl: string | null };
  /**
   * Travel times and distances for auto-assignment and route optimisation: straight-line distance at
   * `speedKmh`, or an OSRM-compatible table service at `routingUrl` (ROUTING_URL, shared with ETAs).
   */
  routing: { speedKmh: number; routingUrl: string | null; timeoutMs: number };
  sms: {
    provider: 'log' | 'twilio';
    twilio: { accountSid: string | null; authToken: string | null; from: string | null; baseUrl: string };
  };
  rateLimits: {
    enabled: boolean;
    /** requests per window per API key */
    apiKeyMax: number;
    windowMs: number;
    /** public tracking page requests per address per window */
    trackingMax: number;
    /** failed sign-in attempts allowed per address in loginWindowMs */
    loginMax: number;
    loginWindowMs: number;
    /**
     * per account (email address, known or not): after this many consecutive failed sign-ins the
     * address is locked for loginLockMs, doubling with each further failure up to loginLockMaxMs;
     * 0 turns the lock-out off
     */
    loginLockAfter: number;
    loginLockMs: number;
    loginLockMaxMs: number;
    /** failed look-ups of tracking pages (unknown short ids) allowed per address per window */
    trackingMissesMax: number;
  };
  allowPrivateWebhookTargets: boolean;
  /** webhook delivery: request timeout, first retry delay (doubling, with jitter), how long retries go on */
  webhooks: { timeoutMs: number; retryBaseMs: number; retryWindowMs: number };
  /** a Nominatim-compatible search service that fills in coordinates of addresses without them; null = off */
  geocoderUrl: string | null;
  /** map tiles for the dashboard, portal and tracking maps; empty url shows maps without tiles */
  mapTiles: { url: string; attribution: string };
  logLevel: string;
  /** serve the built web app from this folder when it exists */
  webDir: string;
  sessionTtlMs: number;
  trustProxy: boolean;
  /** scrypt cost; lowered only by tests */
  passwordCost: number;
}

type Env = Record<string, string | undefined>;

export class ConfigError extends Error {}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'off', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be on/off (or 1/0), got "${raw}"`);
}

export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Readonly<Config> {
  const port = int(env, 'PORT', 3000);
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// (leave it unset to use the embedded SQLite database)');
  }
  const databasePoolSize = int(env, 'DATABASE_POOL_SIZE', 10);
  if (databasePoolSize < 2) {
    throw new ConfigError(`DATABASE_POOL_SIZE must be at least 2 (one connection listens for other instances' events), got "${env.DATABASE_POOL_SIZE}"`);
  }
  const smsProvider = (env.SMS_PROVIDER || 'log').toLowerCase();
  if (smsProvider !== 'log' && smsProvider !== 'twilio') {
    throw new ConfigError(`SMS_PROVIDER must be "log" or "twilio", got "${env.SMS_PROVIDER}"`);
  }
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }
  const config: Config = {
    port,
    host: env.HOST || '0.0.0.0',
    publicUrl,
    dataDir: path.resolve(env.DATA_DIR || './data'),
    uploadsDir: path.resolve(env.UPLOADS_DIR || path.join(env.DATA_DIR || './data', 'uploads')),
    databaseUrl,
    databasePreparedStatements: bool(env, 'DATABASE_PREPARED_STATEMENTS', true),
    databasePoolSize,
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || 'Baton <no-reply@baton.localhost>',
    redisUrl: env.REDIS_URL || null,
    messageRetryBaseMs: int(env, 'MESSAGE_RETRY_BASE_MS', 2000),
    messageTimeoutMs: int(env, 'MESSAGE_TIMEOUT_MS', 10_000) || 10_000,
    eta: {
      speedKmh: int(env, 'ETA_SPEED_KMH', 25) || 25,
      routingUrl: env.ROUTING_URL ? env.ROUTING_URL.replace(/\/+$/, '') : null,
    },
    routing: {
      speedKmh: int(env, 'ROUTING_SPEED_KMH', int(env, 'ETA_SPEED_KMH', 25) || 25) || 25,
      routingUrl: env.ROUTING_URL ? env.ROUTING_URL.replace(/\/+$/, '') : null,
      timeoutMs: int(env, 'ROUTING_TIMEOUT_MS', 10_000) || 10_000,
    },
    sms: {
      provider: smsProvider,
      twilio: {
        accountSid: env.TWILIO_ACCOUNT_SID || null,
        authToken: env.TWILIO_AUTH_TOKEN || null,
        from: env.TWILIO_FROM || null,
        baseUrl: (env.TWILIO_BASE_URL || 'https://api.twilio.com').replace(/\/+$/, ''),
      },
    },
    rateLimits: {
      enabled: (env.RATE_LIMITS || 'on').toLowerCase() !== 'off',
      apiKeyMax: int(env, 'RATE_LIMIT_API_MAX', 6000),
      windowMs: int(env, 'RATE_LIMIT_WINDOW_MS', 60_000),
      trackingMax: int(env, 'RATE_LIMIT_TRACKING_MAX', 600),
      loginMax: int(env, 'LOGIN_ATTEMPTS_MAX', 10),
      loginWindowMs: int(env, 'LOGIN_WINDOW_MS', 15 * 60_000),
      loginLockAfter: int(env, 'LOGIN_LOCK_AFTER', 5),
      loginLockMs: int(env, 'LOGIN_LOCK_MS', 60_000) || 60_000,
      loginLockMaxMs: int(env, 'LOGIN_LOCK_MAX_MS', 15 * 60_000) || 15 * 60_000,
      trackingMissesMax: int(env, 'RATE_LIMIT_TRACKING_MISSES_MAX', 30),
    },
    allowPrivateWebhookTargets: bool(env, 'ALLOW_PRIVATE_WEBHOOK_TARGETS', false),
    webhooks: {
      timeoutMs: int(env, 'WEBHOOK_TIMEOUT_MS', 10_000),
      retryBaseMs: int(env, 'WEBHOOK_RETRY_BASE_MS', 5_000),
      retryWindowMs: int(env, 'WEBHOOK_RETRY_WINDOW_MS', 24 * 3_600_000),
    },
    geocoderUrl: env.GEOCODER_URL ? env.GEOCODER_URL.replace(/\/+$/, '') : null,
    mapTiles: {
      url: env.MAP_TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      attribution: env.MAP_TILE_ATTRIBUTION ?? '© OpenStreetMap contributors',
    },
    logLevel: env.LOG_LEVEL || 'info',
    webDir: env.WEB_DIR ? path.resolve(env.WEB_DIR) : path.join(PACKAGE_ROOT, 'dist/web'),
    sessionTtlMs: int(env, 'SESSION_TTL_HOURS', 24 * 14) * 3600_000,
    trustProxy: bool(env, 'TRUST_PROXY', false),
    passwordCost: 16384,
    ...overrides,
  };
  if (config.sms.provider === 'twilio') {
    const t = config.sms.twilio;
    if (!t.accountSid || !t.authToken || !t.from) {
      throw new ConfigError('SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM');
    }
  }
  return Object.freeze(config);
}
