/**
 * The sentence-length limit (`--max-sentence-chars`), applied between segment and tag: an
 * over-long sentence (usually a flattened table, or text without punctuation) is split at a clause,
 * then word, boundary; no text is dropped.
 */
import type { SegmentedDocument, Sentence } from '../types.js';
import type { LimitHit } from '../limits.js';
import { codePointLength } from './text.js';

const MIN_CUT_FRACTION = 0.5;

/** Split one over-long text into pieces of at most `max` characters at a clause, then word, boundary. */
export function splitLongText(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const floor = Math.floor(max * MIN_CUT_FRACTION);
    let cut = -1;
    // Prefer a clause boundary: ; or : or , followed by a space.
    for (const sep of ['; ', ': ', ', ']) {
      const at = window.lastIndexOf(sep);
      if (at >= floor && at + 1 <= max) {
        cut = at + 1;
        break;
      }
    }
    if (cut < 0) {
      const at = window.lastIndexOf(' ');
      if (at >= floor) cut = at;
    }
    if (cut < 0) cut = max;
    out.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * Apply the sentence-length limit between segment and tag: over-long sentences (usually a
 * flattened table or text with no punctuation) are split into pieces, re-tokenised and the
 * document's sentences re-numbered. Returns the document unchanged when nothing is over-long.
 * `nlp` is the segmenter's tokeniser (src/nlp/tokens.ts), passed in so this module stays light.
 */
export interface Tokeniser {
  tokenize(text: string): string[];
  stems(tokens: string[]): string[];
}

export function applySentenceLimit(doc: SegmentedDocument, maxChars: number, nlp: Tokeniser): { doc: SegmentedDocument; hit?: LimitHit } {
  if (!(maxChars > 0) || !doc.sentences.some((s) => s.text.length > maxChars)) return { doc };
  const sentences: Sentence[] = [];
  let count = 0;
  let pieces = 0;
  let longest = 0;
  for (const s of doc.sentences) {
    if (s.text.length <= maxChars) {
      const index = sentences.length;
      sentences.push(index === s.index ? s : { ...s, index, id: `${s.doc}#${index}` });
      continue;
    }
    count++;
    longest = Math.max(longest, s.text.length);
    // Each piece is a trimmed slice of the sentence: found in order, it keeps its place in the text.
    let from = 0;
    for (const text of splitLongText(s.text, maxChars)) {
      const index = sentences.length;
      const tokens = nlp.tokenize(text);
      const at = s.text.indexOf(text, from);
      from = at + text.length;
      const start = s.start + codePointLength(s.text.slice(0, at));
      sentences.push({ ...s, index, id: `${s.doc}#${index}`, text, start, end: start + codePointLength(text), tokens, stems: nlp.stems(tokens) });
      pieces++;
    }
  }
  return {
    doc: { ...doc, sentences },
    hit: { file: doc.file, limit: 'maxSentenceChars', count, pieces, longest },
  };
}
