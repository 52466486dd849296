/**
 * Structure: cleaned lines -> text blocks (headings, paragraphs, list items, table rows,
 * quotes), with layout wraps joined, page-break splits mended and line-end hyphens resolved.
 */
import type { TextBlock } from '../types.js';
import { joint } from './dehyphen.js';
import { JUDGEMENT } from '../vocab/grades.js';
import type { Line } from './lines.js';
import { MARKER_ONLY } from './markup.js';

/**
 * A PDF line at least this much larger than the body text (its size relative to the body size,
 * pdf.ts pdfToLines) can be a heading; smaller lines are body text, table cells or labels.
 */
const HEADING_SIZE_RATIO = 1.12;
const TERMINAL_END = /[.!?:;]["”’)\]]*$/;
const SENTENCE_END = /[.!?]["”’)\]]*$/;
const PDF_LEADING_MARKER =
  /^(\d{1,3}(?:\.\d{1,3})*\.|\((?:[ivxlc]{1,6}|[a-z]|\d{1,2})\)|[a-z]\)|[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC\uF0A8\uF06E\uF0E0]|[-–*](?=\s))\s*/;
/** Bullets drawn from symbol fonts (Wingdings, Symbol) come out as private-use characters. */
const PRIVATE_USE = /^[\uF000-\uF0FF]$/;
const isMarkerCell = (t: string) => MARKER_ONLY.test(t) || PRIVATE_USE.test(t) || /^[‣∙·]$/.test(t);
const BULLET_CHAR = /^[•◼▪●■◦▫□‣∙·\uF0B7\uF0A7\uF076\uF0D8\uF0FC\uF0A8\uF06E\uF0E0\-–*]$/;
const FUNCTION_WORD_END =
  /\b(?:a|an|the|and|or|but|of|to|in|on|at|for|with|by|from|as|that|which|who|whose|this|these|those|their|its|is|are|was|were|be|been|has|have|had|not|some|such|than|into|onto|under|within|between|about|all|more|most|very|inevitable)$/i;
const UPPER_START = /^[A-Z0-9‘“"'(]/;
const LOWER_START = /^[a-z]/;
const HAS_LETTER = /\p{L}/u;
const ALL_CAPS = /^[^a-z]*[A-Z]{2,}[^a-z]*$/;
const FILLER = /^(?:none|n\/a|not applicable|yes|no|all|tbc|nil|not known)\.?$|^\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+,? \d{4}$/i;
/** "Lead inspector: Jane Smith", "Inspection dates: ...": a label and its value, never a heading. */
const LABEL_VALUE_LINE = /^[A-Z][A-Za-z’' ]{1,30}:\s+\S/;
const OPEN_QUOTE = /^[‘“"']/;
const CLOSE_QUOTE_END = /[’”"'][.!?]?[)\]]?$|[.!?][’”"']$/;

export interface StructureContext {
  isPdf: boolean;
  /** Lower-cased words of the whole document (for de-hyphenation). */
  docWords?: ReadonlySet<string>;
}

interface Building {
  kind: TextBlock['kind'];
  /** The text so far: pieces joined at flush (a long paragraph is never re-copied per line). */
  parts: string[];
  /** The last piece (the end of the text, what continuation rules look at). */
  text: string;
  /** Characters so far. */
  len: number;
  page: number;
  level?: number;
  marker?: string;
  quoted?: boolean;
  /** x of the first line and of continuation lines (PDF). */
  x: number;
  contX: number;
  size: number;
  emph: boolean;
  cells?: string[];
  /** Right-hand cells of a heading box (the grade beside a judgement-area heading). */
  tail?: string[];
}

function words(t: string): number {
  let n = 0;
  for (const w of t.split(/\s+/)) if (w) n++;
  return n;
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
 * The section headings of Ofsted reports (judgement areas with their grade, "What needs to
 * improve ...", "Areas for improvement", "Recommendations"): a paragraph that is exactly one
 * of them is a heading even where layout gave no sign of it (e.g. text exported from a PDF).
 */
const KNOWN_HEADING =
  new RegExp(`^(?:the experiences and progress of .{5,80}|the impact of leaders on social work practice .{0,40}|the effectiveness of leaders and managers .{0,40}):\\s*(?:${JUDGEMENT})\\.?$|^what needs to improve(?: in this area of social work practice)?\\s*[?:]?$|^(?:areas for (?:improvement|development|priority action)|recommendations|what does the (?:local authority|lscb) need to improve\\??|summary of (?:key )?findings|executive summary|other key issues)$`, 'i');

function promoteKnownHeadings(blocks: TextBlock[]): void {
  let level = 2;
  for (const b of blocks) if (b.kind === 'heading' && KNOWN_HEADING.test(b.text)) {
    level = b.level ?? 2;
    break;
  }
  for (const b of blocks) {
    if (b.kind === 'paragraph' && !b.marker && !b.quoted && b.text.length <= 140 && KNOWN_HEADING.test(b.text)) {
      b.kind = 'heading';
      b.level = level;
    }
  }
}

/** Longest run of words a plain-text heading block may have (a judgement heading wraps over two lines). */
const TEXT_HEADING_MAX_WORDS = 22;

/**
 * Plain text has no fonts: a short block of its own (blank lines around it) that starts in upper
 * case and does not end like a sentence or a clause is a heading, e.g. the two-line judgement
 * headings of a report converted with `pdftotext -layout` ("The experiences and progress of
 * children in care and care leavers are good"). "…because:" closes a heading of the 2013–2017
 * reports ("This local authority requires improvement because:"); other lead-ins ending in a colon
 * stay paragraphs.
 */
function promoteLayoutHeadings(blocks: TextBlock[]): void {
  let level = 2;
  for (const b of blocks) if (b.kind === 'heading') {
    level = Math.max(level, b.level ?? 2);
  }
  for (let k = 0; k < blocks.length; k++) {
    const b = blocks[k]!;
    if (b.kind !== 'paragraph' || b.marker || b.quoted) continue;
    const next = blocks[k + 1];
    if (!next || next.kind === 'heading') continue;
    const t = b.text;
    if (t.length > 160 || words(t) > TEXT_HEADING_MAX_WORDS || !UPPER_START.test(t) || FILLER.test(t)) continue;
    if (/[.!?;,"”’)]$/.test(t) || (/:$/.test(t) && !/\bbecause:$/i.test(t))) continue;
    if (/\d$/.test(t) && words(t) <= 3) continue;
    b.kind = 'heading';
    b.level = level;
  }
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

interface PdfTable {
  /** x of each column (from the row that opened the table). */
  columns: number[];
  rows: { cells: string[]; page: number }[];
  page: number;
}

/** Does a line belong to the open table: same page, body size, and short or column-split? */
function fitsTable(t: PdfTable, l: Line): boolean {
  if (l.page !== t.page || l.size >= HEADING_SIZE_RATIO || l.gap >= 3 || l.headingLevel !== undefined) return false;
  if (l.cells && l.cells.length >= 2) return true;
  if (l.x >= t.columns[1]! - 5) return words(l.text) <= 8;
  return words(l.text) < 10 && !/[.!?]$/.test(l.text);
}

function addToTable(t: PdfTable, l: Line, first = false): void {
  const pieces = l.cells && l.cells.length >= 2 ? l.cells : [{ text: l.text, x: l.x }];
  let row = t.rows[t.rows.length - 1];
  if (!row || first || l.gap >= 0.6) {
    row = { cells: t.columns.map(() => ''), page: l.page };
    t.rows.push(row);
  }
  for (const p of pieces) {
    let col = 0;
    for (let c = 0; c < t.columns.length; c++) if (p.x >= t.columns[c]! - 5) col = c;
    row.cells[col] = row.cells[col] ? `${row.cells[col]} ${p.text}` : p.text;
  }
}

const GRADE_ONLY = new RegExp(`^(?:${JUDGEMENT})\\.?$`, 'i');

/** Can `next` continue a heading ending in `headingText` ("...care leavers:" + "inadequate")? */
function headingOpen(headingText: string, next: string): boolean {
  return !TERMINAL_END.test(headingText) || (/:$/.test(headingText) && GRADE_ONLY.test(next.trim()));
}

/**
 * A layout-text table row whose cells wrap onto the next line ("The impact of leaders on social work
 * practice with | Requires improvement" over "children and families | to be good"): the next row has
 * the same number of cells, follows with no blank line, and every cell of it starts in lower case.
 */
function continuesRow(prev: string[], next: string[], gap: number): boolean {
  if (gap !== 0 || next.length !== prev.length || next.length < 2) return false;
  return next.every((c) => LOWER_START.test(c.trim()));
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

function pdfHeadingLevel(
  lines: Line[],
  i: number,
  text: string,
  headingSizes: number[],
  leftMargin: number,
  cur: Building | undefined,
): number | undefined {
  const l = lines[i]!;
  const prev = lines[i - 1];
  const w = words(text);
  if (w === 0 || !HAS_LETTER.test(text)) return undefined;
  const sameStyle = (o: Line | undefined, ref: Line) =>
    !!o && o.emph === ref.emph && Math.abs(o.size - ref.size) < 0.05 && o.page === ref.page && o.gap < 0.6;
  // Second and later lines of a heading already open.
  if (cur?.kind === 'heading' && prev && sameStyle(l, prev) && prev.page === l.page && headingOpen(cur.text, text) && words(cur.text) + w <= 30) {
    return cur.level;
  }
  if (LABEL_VALUE_LINE.test(text) && l.size < HEADING_SIZE_RATIO) return undefined;
  if (l.size >= HEADING_SIZE_RATIO && w <= 30) {
    const idx = headingSizes.indexOf(l.size);
    return (idx < 0 ? headingSizes.length : idx) + 1;
  }
  if (l.emph && Math.abs(l.size - 1) < 0.12 && w <= 16 && !/[.,;]$/.test(text) && UPPER_START.test(text) && l.x <= leftMargin + 10) {
    // Not the continuation of a bold paragraph, nor a line inside a running sentence.
    if (prev && sameStyle(l, prev) && !TERMINAL_END.test(prev.text)) return undefined;
    if (prev && prev.page === l.page && l.gap < 0.3 && !TERMINAL_END.test(prev.text) && cur?.kind !== 'heading') return undefined;
    // The run of same-style lines from here (a heading may wrap): short, and not a sentence.
    let runWords = w;
    let last = l;
    for (let k = i + 1; k < Math.min(lines.length, i + 4) && sameStyle(lines[k], l); k++) {
      runWords += words(lines[k]!.text);
      last = lines[k]!;
    }
    if (runWords > 25 || /[.;,]$/.test(last.text)) return undefined;
    const after = lines[lines.indexOf(last, i) + 1];
    if (after && after.page === l.page && after.gap < 0.6 && LOWER_START.test(after.text)) return undefined;
    return headingSizes.length + 1;
  }
  return undefined;
}

function textHeadingLevel(l: Line, text: string, prev: Line | undefined, next: Line | undefined, cur: Building | undefined): number | undefined {
  const w = words(text);
  if (w === 0 || w > 14 || text.length > 100 || !HAS_LETTER.test(text)) return undefined;
  if (!/^[A-Z0-9]/.test(text)) return undefined;
  if (FILLER.test(text)) return undefined;
  if (/[,;]$/.test(text)) return undefined;
  const caps = ALL_CAPS.test(text) && w <= 12;
  if (/[.:]$/.test(text) && !caps && !/\?$/.test(text)) {
    if (!(l.emph && /:$/.test(text))) return undefined;
  }
  if (/[.!]$/.test(text) && !caps) return undefined;
  const isolatedBefore = !prev || l.gap >= 1 || cur?.kind === 'heading' || !!prev.hard;
  const isolatedAfter = !next || next.gap >= 1 || !!next.marker || !!next.hard;
  if (l.emph && isolatedBefore) return 2;
  if (caps && (isolatedBefore || isolatedAfter)) return 1;
  if (isolatedBefore && isolatedAfter) return 2;
  return undefined;
}
