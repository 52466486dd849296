/**
 * Noun phrases of a token sequence, from its part-of-speech tags (nlp/pos.ts): runs of
 * adjectives and nouns that end in a noun ("family time arrangements", "secure base"), with at
 * most one "of" between two nouns ("cost of living", "sense of belonging"). These are the
 * candidate topics of emerging-term discovery: a phrase of two to four words, never a single
 * word, never a verb phrase ("meet their needs", "children are seen").
 */
import { isNounTag, lexiconTags } from '../nlp/pos.js';
import { isStopword } from '../nlp/tokens.js';

/** Words in a phrase, "of" included. */
export const PHRASE_MIN_WORDS = 2;
export const PHRASE_MAX_WORDS = 4;

/** Forms of the auxiliary verbs, which the lexicon also lists as nouns ("a human being"). */
const AUXILIARY = new Set(['being', 'having', 'doing', 'getting']);
const WORD = /^[a-z][a-z-]*[a-z]$/;

/** "childrens" (children's, the tokens drop apostrophes) or "childs": a possessive, which cannot end a noun phrase. */
function possessive(word: string): boolean {
  if (!word.endsWith('s')) return false;
  const base = lexiconTags(word.slice(0, -1));
  return base.includes('NNS') || (lexiconTags(word).length === 0 && base.includes('NN'));
}

/** A gerund the lexicon also knows as a noun or adjective ("living", "housing", "missing"), not "allowing". */
const nominalGerund = (word: string, as: readonly string[]) => lexiconTags(word).some((t) => as.includes(t));

export interface PhraseSpan {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * Every noun phrase span of 2-4 words. `usable(i)` says whether token i may be part of one (the
 * emerging-term stage passes false for words a theme rule matched and for council names).
 * `breakAfter[i]`: punctuation follows token i in the text (see tokenBreaks), so no phrase runs on
 * past it ("children, families"). Spans are listed by start, then end; nested and overlapping
 * spans are all listed.
 */
export function nounPhrases(tokens: readonly string[], tags: readonly string[], usable: (i: number) => boolean = () => true, breakAfter: readonly boolean[] = []): PhraseSpan[] {
  const word = (i: number) => usable(i) && WORD.test(tokens[i]!) && !isStopword(tokens[i]!);
  // A plural noun heads its phrase ("family networks"); before another word it is most often the
  // subject of a verb the tagger took for a noun ("social workers visit"). Possessives may modify.
  const modifier = (i: number) =>
    word(i) &&
    ((isNounTag(tags[i]!) && (!tags[i]!.startsWith('NNS') || possessive(tokens[i]!))) || tags[i]!.startsWith('JJ') || (tags[i] === 'VBG' && nominalGerund(tokens[i]!, ['NN', 'JJ'])));
  const head = (i: number) =>
    word(i) && !possessive(tokens[i]!) && !AUXILIARY.has(tokens[i]!) && (isNounTag(tags[i]!) || (tags[i] === 'VBG' && nominalGerund(tokens[i]!, ['NN'])));
  const out: PhraseSpan[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!modifier(i)) continue;
    let joined = false;
    for (let j = i + 1; j < tokens.length && j - i < PHRASE_MAX_WORDS && !breakAfter[j - 1]; j++) {
      // One "of" between two nouns: "quality of life"; then the phrase goes on after it.
      if (tokens[j] === 'of' && !joined && usable(j) && isNounTag(tags[j - 1]!)) {
        joined = true;
        continue;
      }
      if (head(j) && j + 1 - i >= PHRASE_MIN_WORDS) out.push({ start: i, end: j + 1 });
      if (!modifier(j)) break;
    }
  }
  return out;
}

/**
 * For each token of `text` (as nlp/tokens.ts makes them: lower-cased, apostrophes dropped), whether
 * the text between it and the next token holds more than spaces and hyphens: a comma, a full
 * stop, a bracket, a slash. Tokens are found in order; one that cannot be found breaks nothing.
 */
export function tokenBreaks(text: string, tokens: readonly string[]): boolean[] {
  const lower = text.toLowerCase();
  const out = new Array<boolean>(tokens.length).fill(false);
  let cursor = 0;
  let prevEnd = -1;
  tokens.forEach((tok, k) => {
    // Apostrophes were removed from the token: match its letters with any apostrophes between.
    const at = findToken(lower, tok, cursor);
    if (at === null) return;
    if (k > 0 && prevEnd >= 0 && /[^\s\-\u2010-\u2014'\u2019]/.test(lower.slice(prevEnd, at.start))) out[k - 1] = true;
    cursor = prevEnd = at.end;
  });
  return out;
}

function findToken(text: string, tok: string, from: number): { start: number; end: number } | null {
  const plain = text.indexOf(tok, from);
  // The common case: the token as it is, before any apostrophe form could start.
  if (plain >= 0 && !/['\u2019]/.test(text.slice(from, plain))) return { start: plain, end: plain + tok.length };
  const m = new RegExp(tok.split('').map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join("['\u2019]?"), 'g');
  m.lastIndex = from;
  const hit = m.exec(text);
  return hit ? { start: hit.index, end: hit.index + hit[0].length } : plain >= 0 ? { start: plain, end: plain + tok.length } : null;
}
