import { describe, expect, it } from 'vitest';
import { hashPassword, newSecret, sha256, verifyPassword } from '../../src/server/lib/crypto.ts';
import { newId, newShortId } from '../../src/server/lib/ids.ts';

describe('ids', () => {
  it('are 24 characters of [A-Za-z0-9~*] and do not repeat', () => {
    const ids = new Set(Array.from({ length: 5000 }, newId));
    expect(ids.size).toBe(5000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9~*]{24}$/);
  });

  it('use every symbol of the alphabet in their random part', () => {
    // the first id of each millisecond has a fresh random part
    const seen = new Set(Array.from({ length: 2000 }, (_, i) => newId(1_000_000 + i).slice(8)).join(''));
    expect(seen.size).toBe(64);
  });

  it('sort by creation time (byte order, as the databases compare them)', () => {
    const times = [0, 1, 63, 64, 4095, 1_700_000_000_000, 1_795_673_895_688, 1_795_673_895_689, 2 ** 47];
    const ids = times.map((t) => newId(t));
    const sorted = [...ids].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
    expect(sorted).toEqual(ids);
    // ids of one millisecond share the prefix and differ in the rest
    const same = Array.from({ length: 100 }, () => newId(1_795_673_895_688));
    expect(new Set(same.map((id) => id.slice(0, 8))).size).toBe(1);
    expect(new Set(same).size).toBe(100);
  });

  it('made one after another in the same millisecond, sort in the order they were made', () => {
    const made = Array.from({ length: 5000 }, () => newId(1_795_673_895_700));
    const sorted = [...made].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1));
    expect(sorted).toEqual(made);
    expect(new Set(made).size).toBe(5000);
    // and a new millisecond starts from a fresh random part
    expect(newId(1_795_673_895_701).slice(8)).not.toBe(made[made.length - 1].slice(8));
  });

  it('short ids are 8 lowercase hex characters', () => {
    for (let i = 0; i < 100; i++) expect(newShortId()).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('password hashing', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const h = await hashPassword('correct horse battery staple', 1024);
    expect(h.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(await verifyPassword('correct horse battery staple', h)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', h)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password', 1024)).not.toBe(await hashPassword('same password', 1024));
  });

  it('secrets are long random url-safe strings; sha256 is stable', () => {
    const s = newSecret();
    expect(s).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(s);
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
