import type { IngestedDocument, SegmentedDocument, Section, Sentence, TextBlock } from '../types.js';
import { stems, tokenize } from '../nlp/tokens.js';
import { splitSentences } from './sentences.js';
import { BLOCK_SEPARATOR, SENTENCE_SEPARATOR, codePointLength } from './text.js';

export { splitSentences } from './sentences.js';
export { documentText, codePointLength } from './text.js';

/** Quoted spans: ‘…’, “…”, "…" and '…' (an apostrophe inside a word does not close a quote). */
const QUOTE_SPANS = /‘(?:[^’]|’(?=\p{L}))*’|“[^”]*”|"[^"]*"|(?<!\p{L})'(?:[^']|'(?=\p{L}))*'(?!\p{L})/gu;
const QUOTE_CHAR = /[‘“"']/;
const SPACES = /\s+/g;

/** Share of a text's non-space characters that sit inside quotation marks. */
function quotedShare(text: string): number {
  // Every quoted span starts with one of these: most sentences have none.
  if (!QUOTE_CHAR.test(text)) return 0;
  let inside = 0;
  QUOTE_SPANS.lastIndex = 0;
  for (const m of text.matchAll(QUOTE_SPANS)) inside += m[0].replace(SPACES, '').length;
  const total = text.replace(SPACES, '').length;
  return total ? inside / total : 0;
}

/** Stage 2: split a document's blocks into sentences, each with its section path. */
export function segment(doc: IngestedDocument): SegmentedDocument {
  const sections: Section[] = [];
  const sentences: Sentence[] = [];
  let path: string[] = [];
  let levels: number[] = [];
  // Place in the extracted text (segment/text.ts): blocks a blank line apart, sentences a space.
  let at = 0;
  let blockNo = 0;
  let firstInBlock = true;
  const push = (block: TextBlock, text: string, isQuote: boolean) => {
    const tokens = tokenize(text);
    const index = sentences.length;
    if (index > 0) at += firstInBlock ? BLOCK_SEPARATOR.length : SENTENCE_SEPARATOR.length;
    firstInBlock = false;
    const start = at;
    at += codePointLength(text);
    sentences.push({
      id: `${doc.id}#${index}`,
      doc: doc.id,
      index,
      text,
      sectionPath: path,
      blockKind: block.kind,
      isListItem: block.kind === 'list_item',
      isQuote,
      isHeading: block.kind === 'heading',
      page: block.page,
      block: blockNo,
      start,
      end: at,
      tokens,
      stems: stems(tokens),
    });
  };
  for (const block of doc.blocks) {
    blockNo++;
    firstInBlock = true;
    if (block.kind === 'heading') {
      const level = block.level ?? 1;
      // Keep the enclosing headings of a lower level; a heading replaces its level and deeper ones.
      const keep = levels.findIndex((l) => l >= level);
      const cut = keep < 0 ? levels.length : keep;
      levels = [...levels.slice(0, cut), level];
      path = [...path.slice(0, cut), block.text];
      sections.push({ index: sections.length, heading: block.text, level, path });
      push(block, block.text, !!block.quoted);
      continue;
    }
    if (block.kind === 'table_row') {
      push(block, block.text, !!block.quoted);
      continue;
    }
    const parts = splitSentences(block.text);
    // A sentence inside a quotation that spans several sentences: track the open quote.
    let open = false;
    for (const text of parts) {
      const share = quotedShare(text);
      const startsOpen = /^['‘“"]/.test(text);
      const closes = /['’”"][)\].,;:!?]*$/.test(text) || /[.!?]['’”"]$/.test(text);
      const isQuote = !!block.quoted || share >= 0.6 || open || (startsOpen && !closes && parts.length > 1);
      if (startsOpen && !closes) open = true;
      else if (open && closes) {
        push(block, text, true);
        open = false;
        continue;
      }
      push(block, text, isQuote);
    }
  }
  const { blocks: _blocks, ...rest } = doc;
  return { ...rest, sections, sentences };
}
