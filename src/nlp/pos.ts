/**
 * Part-of-speech tags (Penn Treebank tags: NN, NNS, JJ, VBG, IN, ...) for the project's own word
 * tokens (nlp/tokens.ts), from natural's Brill tagger: a lexicon look-up, then contextual
 * transformation rules. One correction: a word the lexicon knows in one part of speech only keeps
 * it (the rules' suffix guesses would make "family" an adverb because it ends in -ly).
 * Loaded on first use (the lexicon is 4 MB); about 20,000 sentences a second.
 */
import natural from './natural.js';
import type { BrillPOSTagger, Lexicon } from 'natural';

let tagger: { brill: BrillPOSTagger; lexicon: Lexicon; entries: Record<string, unknown> } | undefined;

function load() {
  if (!tagger) {
    // Unknown words default to a noun (NN); the tokens are lower-cased, so NNP never applies.
    const lexicon = new natural.Lexicon('EN', 'NN', 'NNP');
    const brill = new natural.BrillPOSTagger(lexicon, new natural.RuleSet('EN'));
    tagger = { brill, lexicon, entries: (lexicon as unknown as { lexicon: Record<string, unknown> }).lexicon };
  }
  return tagger;
}

/** The parts of speech the lexicon lists for a word, most frequent first ([] when it does not know it). */
export function lexiconTags(word: string): readonly string[] {
  // Own-property look-up: the lexicon is a plain object, and "constructor" is a word.
  const { entries } = load();
  const e = Object.prototype.hasOwnProperty.call(entries, word) ? entries[word] : undefined;
  return Array.isArray(e) ? (e as string[]) : [];
}

/** One tag per token, in context. */
export function posTags(tokens: readonly string[]): string[] {
  if (!tokens.length) return [];
  const { brill } = load();
  const tagged = brill.tag([...tokens]).taggedWords;
  return tagged.map((w, i) => {
    const known = lexiconTags(tokens[i]!);
    return known.length === 1 ? known[0]! : w.tag;
  });
}

export const isNounTag = (tag: string): boolean => tag.startsWith('NN');
