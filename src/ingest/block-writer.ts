/**
 * The part of the structure step both readings share (pdf-blocks.ts for PDF layout,
 * text-blocks.ts for plain text): once a reading has said what a line is (its text, a list
 * marker, table cells, a heading level), the writer places it: it continues the block being
 * built (a wrapped line, a multi-line heading, a table row's wrapped cell) or closes that block
 * and starts another. How a line continues a paragraph is the reading's own rule.
 */
import type { TextBlock } from '../types.js';
import { BLOCK_GAP, HAS_LETTER, SENTENCE_END, TERMINAL_END, LOWER_START, words, type Building } from './block-text.js';
import { joint } from './dehyphen.js';
import { headingOpen, promoteKnownHeadings } from './headings.js';
import type { Line } from './lines.js';
import { continuesRow } from './tables.js';

/** What a reading makes of one line. */
export interface ReadLine {
  text: string;
  marker?: string;
  /** Table cells (PDF columns, or a layout-text row split at ' | '). */
  cells?: string[];
  /** Right-hand cells of a heading-size line: the grade box beside a judgement-area heading (PDF). */
  headingTail?: string[];
  headingLevel?: number;
}

/** The rules a reading brings to the writer. */
export interface Reading {
  /** A short piece far to the right of a heading is the grade box beside it (PDF: lines have x positions). */
  gradeBoxBeside: boolean;
  /** A table-row line can carry on the cells of the row above (layout text, where a row wraps over lines). */
  mergesRows: boolean;
  /** Whether a plain line continues the paragraph, list item or table row being built (after the shared checks). */
  continues(cur: Building, l: Line, text: string, pageChange: boolean): boolean;
}

/** Paragraphs are cut at a sentence end once this long (e.g. a text export with no blank lines). */
const MAX_BLOCK_CHARS = 20_000;
/** Points to the right of a heading's start beyond which a short piece is its grade box. */
const GRADE_BOX_OFFSET = 150;
const GRADE_BOX_MAX_WORDS = 5;
/** A continuation line within this many points of a table row's first cell extends that cell. */
const FIRST_CELL_SLACK = 20;

const OPEN_QUOTE = /^[‘“"']/;
const CLOSE_QUOTE_END = /[’”"'][.!?]?[)\]]?$|[.!?][’”"']$/;

/** A block left unfinished at a page break runs on over it (shared by both readings). */
export function runsOverPage(cur: Building, text: string): boolean {
  return (!SENTENCE_END.test(cur.text) && !TERMINAL_END.test(cur.text)) || LOWER_START.test(text);
}

export class BlockWriter {
  readonly blocks: TextBlock[] = [];
  /** The block being built. */
  cur: Building | undefined;

  constructor(
    private readonly reading: Reading,
    private readonly docWords?: ReadonlySet<string>,
  ) {}

  /** Close the block being built (dropped if it has no letter). */
  flush(): void {
    const cur = this.cur;
    if (!cur) return;
    let text = cur.parts.join('').replace(/\s+/g, ' ').trim();
    if (cur.kind === 'table_row' && cur.cells) text = cur.cells.map((c) => c.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ');
    if (text && HAS_LETTER.test(text)) {
      if ((cur.kind === 'paragraph' || cur.kind === 'list_item') && OPEN_QUOTE.test(text) && CLOSE_QUOTE_END.test(text) && !cur.quoted) cur.quoted = true;
      const b: TextBlock = { kind: cur.kind, text, page: cur.page };
      if (cur.kind === 'heading') {
        b.level = cur.level ?? 1;
        if (cur.tail?.length) b.text = `${text.replace(/[:\s]+$/, '')}: ${cur.tail.join(' ').replace(/\s+/g, ' ')}`;
      }
      if (cur.marker) b.marker = cur.marker;
      if (cur.quoted) b.quoted = true;
      this.blocks.push(b);
    }
    this.cur = undefined;
  }

  /** Place line `l` as the reading read it; `pageChange`: it is on another page than the line before. */
  place(l: Line, r: ReadLine, pageChange: boolean): void {
    const { text, marker, cells, headingTail, headingLevel } = r;
    const cur = this.cur;
    if (headingLevel !== undefined) {
      // Multi-line heading: same style, tight gap.
      if (cur && cur.kind === 'heading' && cur.level === headingLevel && !pageChange && l.gap < BLOCK_GAP && !l.hard && headingOpen(cur.text, text)) {
        if (this.reading.gradeBoxBeside && l.x > cur.x + GRADE_BOX_OFFSET && words(text) <= GRADE_BOX_MAX_WORDS) (cur.tail ??= []).push(text);
        else this.append(cur, text);
        if (headingTail) (cur.tail ??= []).push(...headingTail);
        return;
      }
      this.flush();
      this.cur = { kind: 'heading', parts: [text], len: text.length, text, page: l.page, level: headingLevel, x: l.x, contX: l.x, size: l.size, emph: l.emph, quoted: l.quoted };
      if (headingTail) this.cur.tail = headingTail;
      return;
    }
    if (cells || l.tableRow) {
      const rowCells = cells ?? text.split(' | ');
      if (this.reading.mergesRows && cur?.kind === 'table_row' && cur.cells && continuesRow(cur.cells, rowCells, l.gap)) {
        rowCells.forEach((c, k) => this.extendCell(cur, k, c));
        return;
      }
      this.flush();
      const rowText = cells ? cells.join(' ') : text;
      this.cur = { kind: 'table_row', parts: [rowText], len: rowText.length, text: rowText, cells: rowCells, page: l.page, x: l.x, contX: l.x, size: l.size, emph: l.emph, marker, quoted: l.quoted };
      return;
    }
    if (marker) {
      this.flush();
      this.cur = { kind: 'list_item', parts: [text], len: text.length, text, page: l.page, marker, x: l.x, contX: -1, size: l.size, emph: l.emph, quoted: l.quoted };
      return;
    }
    // Plain line: continue the current block or start a paragraph.
    if (cur && this.continues(cur, l, text, pageChange)) {
      if (cur.kind === 'table_row' && cur.cells) this.extendCell(cur, Math.abs(l.x - cur.x) < FIRST_CELL_SLACK ? 0 : cur.cells.length - 1, text);
      else this.append(cur, text);
      if (cur.contX < 0) cur.contX = l.x;
      return;
    }
    this.flush();
    this.cur = { kind: 'paragraph', parts: [text], len: text.length, text, page: l.page, x: l.x, contX: -1, size: l.size, emph: l.emph, quoted: l.quoted };
  }

  /** The blocks, the last one closed, numbered paragraphs marked and known headings promoted. */
  finish(): TextBlock[] {
    this.flush();
    markNumberedParagraphs(this.blocks);
    promoteKnownHeadings(this.blocks);
    return this.blocks;
  }

  private continues(cur: Building, l: Line, text: string, pageChange: boolean): boolean {
    if (cur.kind === 'heading') return false;
    if (cur.len > MAX_BLOCK_CHARS && SENTENCE_END.test(cur.text)) return false;
    if (!!cur.quoted !== !!l.quoted) return false;
    if (l.hard) return false;
    return this.reading.continues(cur, l, text, pageChange);
  }

  /** Append a wrapped line to the block being built. */
  private append(cur: Building, text: string): void {
    const j = joint(cur.text, text, this.docWords);
    if (j.trimHyphen) {
      const last = cur.parts.length - 1;
      cur.parts[last] = cur.parts[last]!.slice(0, -1);
    }
    const piece = j.sep + text;
    cur.parts.push(piece);
    cur.text = piece;
    cur.len += piece.length;
  }

  private extendCell(cur: Building, k: number, text: string): void {
    const cell = cur.cells![k]!;
    const j = joint(cell, text, this.docWords);
    cur.cells![k] = (j.trimHyphen ? cell.slice(0, -1) : cell) + j.sep + text;
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
