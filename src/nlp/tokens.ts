import natural from './natural.js';

const tokenizer = new natural.WordTokenizer();
const stemmer = natural.PorterStemmer;

/** Lower-cased word tokens. */
export function tokenize(text: string): string[] {
  return tokenizer.tokenize(text.toLowerCase().replace(/[’']/g, '')) ?? [];
}

/** Porter stems for tokens (same length). */
export function stems(tokens: string[]): string[] {
  return tokens.map((t) => stemmer.stem(t));
}
