/**
 * Structure from plain text (.txt, Markdown and HTML after markup.ts, text exported from a PDF):
 * cleaned lines -> text blocks. There is no layout to read but blank lines, indents and case:
 * consecutive lines are one paragraph, a blank line ends it unless it was plainly cut
 * mid-sentence (a page break or an export artefact), a layout table row's wrapped cells carry on
 * over the lines below it, and headings are short lines set apart (headings.ts textHeadingLevel,
 * promoteLayoutHeadings).
 */
import type { TextBlock } from '../types.js';
import { BlockWriter, runsOverPage, type Reading } from './block-writer.js';
import { FUNCTION_WORD_END, LOWER_START, SENTENCE_END, TERMINAL_END, words, type Building } from './block-text.js';
import { promoteLayoutHeadings, textHeadingLevel } from './headings.js';
import type { Line } from './lines.js';

/** A wrapped first cell under a layout table row is at most this many words. */
const MAX_WRAPPED_CELL_WORDS = 8;
/** ... and starts within this many characters of the row. */
const WRAPPED_CELL_SLACK = 2;

const TEXT_READING: Reading = {
  gradeBoxBeside: false,
  mergesRows: true,
  continues(cur: Building, l: Line, text: string, pageChange: boolean): boolean {
    // A wrapped first cell under a layout table row ("practice with children and families").
    if (cur.kind === 'table_row') return !pageChange && l.gap === 0 && words(text) <= MAX_WRAPPED_CELL_WORDS && !SENTENCE_END.test(text) && Math.abs(l.x - cur.x) <= WRAPPED_CELL_SLACK;
    if (pageChange) return runsOverPage(cur, text);
    if (l.gap === 0) return true;
    if (SENTENCE_END.test(cur.text) || TERMINAL_END.test(cur.text)) return false;
    return LOWER_START.test(text) || FUNCTION_WORD_END.test(cur.text);
  },
};

/** Blocks from the lines of a text document. */
export function textBlocks(lines: Line[], docWords?: ReadonlySet<string>): TextBlock[] {
  const w = new BlockWriter(TEXT_READING, docWords);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const headingLevel = l.headingLevel ?? (l.marker || l.tableRow ? undefined : textHeadingLevel(l, l.text, lines[i - 1], lines[i + 1], w.cur));
    w.place(l, { text: l.text, marker: l.marker, headingLevel }, !!w.cur && i > 0 && lines[i - 1]!.page !== l.page);
  }
  const blocks = w.finish();
  promoteLayoutHeadings(blocks);
  return blocks;
}
