import natural from '../nlp/natural.js';
import { stems as stemTokens, tokenize } from '../nlp/tokens.js';
import type { AnalysedDocument, DocumentFinding, DocumentTerm, ThemedFinding } from '../types.js';
import type { Codebook } from './codebook.js';
import { compileCodebook, findMatches, type CompiledCodebook, type Match } from './matcher.js';

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

/**
 * Candidate unigrams and 2-3-grams of a sentence. Words must be alphabetic, 3+ letters, not
 * stopwords and not already matched by a theme rule in this sentence; a trigram may have a
 * stopword in the middle ("quality of supervision"). The ignore list drops a word on its own, and
 * a phrase when it is listed or all its words are ignored ("young people"), but not "young carers".
 */
function candidates(tokens: string[], ignore: Set<string>, covered: boolean[]): string[] {
  const out: string[] = [];
  const content = tokens.map((t, i) => !covered[i] && WORD.test(t) && t.length >= 3 && !STOP.has(t));
  const plain = tokens.map((t, i) => !covered[i] && STOP.has(t));
  const keep = (words: string[]) => !ignore.has(words.join(' ')) && words.some((w) => !STOP.has(w) && !ignore.has(w));
  for (let i = 0; i < tokens.length; i++) {
    if (!content[i]) continue;
    if (!ignore.has(tokens[i])) out.push(tokens[i]);
    if (i + 1 < tokens.length && content[i + 1] && keep([tokens[i], tokens[i + 1]])) out.push(`${tokens[i]} ${tokens[i + 1]}`);
    if (i + 2 < tokens.length && content[i + 2] && (content[i + 1] || plain[i + 1]) && keep([tokens[i], tokens[i + 1], tokens[i + 2]]))
      out.push(`${tokens[i]} ${tokens[i + 1]} ${tokens[i + 2]}`);
  }
  return out;
}

/** Spans of a token sequence that theme rules match (phrase or co-occurrence part, after exclusions). */
function coveredSpans(cb: CompiledCodebook, tokens: string[], stemsOf: string[]): Match[] {
  const ms = findMatches(cb, tokens, stemsOf);
  const excl = ms.filter((m) => m.pat.role === 'excl');
  return ms.filter((m) => (m.pat.role === 'pos' || m.pat.role === 'co') && !excl.some((x) => x.pat.theme === m.pat.theme && x.start < m.end && m.start < x.end));
}

/** Is a candidate term matched by any theme's phrase or co-occurrence part? */
function coveredBy(cb: CompiledCodebook, term: string, memo: Map<string, boolean>): boolean {
  let v = memo.get(term);
  if (v === undefined) {
    const toks = term.split(' ');
    v = coveredSpans(cb, toks, stemTokens(toks)).length > 0;
    memo.set(term, v);
  }
  return v;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const byScore = (a: EmergingTerm, b: EmergingTerm) => b.score - a.score || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0);

/**
 * Drop a term when a longer term containing it occurs in the same sentences ("looked" under
 * "looked after"), or when it is a shifted window of a better-ranked phrase of the same length and
 * sentences ("targeted area inspection" after "joint targeted area": both come from one longer phrase).
 */
function dropSubsumed(list: EmergingTerm[]): EmergingTerm[] {
  const kept: EmergingTerm[] = [];
  const shifted = (a: string[], b: string[]) => a.length > 1 && a.length === b.length && a.slice(1).join(' ') === b.slice(0, -1).join(' ');
  for (const t of list) {
    const w = t.term.split(' ');
    if (list.some((o) => o !== t && o.term.length > t.term.length && ` ${o.term} `.includes(` ${t.term} `) && o.sentences === t.sentences)) continue;
    if (kept.some((o) => o.sentences === t.sentences && (shifted(o.term.split(' '), w) || shifted(w, o.term.split(' '))))) continue;
    kept.push(t);
  }
  return kept;
}

/** A finding with its tokens and stems (recomputed from the text when the record has none). */
function withTokens(f: DocumentFinding | ThemedFinding): ThemedFinding {
  if ('tokens' in f && Array.isArray(f.tokens)) return f as ThemedFinding;
  const tokens = tokenize(f.text);
  return { ...f, tokens, stems: stemTokens(tokens) };
}

/** A codebook's emerging-term context (compiled matchers, ignore list, coverage memo), built once per codebook. */
interface TermContext {
  cb: CompiledCodebook;
  ignore: Set<string>;
  memo: Map<string, boolean>;
}
const contexts = new WeakMap<CompiledCodebook, TermContext>();
/** Terms whose coverage is remembered per codebook (the vocabulary of a corpus is far smaller). */
const MEMO_MAX = 200_000;
function termContext(codebook: Codebook): TermContext {
  // Keyed by the compiled codebook, so it lives and goes with compileCodebook's own cache entry.
  const cb = compileCodebook(codebook);
  let c = contexts.get(cb);
  if (!c) contexts.set(cb, (c = { cb, ignore: new Set(codebook.emergingIgnore.map((w) => w.toLowerCase())), memo: new Map() }));
  if (c.memo.size > MEMO_MAX) c.memo.clear();
  return c;
}

/**
 * The per-document half of emerging-term discovery (the pipeline's `terms` stage, on whichever
 * thread tags the document): every candidate term of the evaluative findings that no theme
 * rule covers, with its occurrence count and the findings holding it, sorted by term. Uses the
 * codebook's ignore list only; council names are dropped corpus-wide by emergingTerms.
 */
export function documentTerms(findings: readonly ThemedFinding[], codebook: Codebook): DocumentTerm[] {
  const { cb, ignore, memo } = termContext(codebook);
  const table = new Map<string, DocumentTerm>();
  findings.forEach((f, i) => {
    if (f.code === 'N') return;
    const covered = new Array<boolean>(f.tokens.length).fill(false);
    for (const m of coveredSpans(cb, f.tokens, f.stems)) covered.fill(true, m.start, m.end);
    for (const term of candidates(f.tokens, ignore, covered)) {
      if (coveredBy(cb, term, memo)) continue;
      let t = table.get(term);
      if (!t) table.set(term, (t = { term, count: 0, findings: [] }));
      t.count++;
      if (t.findings[t.findings.length - 1] !== i) t.findings.push(i);
    }
  });
  return [...table.values()].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
}

/**
 * candidates() with a wider ignore list, applied afterwards to a term it produced with a narrower
 * one (the codebook's): a unigram is dropped when ignored, a phrase when listed or when all its
 * non-stopwords are ignored. Equivalent to having used the wider list in candidates().
 */
function keptBy(term: string, ignore: Set<string>): boolean {
  if (ignore.has(term)) return false;
  const words = term.split(' ');
  return words.length === 1 || words.some((w) => !STOP.has(w) && !ignore.has(w));
}

/**
 * Emerging terms: distinctive words and 2-3-word phrases of evaluative sentences that no theme covers.
 * One natural TfIdf document per council (all its evaluative sentences' candidate terms); a council's
 * terms are ranked by TF-IDF x words in the term, the overall list by the sum of councils' scores. Sorted by council
 * ('' = overall first), then score descending, then term.
 */
export function emergingTerms(documents: AnalysedDocument[], codebook: Codebook, opts: EmergingOptions = {}): EmergingTerm[] {
  const perCouncil = opts.perCouncil ?? 20;
  const overallN = opts.overall ?? 50;
  const minSent = opts.minSentences ?? 2;
  const nEx = opts.examples ?? 3;
  const ignore = new Set(codebook.emergingIgnore.map((w) => w.toLowerCase()));
  // Council and place names are distinctive but say nothing about practice.
  for (const d of documents) for (const w of tokenize(d.meta.council)) ignore.add(w).add(`${w}s`);

  const docs = [...documents].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Documents analysed by the pipeline carry their table; others (built by hand) get one here,
  // from tokens recomputed from the text as the segment stage makes them.
  const tables = docs.map((d) => d.terms ?? documentTerms(d.findings.map(withTokens), codebook));
  // A term in fewer than minSent evaluative sentences of the whole corpus can enter no list (a
  // council's list needs minSent of its own sentences, the overall list at least as many): most
  // candidates are such one-offs, so they are counted first and left out of everything after.
  const corpusSentences = new Map<string, number>();
  for (const table of tables) for (const t of table) corpusSentences.set(t.term, (corpusSentences.get(t.term) ?? 0) + t.findings.length);

  const councils = new Map<string, Map<string, Occ>>();
  docs.forEach((d, di) => {
    const council = d.meta.council || '(unknown council)';
    let occ = councils.get(council);
    if (!occ) councils.set(council, (occ = new Map()));
    for (const t of tables[di]) {
      if (corpusSentences.get(t.term)! < minSent || !keptBy(t.term, ignore)) continue;
      let o = occ.get(t.term);
      if (!o) occ.set(t.term, (o = { count: 0, sentenceIds: [] }));
      o.count += t.count;
      for (const i of t.findings) o.sentenceIds.push(d.findings[i].id);
    }
  });
  const names = [...councils.keys()].sort();
  // A term's TF-IDF depends only on its own counts (tf) and on how many councils use it (idf), so
  // leaving the one-offs out of natural's documents changes no remaining score.
  const tfidf = new natural.TfIdf();
  for (const name of names) {
    // natural's frequency-map form of a document (what addDocument builds from a list of repeated
    // terms: __key, then each term's count, in sorted term order), without the repeated list.
    const doc: Record<string, unknown> = { __key: name };
    for (const [term, o] of [...councils.get(name)!.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) doc[term] = o.count;
    tfidf.addDocument(doc as Record<string, string>);
  }

  const result: EmergingTerm[] = [];
  const overall = new Map<string, { score: number; sentences: number; examples: string[] }>();
  names.forEach((name, di) => {
    const occ = councils.get(name)!;
    const list: EmergingTerm[] = [];
    for (const [term, o] of occ) {
      // natural's TF-IDF, times the number of words: a repeated phrase says more than a repeated word.
      const score = round(tfidf.tfidf([term], di) * term.split(' ').length);
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
