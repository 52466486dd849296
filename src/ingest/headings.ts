/**
 * Headings of the structure step: which PDF lines are headings (by size and emphasis against the
 * body text, pdfHeadingLevel), which plain-text lines are (by case, punctuation and blank lines
 * around them, textHeadingLevel), and the paragraphs promoted to headings once the blocks are
 * built (the known section headings of Ofsted reports; short blocks of their own in plain text).
 */
import type { TextBlock } from '../types.js';
import { JUDGEMENT } from '../vocab/grades.js';
import type { Line } from './lines.js';
import { ALL_CAPS, BLOCK_GAP, FILLER, HAS_LETTER, HEADING_SIZE_RATIO, LABEL_VALUE_LINE, LOWER_START, TERMINAL_END, UPPER_START, words, type Building } from './block-text.js';

/**
 * The section headings of Ofsted reports (judgement areas with their grade, "What needs to
 * improve ...", "Areas for improvement", "Recommendations"): a paragraph that is exactly one
 * of them is a heading even where layout gave no sign of it (e.g. text exported from a PDF).
 */
export const KNOWN_HEADING =
  new RegExp(`^(?:the experiences and progress of .{5,80}|the impact of leaders on social work practice .{0,40}|the effectiveness of leaders and managers .{0,40}):\\s*(?:${JUDGEMENT})\\.?$|^what needs to improve(?: in this area of social work practice)?\\s*[?:]?$|^(?:areas for (?:improvement|development|priority action)|recommendations|what does the (?:local authority|lscb) need to improve\\??|summary of (?:key )?findings|executive summary|other key issues)$`, 'i');

export function promoteKnownHeadings(blocks: TextBlock[]): void {
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
export const TEXT_HEADING_MAX_WORDS = 22;

/**
 * Plain text has no fonts: a short block of its own (blank lines around it) that starts in upper
 * case and does not end like a sentence or a clause is a heading, e.g. the two-line judgement
 * headings of a report converted with `pdftotext -layout` ("The experiences and progress of
 * children in care and care leavers are good"). "…because:" closes a heading of the 2013–2017
 * reports ("This local authority requires improvement because:"); other lead-ins ending in a colon
 * stay paragraphs.
 */
export function promoteLayoutHeadings(blocks: TextBlock[]): void {
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

export const GRADE_ONLY = new RegExp(`^(?:${JUDGEMENT})\\.?$`, 'i');

/** Can `next` continue a heading ending in `headingText` ("...care leavers:" + "inadequate")? */
export function headingOpen(headingText: string, next: string): boolean {
  return !TERMINAL_END.test(headingText) || (/:$/.test(headingText) && GRADE_ONLY.test(next.trim()));
}

export function pdfHeadingLevel(
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
    !!o && o.emph === ref.emph && Math.abs(o.size - ref.size) < 0.05 && o.page === ref.page && o.gap < BLOCK_GAP;
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
    if (after && after.page === l.page && after.gap < BLOCK_GAP && LOWER_START.test(after.text)) return undefined;
    return headingSizes.length + 1;
  }
  return undefined;
}

export function textHeadingLevel(l: Line, text: string, prev: Line | undefined, next: Line | undefined, cur: Building | undefined): number | undefined {
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
