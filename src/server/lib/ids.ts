import crypto from 'node:crypto';

// 64 symbols: every random byte's low 6 bits pick one uniformly.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~*';

/** A 24-character id from [A-Za-z0-9~*], the shape Onfleet's SDKs route on. */
export function newId(): string {
  const bytes = crypto.randomBytes(24);
  let out = '';
  for (let i = 0; i < 24; i++) out += ALPHABET[bytes[i] & 63];
  return out;
}

export const ID_PATTERN = '^[A-Za-z0-9~*]{24}$';
export const ID_REGEX = new RegExp(ID_PATTERN);

/** 8 lowercase hex characters. */
export function newShortId(): string {
  return crypto.randomBytes(4).toString('hex');
}
