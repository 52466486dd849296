import { stems, tokenize } from '../nlp/tokens.js';

/** One element of a compiled phrase. */
export type PhraseToken =
  | { kind: 'lemma'; value: string }
  | { kind: 'stem'; value: string }
  | { kind: 'exact'; value: string }
  | { kind: 'prefix'; value: string }
  | { kind: 'gap'; max: number };

export interface ParsedPhrase {
  tokens: PhraseToken[];
  error?: string;
}

/** Longest gap a `*` stands for. */
export const GAP_MAX = 2;
/**
 * Most gaps in one phrase: each gap tries GAP_MAX + 1 lengths, so a phrase costs up to
 * (GAP_MAX + 1) ^ gaps attempts at each position; 3 gaps keep that at 27.
 */
export const MAX_GAPS = 3;

/**
 * Parse a codebook phrase into matchable tokens, using the same tokenizer and stemmer as the
 * sentences (so "children's homes" becomes [stem childrens->children, stem home]).
 */
export function parsePhrase(phrase: string): ParsedPhrase {
  const out: PhraseToken[] = [];
  for (const piece of phrase.trim().split(/\s+/)) {
    if (piece === '*') {
      out.push({ kind: 'gap', max: GAP_MAX });
      continue;
    }
    if (piece.startsWith('~')) {
      const toks = tokenize(piece.slice(1));
      if (toks.length !== 1) return { tokens: [], error: `"${piece}": "~" must be followed by exactly one word` };
      out.push({ kind: 'stem', value: stems(toks)[0] });
      continue;
    }
    if (piece.startsWith('=')) {
      const toks = tokenize(piece.slice(1));
      if (toks.length !== 1) return { tokens: [], error: `"${piece}": "=" must be followed by exactly one word` };
      out.push({ kind: 'exact', value: toks[0] });
      continue;
    }
    if (piece.endsWith('*')) {
      const toks = tokenize(piece.slice(0, -1));
      if (toks.length !== 1 || toks[0].length < 3) return { tokens: [], error: `"${piece}": a prefix needs one word of at least 3 letters before "*"` };
      out.push({ kind: 'prefix', value: toks[0] });
      continue;
    }
    for (const t of tokenize(piece)) out.push({ kind: 'lemma', value: lemma(t) });
  }
  if (!out.length) return { tokens: [], error: 'no words' };
  if (out[0].kind === 'gap' || out[out.length - 1].kind === 'gap') return { tokens: [], error: 'a phrase cannot start or end with the gap "*"' };
  for (let i = 1; i < out.length; i++) if (out[i].kind === 'gap' && out[i - 1].kind === 'gap') return { tokens: [], error: 'two gaps in a row' };
  const gaps = out.filter((t) => t.kind === 'gap').length;
  if (gaps > MAX_GAPS) return { tokens: [], error: `${gaps} gaps "*"; a phrase may have at most ${MAX_GAPS} (split it into several phrases)` };
  return { tokens: out };
}

const lemmaCache = new Map<string, string>();

/**
 * Light inflectional lemma of a lower-cased token: plural / third-person "-s" removed
 * ("referrals" -> "referral", "policies" -> "policy", "childrens" -> "children"), nothing else,
 * so "sufficiently" stays apart from "sufficiency" (unlike Porter stems).
 */
export function lemma(t: string): string {
  let v = lemmaCache.get(t);
  if (v !== undefined) return v;
  v = t;
  if (t.length > 4 && t.endsWith('ies')) v = `${t.slice(0, -3)}y`;
  else if (t.length > 4 && /(sses|ches|shes|xes)$/.test(t)) v = t.slice(0, -2);
  else if (t.length > 3 && t.endsWith('s') && !/(ss|us|is)$/.test(t)) v = t.slice(0, -1);
  if (lemmaCache.size > 200_000) lemmaCache.clear();
  lemmaCache.set(t, v);
  return v;
}

/** Does phrase token `p` match sentence token `tok` / stem `stem`? */
function tokenMatches(p: PhraseToken, tok: string, stem: string, lem: string | undefined): boolean {
  switch (p.kind) {
    case 'lemma':
      return p.value === (lem ?? lemma(tok));
    case 'stem':
      return p.value === stem;
    case 'exact':
      return p.value === tok;
    case 'prefix':
      return tok.startsWith(p.value);
    default:
      return false;
  }
}

/** Match phrase tokens p[pi..] at sentence position ti; returns the end index or -1 (gaps take as few words as possible). */
function matchFrom(p: PhraseToken[], pi: number, tokens: string[], stemsOf: string[], ti: number, lemmasOf: readonly string[] | undefined): number {
  for (; pi < p.length; pi++, ti++) {
    const pt = p[pi];
    if (pt.kind === 'gap') {
      for (let g = 0; g <= pt.max && ti + g <= tokens.length; g++) {
        const r = matchFrom(p, pi + 1, tokens, stemsOf, ti + g, lemmasOf);
        if (r >= 0) return r;
      }
      return -1;
    }
    if (ti >= tokens.length || !tokenMatches(pt, tokens[ti], stemsOf[ti], lemmasOf?.[ti])) return -1;
  }
  return ti;
}

/**
 * Match a phrase at position `start`; returns the end index (exclusive) of the shortest match or -1.
 * Gaps take as few words as possible. `lemmasOf` (optional) is `tokens.map(lemma)`, precomputed by
 * callers that try many phrases on one sentence.
 */
export function matchAt(p: PhraseToken[], tokens: string[], stemsOf: string[], start: number, lemmasOf?: readonly string[]): number {
  return matchFrom(p, 0, tokens, stemsOf, start, lemmasOf);
}
