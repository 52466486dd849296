/**
 * Structure from PDF layout: cleaned lines with sizes, x positions and gaps in line heights ->
 * text blocks. Tables are lines of column pieces placed by x (tables.ts); list markers are
 * bullets from symbol fonts or numbers at the left margin; headings are larger or emphasised lines
 * (headings.ts pdfHeadingLevel); a line continues a paragraph when its gap, size and indent say so.
 */
import type { TextBlock } from '../types.js';
import { BlockWriter, runsOverPage, type Reading, type ReadLine } from './block-writer.js';
import { BLOCK_GAP, HAS_LETTER, SECTION_GAP, HEADING_SIZE_RATIO, LOWER_START, SENTENCE_END, TERMINAL_END, UPPER_START, words, type Building } from './block-text.js';
import { pdfHeadingLevel } from './headings.js';
import type { Line } from './lines.js';
import { MARKER_ONLY } from './markup.js';
import { addToTable, fitsTable, type PdfTable } from './tables.js';

const PDF_LEADING_MARKER =
  /^(\d{1,3}(?:\.\d{1,3})*\.|\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)|[a-z]\)|[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC\uF0A8\uF06E\uF0E0]|[-–*](?=\s))\s*/;
/** Bullets drawn from symbol fonts (Wingdings, Symbol) come out as private-use characters. */
const PRIVATE_USE = /^[\uF000-\uF0FF]$/;
const isMarkerCell = (t: string) => MARKER_ONLY.test(t) || PRIVATE_USE.test(t) || /^[‣∙·]$/.test(t);
const BULLET_CHAR = /^[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC\uF0A8\uF06E\uF0E0\-–*]$/;
/** A table's cells are short: a line with a longer piece is text in columns, not a table row. */
const MAX_TABLE_CELL_WORDS = 14;
/** A numbered line starts a list item only this close (points) to the left margin. */
const MARKER_MARGIN = 40;
/** Points a line may sit left of a list item's marker and still be its continuation. */
const LIST_INDENT_SLACK = 4;
/** A list item's continuation lines this far (points) right of its marker are its hanging indent. */
const HANGING_INDENT = 6;

const PDF_READING: Reading = {
  gradeBoxBeside: true,
  mergesRows: false,
  continues(cur: Building, l: Line, text: string, pageChange: boolean): boolean {
    if (cur.kind === 'table_row') return !pageChange && l.gap < BLOCK_GAP && l.size === cur.size;
    if (pageChange) {
      // An indented list item or numbered paragraph running on over the page.
      const hanging = cur.kind === 'list_item' && cur.contX > 0 && Math.abs(l.x - cur.contX) < LIST_INDENT_SLACK && cur.contX > cur.x + HANGING_INDENT;
      return hanging || runsOverPage(cur, text);
    }
    if (l.gap >= BLOCK_GAP) return !SENTENCE_END.test(cur.text) && LOWER_START.test(text) && l.gap < SECTION_GAP;
    if (Math.abs(l.size - cur.size) > 0.1) return false;
    if (cur.kind === 'list_item' && cur.contX < 0 && l.x < cur.x - LIST_INDENT_SLACK) return false;
    return true;
  },
};

/** Blocks from the lines of a PDF. */
export function pdfBlocks(lines: Line[], docWords?: ReadonlySet<string>): TextBlock[] {
  const w = new BlockWriter(PDF_READING, docWords);
  const leftMargin = modeX(lines);
  const headingSizes = [...new Set(lines.filter((l) => l.size >= HEADING_SIZE_RATIO).map((l) => l.size))].sort((a, b) => b - a);

  // PDF tables (the judgement table): rows of column pieces placed by x.
  let table: PdfTable | undefined;
  const flushTable = () => {
    if (!table) return;
    for (const row of table.rows) {
      const cells = row.cells.map((c) => c.replace(/\s+/g, ' ').trim());
      let marker: string | undefined;
      const mm = /^(\d{1,2}(?:\.\d{1,2})*\.?)\s+(?=\S)/.exec(cells[0] ?? '');
      if (mm) {
        marker = mm[1];
        cells[0] = cells[0]!.slice(mm[0].length);
      }
      const text = cells.filter(Boolean).join(' | ');
      if (text && HAS_LETTER.test(text)) {
        const b: TextBlock = { kind: 'table_row', text, page: row.page };
        if (marker) b.marker = marker;
        w.blocks.push(b);
      }
    }
    table = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (table) {
      if (fitsTable(table, l)) {
        addToTable(table, l);
        continue;
      }
      flushTable();
    }
    if (l.cells && l.cells.length >= 2 && l.size < HEADING_SIZE_RATIO && l.cells.every((c) => words(c.text) <= MAX_TABLE_CELL_WORDS)) {
      const pieces = isMarkerCell(l.cells[0]!.text) ? l.cells.slice(1) : l.cells;
      if (pieces.length >= 2) {
        w.flush();
        table = { columns: pieces.map((c) => c.x), rows: [], page: l.page };
        addToTable(table, l, true);
        continue;
      }
    }
    const r = readPdfLine(l, w.cur, leftMargin);
    if (r.headingLevel === undefined && !r.marker && !r.cells && !l.tableRow) r.headingLevel = pdfHeadingLevel(lines, i, r.text, headingSizes, leftMargin, w.cur);
    w.place(l, r, !!w.cur && i > 0 && lines[i - 1]!.page !== l.page);
  }
  w.flush();
  flushTable();
  return w.finish();
}

/** A PDF line's text, list marker, column cells and grade box. */
function readPdfLine(l: Line, cur: Building | undefined, leftMargin: number): ReadLine {
  const r: ReadLine = { text: l.text, marker: l.marker, headingLevel: l.headingLevel };
  // A heading-size line with a right-hand cell: the grade box beside a judgement-area heading.
  if (l.size >= HEADING_SIZE_RATIO && l.cells && l.cells.length >= 2 && !isMarkerCell(l.cells[0]!.text)) {
    r.text = l.cells[0]!.text;
    r.headingTail = l.cells.slice(1).map((c) => c.text);
    return withLeadingMarker(r, cur, l, leftMargin);
  }
  // Columns (tab-separated) and markers.
  if (r.text.includes('\t')) {
    const cs = r.text.split('\t').map((c) => c.trim()).filter(Boolean);
    if (cs.length >= 2 && isMarkerCell(cs[0]!)) {
      r.marker = PRIVATE_USE.test(cs[0]!) ? '•' : cs[0];
      r.text = cs.slice(1).join(' ');
      if (cs.length > 2) r.cells = cs.slice(1);
    } else if (cs.length >= 2) r.cells = cs;
    else r.text = cs[0] ?? '';
  }
  return withLeadingMarker(r, cur, l, leftMargin);
}

/** A bullet, or a number at the left margin after a finished block, that opens the line's text. */
function withLeadingMarker(r: ReadLine, cur: Building | undefined, l: Line, leftMargin: number): ReadLine {
  if (r.marker || r.cells) return r;
  const m = PDF_LEADING_MARKER.exec(r.text);
  if (!m || m[0].length >= r.text.length) return r;
  const mk = m[1]!;
  const prevEnded = !cur || TERMINAL_END.test(cur.text) || cur.kind === 'heading';
  const rest = r.text.slice(m[0].length);
  if (BULLET_CHAR.test(mk) || (prevEnded && (UPPER_START.test(rest) || /^\(/.test(mk)) && l.x <= leftMargin + MARKER_MARGIN)) {
    r.marker = PRIVATE_USE.test(mk) ? '•' : mk;
    r.text = rest;
  }
  return r;
}

/** The most common x (weighted by characters): the body text's left margin. */
function modeX(lines: Line[]): number {
  const counts = new Map<number, number>();
  for (const l of lines) {
    const k = Math.round(l.x);
    counts.set(k, (counts.get(k) ?? 0) + l.text.length);
  }
  let best = 0;
  let n = -1;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}
