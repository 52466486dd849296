/**
 * A document's extracted text, as the outputs cite it: its blocks in reading order separated by a
 * blank line, the sentences of a block by a space. Each sentence records its `start` and `end` in
 * this text (in Unicode code points, as QDA tools and Python count), so the text is rebuilt from
 * the sentences alone and every sentence cuts out of it exactly.
 */

/** Between two blocks. */
export const BLOCK_SEPARATOR = '\n\n';
/** Between two sentences of one block. */
export const SENTENCE_SEPARATOR = ' ';

const SURROGATE = /[\uD800-\uDBFF]/;

/** Length of a string in code points (astral characters count once). */
export function codePointLength(text: string): number {
  if (!SURROGATE.test(text)) return text.length;
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The place fields of a sentence this module reads. */
export interface Placed {
  text: string;
  block: number;
  start: number;
  end: number;
}

/**
 * The extracted text of a document from its sentences (in document order). The gap before a
 * sentence is a blank line when it opens a new block, else spaces (pieces of a sentence split by
 * the length limit keep the original gap). Throws when the places overlap (a bug, never input).
 */
export function documentText(sentences: readonly Placed[]): string {
  const parts: string[] = [];
  let at = 0;
  let block = 0;
  for (const s of sentences) {
    const gap = s.start - at;
    if (gap < 0) throw new Error(`sentence at ${s.start} overlaps the one before (ending at ${at})`);
    if (s.block !== block && at > 0) {
      if (gap !== BLOCK_SEPARATOR.length) throw new Error(`block ${s.block} starts ${gap} characters after the one before, not ${BLOCK_SEPARATOR.length}`);
      parts.push(BLOCK_SEPARATOR);
    } else if (gap) parts.push(' '.repeat(gap));
    parts.push(s.text);
    at = s.end;
    block = s.block;
  }
  return parts.join('');
}
