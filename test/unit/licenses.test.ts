import fs from 'node:fs';
import { describe, expect, it } from 'vitest';

// Licences that allow Baton to be distributed under Apache-2.0 (permissive, or weak copyleft on
// unmodified files such as MPL-2.0 build tools; dual licences count when one option is allowed).
const ALLOWED = new Set([
  'MIT', 'MIT-0', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD', 'BlueOak-1.0.0',
  'CC0-1.0', 'MPL-2.0', 'Unlicense', 'Python-2.0', 'CC-BY-4.0', 'Zlib',
]);

function acceptable(license: string): boolean {
  // "A OR B": one option must be allowed; "A AND B": every part of that option must be.
  return license
    .replace(/[()]/g, '')
    .split(/\s+OR\s+/)
    .some((option) => option.split(/\s+AND\s+/).every((l) => ALLOWED.has(l.trim())));
}

describe('dependency licences', () => {
  it('every installed package has a licence compatible with Apache-2.0', () => {
    const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
    const offenders: string[] = [];
    for (const [path, meta] of Object.entries<{ license?: unknown }>(lock.packages)) {
      if (!path) continue;
      const license = typeof meta.license === 'string' ? meta.license : '';
      if (!acceptable(license)) offenders.push(`${path} (${license || 'no licence'})`);
    }
    expect(offenders).toEqual([]);
  });

  it('Baton itself is Apache-2.0 with the licence text in the repository', () => {
    expect(JSON.parse(fs.readFileSync('package.json', 'utf8')).license).toBe('Apache-2.0');
    expect(fs.readFileSync('LICENSE', 'utf8')).toContain('Apache License');
  });
});
