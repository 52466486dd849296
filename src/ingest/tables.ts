/**
 * Tables of the structure step: PDF table rows gathered into columns (fitsTable, addToTable), and
 * layout-text rows whose cells wrap onto the next line (continuesRow).
 */
import type { Line } from './lines.js';
import { BLOCK_GAP, HEADING_SIZE_RATIO, SECTION_GAP, LOWER_START, words } from './block-text.js';

export interface PdfTable {
  /** x of each column (from the row that opened the table). */
  columns: number[];
  rows: { cells: string[]; page: number }[];
  page: number;
}

/** Does a line belong to the open table: same page, body size, and short or column-split? */
export function fitsTable(t: PdfTable, l: Line): boolean {
  if (l.page !== t.page || l.size >= HEADING_SIZE_RATIO || l.gap >= SECTION_GAP || l.headingLevel !== undefined) return false;
  if (l.cells && l.cells.length >= 2) return true;
  if (l.x >= t.columns[1]! - 5) return words(l.text) <= 8;
  return words(l.text) < 10 && !/[.!?]$/.test(l.text);
}

export function addToTable(t: PdfTable, l: Line, first = false): void {
  const pieces = l.cells && l.cells.length >= 2 ? l.cells : [{ text: l.text, x: l.x }];
  let row = t.rows[t.rows.length - 1];
  if (!row || first || l.gap >= BLOCK_GAP) {
    row = { cells: t.columns.map(() => ''), page: l.page };
    t.rows.push(row);
  }
  for (const p of pieces) {
    let col = 0;
    for (let c = 0; c < t.columns.length; c++) if (p.x >= t.columns[c]! - 5) col = c;
    row.cells[col] = row.cells[col] ? `${row.cells[col]} ${p.text}` : p.text;
  }
}

/**
 * A layout-text table row whose cells wrap onto the next line ("The impact of leaders on social work
 * practice with | Requires improvement" over "children and families | to be good"): the next row has
 * the same number of cells, follows with no blank line, and every cell of it starts in lower case.
 */
export function continuesRow(prev: string[], next: string[], gap: number): boolean {
  if (gap !== 0 || next.length !== prev.length || next.length < 2) return false;
  return next.every((c) => LOWER_START.test(c.trim()));
}
