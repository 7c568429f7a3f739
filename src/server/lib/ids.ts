import crypto from 'node:crypto';

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

/** The 64 symbols of an id in byte order (so ids sort by creation time); a random byte's low 6 bits pick one uniformly. */
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

const RANDOM_CHARS = 24 - TIME_CHARS;
/** The last id's millisecond and its random part, as digits 0–63 of the sorted alphabet. */
let lastAt = -1;
const lastRandom = new Uint8Array(RANDOM_CHARS);

/**
 * A 24-character id from [A-Za-z0-9~*], the shape Onfleet's SDKs route on: the creation time (8
 * symbols, in an order that sorts like the time) then 96 random bits. New rows of a table land side by
 * side in its primary-key index instead of on a random page each, so a commit writes a few pages
 * rather than one per row per index (see docs/decisions/0010).
 *
 * Ids of the same millisecond made one after another by this process also sort in the order they were
 * made: the first gets a random part, the next ones that part plus one. Histories listed by time and
 * then id (a task created and assigned in one request) therefore keep their order.
 */
export function newId(now = Date.now()): string {
  let i = RANDOM_CHARS - 1;
  if (now === lastAt) {
    // add one, carrying; all 96 bits set is as good as impossible, and then the part starts afresh
    while (i >= 0 && lastRandom[i] === 63) lastRandom[i--] = 0;
  }
  if (now === lastAt && i >= 0) lastRandom[i]++;
  else {
    const bytes = randomBytes(RANDOM_CHARS);
    for (let k = 0; k < RANDOM_CHARS; k++) lastRandom[k] = bytes[k] & 63;
    lastAt = now;
  }
  let out = timePrefix(now);
  for (let k = 0; k < RANDOM_CHARS; k++) out += SORTED[lastRandom[k]];
  return out;
}

export const ID_PATTERN = '^[A-Za-z0-9~*]{24}$';
export const ID_REGEX = new RegExp(ID_PATTERN);

/** 8 lowercase hex characters. */
export function newShortId(): string {
  return randomBytes(4).toString('hex');
}
