import natural from '../nlp/natural.js';
import { stems as stemTokens } from '../nlp/tokens.js';
import type { AnalysedDocument } from '../types.js';
import type { Codebook } from './codebook.js';
import { compileCodebook, findMatches, type CompiledCodebook } from './matcher.js';

/** A distinctive word or phrase that no codebook theme covers. */
export interface EmergingTerm {
  /** Council name, or '' for the whole corpus. */
  council: string;
  term: string;
  /** TF-IDF score (higher = more distinctive). */
  score: number;
  /** Evaluative sentences containing the term. */
  sentences: number;
  /** Up to a few sentence ids as examples. */
  examples: string[];
}

export interface EmergingOptions {
  /** Terms kept per council (default 20). */
  perCouncil?: number;
  /** Terms kept for the whole corpus (default 50). */
  overall?: number;
  /** A term must occur in at least this many evaluative sentences of its scope (default 2; 3 overall). */
  minSentences?: number;
  /** Example sentence ids per term (default 3). */
  examples?: number;
}

/** Columns of outputs/emerging_terms.csv, in order (see emergingRows). */
export const EMERGING_COLUMNS = ['scope', 'council', 'term', 'words', 'score', 'sentences', 'examples'] as const;

/** Rows for outputs/emerging_terms.csv matching EMERGING_COLUMNS (scope 'overall' has council ''). */
export function emergingRows(terms: EmergingTerm[]): (string | number)[][] {
  return terms.map((t) => [t.council ? 'council' : 'overall', t.council, t.term, t.term.split(' ').length, t.score.toFixed(4), t.sentences, t.examples.join(';')]);
}

const STOP = new Set(natural.stopwords.map((w: string) => w.toLowerCase().replace(/[’']/g, '')));
const WORD = /^[a-z][a-z-]*[a-z]$/;

interface Occ {
  count: number;
  sentenceIds: string[];
}

/** Candidate unigrams and 2-3-grams of a sentence: no stopwords at the edges, content words only. */
function candidates(tokens: string[], ignore: Set<string>): string[] {
  const out: string[] = [];
  const content = tokens.map((t) => WORD.test(t) && t.length >= 3 && !STOP.has(t) && !ignore.has(t));
  const plain = tokens.map((t) => STOP.has(t));
  for (let i = 0; i < tokens.length; i++) {
    if (!content[i]) continue;
    out.push(tokens[i]);
    if (i + 1 < tokens.length && content[i + 1]) out.push(`${tokens[i]} ${tokens[i + 1]}`);
    if (i + 2 < tokens.length && content[i + 2] && (content[i + 1] || plain[i + 1])) out.push(`${tokens[i]} ${tokens[i + 1]} ${tokens[i + 2]}`);
  }
  return out;
}

/** Is a candidate term matched by any theme's phrase or co-occurrence part? */
function coveredBy(cb: CompiledCodebook, term: string, memo: Map<string, boolean>): boolean {
  let v = memo.get(term);
  if (v === undefined) {
    const toks = term.split(' ');
    v = findMatches(cb, toks, stemTokens(toks)).some((m) => m.pat.role === 'pos' || m.pat.role === 'co');
    memo.set(term, v);
  }
  return v;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const byScore = (a: EmergingTerm, b: EmergingTerm) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);

/** Drop a term when a longer kept term containing it occurs in the same sentences (e.g. "looked" under "looked after"). */
function dropSubsumed(list: EmergingTerm[]): EmergingTerm[] {
  return list.filter((t) => !list.some((o) => o !== t && o.term.length > t.term.length && ` ${o.term} `.includes(` ${t.term} `) && o.sentences === t.sentences));
}

/**
 * Emerging terms: distinctive words and 2-3-word phrases of evaluative sentences that no theme covers.
 * One natural TfIdf document per council (all its evaluative sentences' candidate terms); a council's
 * terms are ranked by TF-IDF, the overall list by the sum of councils' TF-IDF. Sorted by council
 * ('' = overall first), then score descending, then term.
 */
export function emergingTerms(documents: AnalysedDocument[], codebook: Codebook, opts: EmergingOptions = {}): EmergingTerm[] {
  const perCouncil = opts.perCouncil ?? 20;
  const overallN = opts.overall ?? 50;
  const minSent = opts.minSentences ?? 2;
  const nEx = opts.examples ?? 3;
  const cb = compileCodebook(codebook);
  const ignore = new Set(codebook.emergingIgnore.map((w) => w.toLowerCase()));
  const memo = new Map<string, boolean>();

  const councils = new Map<string, Map<string, Occ>>();
  const docs = [...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const d of docs) {
    const council = d.meta.council || '(unknown council)';
    let occ = councils.get(council);
    if (!occ) councils.set(council, (occ = new Map()));
    for (const f of d.findings) {
      if (f.code === 'N') continue;
      const seen = new Set<string>();
      for (const term of candidates(f.tokens, ignore)) {
        if (coveredBy(cb, term, memo)) continue;
        let o = occ.get(term);
        if (!o) occ.set(term, (o = { count: 0, sentenceIds: [] }));
        o.count++;
        if (!seen.has(term)) {
          seen.add(term);
          o.sentenceIds.push(f.id);
        }
      }
    }
  }
  const names = [...councils.keys()].sort();
  const tfidf = new natural.TfIdf();
  for (const name of names) {
    const terms: string[] = [];
    for (const [term, o] of [...councils.get(name)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) for (let i = 0; i < o.count; i++) terms.push(term);
    tfidf.addDocument(terms, name);
  }

  const result: EmergingTerm[] = [];
  const overall = new Map<string, { score: number; sentences: number; examples: string[] }>();
  names.forEach((name, di) => {
    const occ = councils.get(name)!;
    const list: EmergingTerm[] = [];
    for (const [term, o] of occ) {
      const score = round(tfidf.tfidf([term], di));
      const all = overall.get(term) ?? { score: 0, sentences: 0, examples: [] };
      all.score += score;
      all.sentences += o.sentenceIds.length;
      if (all.examples.length < nEx) all.examples.push(...o.sentenceIds.slice(0, nEx - all.examples.length));
      overall.set(term, all);
      if (o.sentenceIds.length < minSent || score <= 0) continue;
      list.push({ council: name, term, score, sentences: o.sentenceIds.length, examples: o.sentenceIds.slice(0, nEx) });
    }
    list.sort(byScore);
    result.push(...dropSubsumed(list.slice(0, perCouncil * 3)).slice(0, perCouncil));
  });
  const minAll = Math.max(minSent, opts.minSentences === undefined ? 3 : minSent);
  const all: EmergingTerm[] = [];
  for (const [term, o] of overall) {
    if (o.sentences < minAll || o.score <= 0) continue;
    all.push({ council: '', term, score: round(o.score), sentences: o.sentences, examples: o.examples });
  }
  all.sort(byScore);
  const top = dropSubsumed(all.slice(0, overallN * 3)).slice(0, overallN);
  return [...top, ...result];
}
