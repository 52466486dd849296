/**
 * Structure: cleaned lines -> text blocks (headings, paragraphs, list items, table rows,
 * quotes), with layout wraps joined, page-break splits mended and line-end hyphens resolved.
 * Two readings of the lines: PDF layout (pdf-blocks.ts: sizes, x positions, gaps in line
 * heights) and plain text (text-blocks.ts: blank lines, indents, case). What they share is
 * block-writer.ts (placing a read line in the block being built), headings.ts and tables.ts.
 */
import type { TextBlock } from '../types.js';
import type { Line } from './lines.js';
import { pdfBlocks } from './pdf-blocks.js';
import { textBlocks } from './text-blocks.js';

export interface StructureContext {
  isPdf: boolean;
  /** Lower-cased words of the whole document (for de-hyphenation). */
  docWords?: ReadonlySet<string>;
}

/** Build blocks from cleaned lines, by the reading the document's format needs. */
export function buildBlocks(lines: Line[], ctx: StructureContext): TextBlock[] {
  return ctx.isPdf ? pdfBlocks(lines, ctx.docWords) : textBlocks(lines, ctx.docWords);
}
