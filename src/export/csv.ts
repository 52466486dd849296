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

/** RFC 4180 CSV (UTF-8, header row, fields quoted when needed, "" for quotes, LF line ends). */
export function toCsv(columns: readonly string[], rows: readonly Cell[][]): string {
  for (const r of rows) if (r.length !== columns.length) throw new Error(`CSV row has ${r.length} cells for ${columns.length} columns`);
  return Papa.unparse({ fields: [...columns], data: rows.map((r) => r.map(cellText)) }, { newline: '\n', quotes: false, escapeFormulae: false }) + '\n';
}
