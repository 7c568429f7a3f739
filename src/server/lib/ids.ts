import crypto from 'node:crypto';

// 64 symbols: every random byte's low 6 bits pick one uniformly.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~*';

/** Random bytes drawn from the system's generator in blocks (one call per block, not per id). */
const POOL_SIZE = 8192;
let pool = Buffer.alloc(0);
let poolAt = POOL_SIZE;
function randomBytes(n: number): Buffer {
  if (poolAt + n > pool.length) {
    pool = crypto.randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  const out = pool.subarray(poolAt, poolAt + n);
  poolAt += n;
  return out;
}

/** The same 64 symbols in byte order, for the time prefix (so ids sort by creation time). */
const SORTED = '*0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz~';
const TIME_CHARS = 8;
let prefixAt = -1;
let prefix = '';

/** The creation time in milliseconds as 8 symbols (48 bits) that sort like the number. */
function timePrefix(ms: number): string {
  if (ms !== prefixAt) {
    let out = '';
    let n = ms;
    for (let i = 0; i < TIME_CHARS; i++) {
      out = SORTED[n % 64] + out;
      n = Math.floor(n / 64);
    }
    prefixAt = ms;
    prefix = out;
  }
  return prefix;
}

/**
 * A 24-character id from [A-Za-z0-9~*], the shape Onfleet's SDKs route on: the creation time (8
 * symbols, in an order that sorts like the time) then 96 random bits. New rows of a table land side by
 * side in its primary-key index instead of on a random page each, so a commit writes a few pages
 * rather than one per row per index (see docs/decisions/0010).
 */
export function newId(now = Date.now()): string {
  const bytes = randomBytes(24 - TIME_CHARS);
  let out = timePrefix(now);
  for (let i = 0; i < 24 - TIME_CHARS; i++) out += ALPHABET[bytes[i] & 63];
  return out;
}

export const ID_PATTERN = '^[A-Za-z0-9~*]{24}$';
export const ID_REGEX = new RegExp(ID_PATTERN);

/** 8 lowercase hex characters. */
export function newShortId(): string {
  return randomBytes(4).toString('hex');
}
