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

/** A 24-character id from [A-Za-z0-9~*], the shape Onfleet's SDKs route on. */
export function newId(): string {
  const bytes = randomBytes(24);
  let out = '';
  for (let i = 0; i < 24; i++) out += ALPHABET[bytes[i] & 63];
  return out;
}

export const ID_PATTERN = '^[A-Za-z0-9~*]{24}$';
export const ID_REGEX = new RegExp(ID_PATTERN);

/** 8 lowercase hex characters. */
export function newShortId(): string {
  return randomBytes(4).toString('hex');
}
