import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../src/server/modules/bulk/csv.ts';

describe('CSV reading', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and skips blank lines', () => {
    const t = parseCsv('\uFEFFname,address,notes\r\n"Ann ""A"" Lee","1 Main St, Springfield","line one\nline two"\r\n\r\nBob,2 Side St,\n');
    expect(t.header).toEqual(['name', 'address', 'notes']);
    expect(t.rows).toEqual([
      { line: 2, cells: ['Ann "A" Lee', '1 Main St, Springfield', 'line one\nline two'] },
      { line: 5, cells: ['Bob', '2 Side St', ''] },
    ]);
  });

  it('recognises semicolon-separated files by their header', () => {
    const t = parseCsv('name;address\nAnn;1 Main St, Springfield');
    expect(t.rows[0].cells).toEqual(['Ann', '1 Main St, Springfield']);
  });

  it('says where an unclosed quote starts, and refuses an empty file', () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow(CsvError);
    try {
      parseCsv('a,b\n1,"open\n2,3');
    } catch (err) {
      expect((err as CsvError).line).toBe(2);
    }
    expect(() => parseCsv('')).toThrow(/empty/);
  });
});
