/**
 * What the structure step's parts share (pdf-blocks.ts, text-blocks.ts, block-writer.ts, headings.ts,
 * tables.ts): the text patterns that tell how a line ends or starts, and the block being built.
 */
import type { TextBlock } from '../types.js';

/**
 * A PDF line at least this much larger than the body text (its size relative to the body size,
 * pdf.ts pdfToLines) can be a heading; smaller lines are body text, table cells or labels.
 */
export const HEADING_SIZE_RATIO = 1.12;

/**
 * A gap between lines (in line heights, pdf.ts) at least this large sets a line apart from the one
 * above: a new paragraph, table row or heading, unless the text plainly runs on.
 */
export const BLOCK_GAP = 0.6;

/** A gap this large (in line heights) always starts a new block, and ends a table. */
export const SECTION_GAP = 3;

export const TERMINAL_END = /[.!?:;]["”’)\]]*$/;

export const SENTENCE_END = /[.!?]["”’)\]]*$/;

export const FUNCTION_WORD_END =
  /\b(?:a|an|the|and|or|but|of|to|in|on|at|for|with|by|from|as|that|which|who|whose|this|these|those|their|its|is|are|was|were|be|been|has|have|had|not|some|such|than|into|onto|under|within|between|about|all|more|most|very|inevitable)$/i;

export const UPPER_START = /^[A-Z0-9‘“"'(]/;

export const LOWER_START = /^[a-z]/;

export const HAS_LETTER = /\p{L}/u;

export const ALL_CAPS = /^[^a-z]*[A-Z]{2,}[^a-z]*$/;

export const FILLER = /^(?:none|n\/a|not applicable|yes|no|all|tbc|nil|not known)\.?$|^\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+,? \d{4}$/i;

/** "Lead inspector: Jane Smith", "Inspection dates: ...": a label and its value, never a heading. */
export const LABEL_VALUE_LINE = /^[A-Z][A-Za-z’' ]{1,30}:\s+\S/;

export interface Building {
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

export function words(t: string): number {
  let n = 0;
  for (const w of t.split(/\s+/)) if (w) n++;
  return n;
}
