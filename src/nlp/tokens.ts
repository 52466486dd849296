import natural from './natural.js';

const tokenizer = new natural.WordTokenizer();
const stemmer = natural.PorterStemmer;
const APOSTROPHES = /[’']/g;

/** Lower-cased word tokens (natural's word tokenizer; apostrophes removed first: "children’s" -> "childrens"). */
export function tokenize(text: string): string[] {
  return tokenizer.tokenize(text.toLowerCase().replace(APOSTROPHES, '')) ?? [];
}

const STOPWORDS: ReadonlySet<string> = new Set(natural.stopwords.map((w: string) => w.toLowerCase().replace(APOSTROPHES, '')));

/** Is a token (as tokenize makes them) one of natural's English stopwords? */
export const isStopword = (token: string): boolean => STOPWORDS.has(token);

const STEM_CACHE_MAX = 100_000;
const stemCache = new Map<string, string>();

/**
 * Tokens longer than this are not words (a run of characters with no space, a hash, a flattened
 * table): they are their own stem. The Porter stemmer's patterns take time quadratic in a
 * token's length, so a 100,000-character token would take a minute.
 */
const MAX_STEMMED_LENGTH = 40;

/** Porter stem of one token (memoised: the vocabulary of these reports is small). */
export function stem(token: string): string {
  if (token.length > MAX_STEMMED_LENGTH) return token;
  let s = stemCache.get(token);
  if (s === undefined) {
    s = stemmer.stem(token);
    if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
    stemCache.set(token, s);
  }
  return s;
}

/** Porter stems for tokens (same length). */
export function stems(tokens: string[]): string[] {
  return tokens.map(stem);
}
