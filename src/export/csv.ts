import Papa from 'papaparse';

/** A number already formatted for output (written as is, never formula-escaped). */
export class Fixed {
  constructor(readonly text: string) {}
}

export type Cell = string | number | boolean | null | Fixed;

/** Fixed-point number, '' for null (missing). */
export const fixed = (x: number | null | undefined, digits = 4): Fixed => new Fixed(x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(digits).replace(/^-(0\.0+)$/, '$1'));

/** Neutralise spreadsheet formula injection in a text cell (leading =, +, -, @, tab or CR). */
export function safeCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

function cellText(c: Cell): string {
  if (c instanceof Fixed) return c.text;
  if (c === null) return '';
  if (typeof c === 'boolean') return c ? 'true' : 'false';
  if (typeof c === 'number') return Number.isInteger(c) ? String(c) : c.toFixed(4);
  return safeCell(c);
}

/** Rows per chunk when a CSV is produced in pieces (csvChunks). */
const CHUNK_ROWS = 2000;

/**
 * RFC 4180 CSV (UTF-8, header row, fields quoted when needed, "" for quotes, LF line ends) in
 * pieces of CHUNK_ROWS rows, so that a large table can be written without holding it whole in
 * memory (rows are taken from the iterable as the pieces are produced). Joined, the pieces are
 * exactly toCsv's text: quoting is decided cell by cell.
 */
export function* csvChunks(columns: readonly string[], rows: Iterable<readonly Cell[]>): Generator<string> {
  yield Papa.unparse([[...columns]], { newline: '\n', quotes: false, escapeFormulae: false, header: false }) + '\n';
  let batch: string[][] = [];
  const flush = () => Papa.unparse(batch, { newline: '\n', quotes: false, escapeFormulae: false, header: false }) + '\n';
  for (const r of rows) {
    if (r.length !== columns.length) throw new Error(`CSV row has ${r.length} cells for ${columns.length} columns`);
    batch.push(r.map(cellText));
    if (batch.length === CHUNK_ROWS) {
      yield flush();
      batch = [];
    }
  }
  if (batch.length) yield flush();
}

/** RFC 4180 CSV text of a whole table (see csvChunks). */
export function toCsv(columns: readonly string[], rows: Iterable<readonly Cell[]>): string {
  return [...csvChunks(columns, rows)].join('');
}
