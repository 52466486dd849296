/**
 * Structure: cleaned lines -> text blocks (headings, paragraphs, list items, table rows,
 * quotes), with layout wraps joined, page-break splits mended and line-end hyphens resolved.
 * Which lines are headings is headings.ts, how table rows gather is tables.ts; the patterns they
 * share are block-text.ts. The one walk over the lines here reads PDF layout (sizes, x positions,
 * gaps in line heights) or plain text (blank lines, case), as the context says.
 */
import type { TextBlock } from '../types.js';
import { joint } from './dehyphen.js';
import type { Line } from './lines.js';
import { MARKER_ONLY } from './markup.js';
import { FUNCTION_WORD_END, HAS_LETTER, HEADING_SIZE_RATIO, LOWER_START, SENTENCE_END, TERMINAL_END, UPPER_START, words, type Building } from './block-text.js';
import { headingOpen, pdfHeadingLevel, promoteKnownHeadings, promoteLayoutHeadings, textHeadingLevel } from './headings.js';
import { addToTable, continuesRow, fitsTable, type PdfTable } from './tables.js';

const PDF_LEADING_MARKER =
  /^(\d{1,3}(?:\.\d{1,3})*\.|\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)|[a-z]\)|[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC\uF0A8\uF06E\uF0E0]|[-–*](?=\s))\s*/;
/** Bullets drawn from symbol fonts (Wingdings, Symbol) come out as private-use characters. */
const PRIVATE_USE = /^[\uF000-\uF0FF]$/;
const isMarkerCell = (t: string) => MARKER_ONLY.test(t) || PRIVATE_USE.test(t) || /^[‣∙·]$/.test(t);
const BULLET_CHAR = /^[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC\uF0A8\uF06E\uF0E0\-–*]$/;
const OPEN_QUOTE = /^[‘“"']/;
const CLOSE_QUOTE_END = /[’”"'][.!?]?[)\]]?$|[.!?][’”"']$/;

export interface StructureContext {
  isPdf: boolean;
  /** Lower-cased words of the whole document (for de-hyphenation). */
  docWords?: ReadonlySet<string>;
}

/** Build blocks from cleaned lines. */
export function buildBlocks(lines: Line[], ctx: StructureContext): TextBlock[] {
  const blocks: TextBlock[] = [];
  const leftMargin = ctx.isPdf ? modeX(lines) : 0;
  const headingSizes = ctx.isPdf ? [...new Set(lines.filter((l) => l.size >= HEADING_SIZE_RATIO).map((l) => l.size))].sort((a, b) => b - a) : [];
  let cur: Building | undefined;
  const flush = () => {
    if (!cur) return;
    let text = cur.parts.join('').replace(/\s+/g, ' ').trim();
    if (cur.kind === 'table_row' && cur.cells) text = cur.cells.map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ');
    if (text && HAS_LETTER.test(text)) {
      let kind = cur.kind;
      if ((kind === 'paragraph' || kind === 'list_item') && OPEN_QUOTE.test(text) && CLOSE_QUOTE_END.test(text) && !cur.quoted) cur.quoted = true;
      const b: TextBlock = { kind, text, page: cur.page };
      if (cur.kind === 'heading') {
      b.level = cur.level ?? 1;
      if (cur.tail?.length) b.text = `${text.replace(/[:\s]+$/, '')}: ${cur.tail.join(' ').replace(/\s+/g, ' ')}`;
    }
      if (cur.marker) b.marker = cur.marker;
      if (cur.quoted) b.quoted = true;
      blocks.push(b);
    }
    cur = undefined;
  };

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
        blocks.push(b);
      }
    }
    table = undefined;
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const next = lines[i + 1];
    if (ctx.isPdf) {
      if (table) {
        if (fitsTable(table, l)) {
          addToTable(table, l);
          continue;
        }
        flushTable();
      }
      if (l.cells && l.cells.length >= 2 && l.size < HEADING_SIZE_RATIO && l.cells.every((c) => words(c.text) <= 14)) {
        const pieces = isMarkerCell(l.cells[0]!.text) ? l.cells.slice(1) : l.cells;
        if (pieces.length >= 2) {
          flush();
          table = { columns: pieces.map((c) => c.x), rows: [], page: l.page };
          addToTable(table, l, true);
          continue;
        }
      }
    }
    let text = l.text;
    let marker = l.marker;
    let cells: string[] | undefined;
    // A heading-size line with a right-hand cell: the grade box beside a judgement-area heading.
    let headingTail: string[] | undefined;
    if (ctx.isPdf && l.size >= HEADING_SIZE_RATIO && l.cells && l.cells.length >= 2 && !isMarkerCell(l.cells[0]!.text)) {
      text = l.cells[0]!.text;
      headingTail = l.cells.slice(1).map((c) => c.text);
    }
    // PDF columns (tab-separated) and markers.
    if (ctx.isPdf && !headingTail && text.includes('\t')) {
      const cs = text.split('\t').map((c) => c.trim()).filter(Boolean);
      if (cs.length >= 2 && isMarkerCell(cs[0]!)) {
        marker = PRIVATE_USE.test(cs[0]!) ? '•' : cs[0];
        text = cs.slice(1).join(' ');
        if (cs.length > 2) cells = cs.slice(1);
      } else if (cs.length >= 2) cells = cs;
      else text = cs[0] ?? '';
    }
    if (ctx.isPdf && !marker && !cells) {
      const m = PDF_LEADING_MARKER.exec(text);
      if (m && m[0].length < text.length) {
        const mk = m[1]!;
        const isBullet = BULLET_CHAR.test(mk);
        const prevEnded = !cur || TERMINAL_END.test(cur.text) || cur.kind === 'heading';
        const rest = text.slice(m[0].length);
        if (isBullet || (prevEnded && (UPPER_START.test(rest) || /^\(/.test(mk)) && l.x <= leftMargin + 40)) {
          marker = PRIVATE_USE.test(mk) ? '•' : mk;
          text = rest;
        }
      }
    }
    // Headings.
    let headingLevel = l.headingLevel;
    if (headingLevel === undefined && !marker && !cells && !l.tableRow) {
      headingLevel = ctx.isPdf ? pdfHeadingLevel(lines, i, text, headingSizes, leftMargin, cur) : textHeadingLevel(l, text, lines[i - 1], next, cur);
    }
    const isTable = !!cells || !!l.tableRow;
    const pageChange = !!cur && i > 0 && lines[i - 1]!.page !== l.page;

    if (headingLevel !== undefined) {
      // Multi-line heading: same style, tight gap.
      if (cur && cur.kind === 'heading' && cur.level === headingLevel && !pageChange && l.gap < 0.6 && !l.hard && headingOpen(cur.text, text)) {
        // A short piece far to the right is the grade box beside the heading, not its text.
        if (ctx.isPdf && l.x > cur.x + 150 && words(text) <= 5) (cur.tail ??= []).push(text);
        else append(cur, text, ctx.docWords);
        if (headingTail) (cur.tail ??= []).push(...headingTail);
        continue;
      }
      flush();
      cur = { kind: 'heading', parts: [text], len: text.length, text, page: l.page, level: headingLevel, x: l.x, contX: l.x, size: l.size, emph: l.emph, quoted: l.quoted };
      if (headingTail) cur.tail = headingTail;
      continue;
    }
    if (isTable) {
      const rowCells = cells ?? text.split(' | ');
      if (!ctx.isPdf && cur?.kind === 'table_row' && cur.cells && continuesRow(cur.cells, rowCells, l.gap)) {
        rowCells.forEach((c, k) => {
          const j = joint(cur!.cells![k]!, c, ctx.docWords);
          cur!.cells![k] = (j.trimHyphen ? cur!.cells![k]!.slice(0, -1) : cur!.cells![k]!) + j.sep + c;
        });
        continue;
      }
      flush();
      const rowText = cells ? cells.join(' ') : text;
      cur = {
        kind: 'table_row',
        parts: [rowText],
        len: rowText.length,
        text: rowText,
        cells: rowCells,
        page: l.page,
        x: l.x,
        contX: l.x,
        size: l.size,
        emph: l.emph,
        marker,
        quoted: l.quoted,
      };
      continue;
    }
    if (marker) {
      flush();
      cur = { kind: 'list_item', parts: [text], len: text.length, text, page: l.page, marker, x: l.x, contX: -1, size: l.size, emph: l.emph, quoted: l.quoted };
      continue;
    }
    // Plain text line: continue the current block or start a paragraph.
    if (cur && shouldContinue(cur, l, text, pageChange, ctx, leftMargin)) {
      if (cur.kind === 'table_row' && cur.cells) {
        const idx = Math.abs(l.x - cur.x) < 20 ? 0 : cur.cells.length - 1;
        const j = joint(cur.cells[idx]!, text, ctx.docWords);
        cur.cells[idx] = (j.trimHyphen ? cur.cells[idx]!.slice(0, -1) : cur.cells[idx]!) + j.sep + text;
      } else append(cur, text, ctx.docWords);
      if (cur.contX < 0) cur.contX = l.x;
      continue;
    }
    flush();
    cur = { kind: 'paragraph', parts: [text], len: text.length, text, page: l.page, x: l.x, contX: -1, size: l.size, emph: l.emph, quoted: l.quoted };
  }
  flush();
  flushTable();
  markNumberedParagraphs(blocks);
  promoteKnownHeadings(blocks);
  if (!ctx.isPdf) promoteLayoutHeadings(blocks);
  return blocks;
}

/**
 * Numbered paragraphs (Ofsted's "1.", "2." ... body paragraphs) are body text that carries a
 * number, not list items. A single-level numbering style ("12." or "12") counts as paragraph
 * numbering when its items are mostly long (median over 200 characters); then all its items
 * become paragraphs (marker kept), so the flag is consistent within a document. Sub-numbered
 * items ("18.1.", "(i)") stay list items.
 */
function markNumberedParagraphs(blocks: TextBlock[]): void {
  const byStyle = new Map<string, TextBlock[]>();
  for (const b of blocks) {
    if (b.kind !== 'list_item' || !b.marker || !/^\d+\.?$/.test(b.marker)) continue;
    const style = b.marker.replace(/\d+/g, '#');
    if (!byStyle.has(style)) byStyle.set(style, []);
    byStyle.get(style)!.push(b);
  }
  for (const items of byStyle.values()) {
    const lens = items.map((b) => b.text.length).sort((a, b) => a - b);
    const median = lens[Math.floor(lens.length / 2)]!;
    if (median > 200) for (const b of items) b.kind = 'paragraph';
  }
}

/** Append a wrapped line to the block being built. */
function append(cur: Building, text: string, docWords?: ReadonlySet<string>): void {
  const j = joint(cur.text, text, docWords);
  if (j.trimHyphen) {
    const last = cur.parts.length - 1;
    cur.parts[last] = cur.parts[last]!.slice(0, -1);
  }
  const piece = j.sep + text;
  cur.parts.push(piece);
  cur.text = piece;
  cur.len += piece.length;
}

/** Paragraphs are cut at a sentence end once this long (e.g. a text export with no blank lines). */
const MAX_BLOCK_CHARS = 20_000;

function shouldContinue(cur: Building, l: Line, text: string, pageChange: boolean, ctx: StructureContext, leftMargin: number): boolean {
  if (cur.kind === 'heading') return false;
  if (cur.len > MAX_BLOCK_CHARS && SENTENCE_END.test(cur.text)) return false;
  if (!!cur.quoted !== !!l.quoted) return false;
  if (l.hard) return false;
  const ended = SENTENCE_END.test(cur.text);
  if (cur.kind === 'table_row') {
    if (ctx.isPdf) return !pageChange && l.gap < 0.6 && l.size === cur.size;
    // A wrapped first cell under a layout table row ("practice with children and families").
    return !pageChange && l.gap === 0 && words(text) <= 8 && !SENTENCE_END.test(text) && Math.abs(l.x - cur.x) <= 2;
  }
  if (pageChange) {
    if (!ended && !TERMINAL_END.test(cur.text)) return true;
    // An indented list item or numbered paragraph running on over the page.
    if (ctx.isPdf && cur.kind === 'list_item' && cur.contX > 0 && Math.abs(l.x - cur.contX) < 4 && cur.contX > cur.x + 6) return true;
    return LOWER_START.test(text);
  }
  if (ctx.isPdf) {
    if (l.gap >= 0.6) return !ended && LOWER_START.test(text) && l.gap < 3;
    if (Math.abs(l.size - cur.size) > 0.1) return false;
    if (cur.kind === 'list_item' && cur.contX < 0 && l.x < cur.x - 4) return false;
    return true;
  }
  // Text formats: consecutive lines are one paragraph; a blank line ends it unless the
  // paragraph was plainly cut mid-sentence (page-break or export artefacts).
  if (l.gap === 0) return true;
  if (ended || TERMINAL_END.test(cur.text)) return false;
  return LOWER_START.test(text) || FUNCTION_WORD_END.test(cur.text);
}

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

