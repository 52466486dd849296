/**
 * Eval units as Sentence records when their source document is not available: headings guessed
 * from the units' own shape (src/eval/align.ts places units in their sources when it can).
 */
import { makeSentence } from '../segment/sentence.js';
import type { Sentence } from '../types.js';
import { JUDGEMENT } from '../vocab/grades.js';
import type { EvalUnit } from './data.js';


const FINAL_STOP_RE = /[.!;,:]["'”’)]?\s*$/;
const STARTS_UPPER_RE = /^["'“‘(]?[A-Z0-9]/;

/**
 * Does an eval unit look like a heading? Short, no final full stop (a question mark is allowed:
 * "What needs to improve?"), starting with a capital — what the segmenter treats as a heading.
 */
export function looksLikeHeading(text: string): boolean {
  const t = text.trim();
  if (!t || FINAL_STOP_RE.test(t) || !STARTS_UPPER_RE.test(t)) return false;
  const words = t.split(/\s+/);
  // A unit cut at a page break ends on a function word or adverb: not a heading.
  if (words.length > 1 && FRAGMENT_END_RE.test(words[words.length - 1])) return false;
  if (words.length <= 12) return true;
  // Graded headings: "The experiences and progress of ...: requires improvement to be good".
  return words.length <= 24 && GRADED_HEADING_RE.test(t);
}

const FRAGMENT_END_RE =
  /^(?:the|a|an|of|and|or|but|to|in|on|at|by|for|with|from|is|are|was|were|be|being|been|has|have|had|that|which|who|this|these|their|its|as|than|either|[a-z]+ly)$/;
const GRADED_HEADING_RE = new RegExp(`:\\s*(?:${JUDGEMENT})\\s*$`, 'i');

/** Build Sentence records for one document's units (in order), with headings and section paths. */
export function unitsToSentences(units: EvalUnit[]): Sentence[] {
  let path: string[] = [];
  return units.map((u, index) => {
    const isHeading = looksLikeHeading(u.text);
    if (isHeading) path = [u.text.trim()];
    return makeSentence({ id: `${u.doc}#${u.i}`, doc: u.doc, index, text: u.text, sectionPath: path, blockKind: isHeading ? 'heading' : 'paragraph' });
  });
}

