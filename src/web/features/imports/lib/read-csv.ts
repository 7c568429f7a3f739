import { MAX_CSV_CHARS, MAX_IMPORT_ROWS } from './csv-template.ts';

/** Why this text cannot be sent for checking, or null when it can. */
export function csvTextProblem(text: string, what: 'file' | 'text'): string | null {
  if (!text.trim()) return what === 'file' ? 'The file is empty.' : null;
  if (text.includes('\u0000')) {
    return 'This is not a CSV file. In your spreadsheet, choose “Save as” or “Export”, pick CSV, and choose that file.';
  }
  if (text.length > MAX_CSV_CHARS) {
    return `The ${what} is too large (${Math.ceil(text.length / 1000).toLocaleString()} KB). Import at most ${MAX_IMPORT_ROWS.toLocaleString()} orders and ${MAX_CSV_CHARS / 1000} KB at a time: split it into several files.`;
  }
  return null;
}

/** About how many orders the text holds (lines after the header; a quoted line break counts twice). */
export function roughRowCount(text: string): number {
  return Math.max(0, text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1);
}

/** Reads a chosen file as text (UTF-8), with what keeps it from being imported. */
export async function readCsvFile(file: File): Promise<{ text: string | null; error: string | null }> {
  if (file.size > MAX_CSV_CHARS * 4) {
    return { text: null, error: `The file is too large (${Math.ceil(file.size / 1_000_000)} MB). Import at most ${MAX_IMPORT_ROWS.toLocaleString()} orders at a time.` };
  }
  let text: string;
  try {
    text = await file.text();
  } catch {
    return { text: null, error: 'The file could not be read. Choose it again.' };
  }
  const error = csvTextProblem(text, 'file');
  return error ? { text: null, error } : { text, error: null };
}
