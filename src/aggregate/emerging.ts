/**
 * Emerging themes, corpus-wide: the noun phrases of evaluative findings that no theme covers
 * (theme/emerging.ts lists them per document), scored against the rest of the corpus.
 *
 * - `rising`: phrases raised in a larger share of the recent inspections (the last `recentYears`
 *   calendar years of the corpus) than of the earlier ones. Every inspection counts, in or out of
 *   the comparison window; an inspection counts once however many of its documents use the phrase.
 *   Kept when the rise is significant (G² ≥ 10.83, p < 0.001), the share at least doubles (log2
 *   ratio ≥ 1) and the phrase is used in at least three recent inspections of three councils.
 *   Generic inspection vocabulary ("social workers", "a small number of children") is common in
 *   both periods and fails these tests: no hand list is needed.
 * - `council`: phrases a council's findings in the window use more than the other councils' do
 *   (G² ≥ 3.84, p < 0.05, at least twice as often, in at least two of its sentences).
 *
 * Both lists rank by G², drop a phrase inside a longer one that occurs in exactly the same places,
 * and give example sentences (for rising phrases, from the latest inspections first).
 */
import type { AnalysedDocument, DocumentFinding, DocumentTerm, ThemedFinding } from '../types.js';
import type { Codebook } from '../theme/codebook.js';
import { documentTerms } from '../theme/emerging.js';
import { isStopword, stems as stemTokens, tokenize } from '../nlp/tokens.js';
import { councilName } from './dedupe.js';
import { INSPECTION_NAME_WORDS } from '../vocab/documents.js';
import type { InspectionRecord } from './inspections.js';
import { differenceInterval } from './over-time.js';
import { inspectionDate } from './window.js';
import { CRITICAL_G2, logLikelihood, logRatio } from './keyness.js';

export type EmergingScope = 'rising' | 'council';

/** A phrase no codebook theme covers, scored against the rest of the corpus. */
export interface EmergingTerm {
  scope: EmergingScope;
  /** The council ('' for rising phrases, which are corpus-wide). */
  council: string;
  term: string;
  /** G² keyness (higher = surer that the phrase is over-represented in the target). */
  score: number;
  /** log2 of how many times more often the target uses it (0.5 added to each count). */
  logRatio: number;
  /** Evaluative sentences of the target holding it (each repeated finding once). */
  sentences: number;
  /** Councils whose findings use it (the target's). */
  councils: number;
  /** Rising: inspections using it / all inspections, in the recent and the earlier period, and the first year it appears. */
  recent?: { inspections: number; of: number; from: string };
  earlier?: { inspections: number; of: number; to: string };
  /** Rising: Newcombe's 95% interval for recent share minus earlier share. */
  change?: { low: number; high: number };
  firstYear?: string;
  /** Up to `examples` sentence ids, and the text of the first. */
  examples: string[];
  exampleText: string;
}

export interface EmergingOptions {
  /** Calendar years counted as recent, ending with the latest year of the corpus (default 3). */
  recentYears?: number;
  /** Rising phrases kept (default 50). */
  rising?: number;
  /** Phrases kept per council (default 20). */
  perCouncil?: number;
  /** Example sentence ids per phrase (default 3). */
  examples?: number;
}

/** What emergingTerms reads of the aggregates. */
export interface EmergingInput {
  /** The comparison window's documents (per-council lists). */
  documents: readonly AnalysedDocument[];
  /** Every document (rising phrases). */
  all: { documents: readonly AnalysedDocument[] };
  inspections: readonly InspectionRecord[];
  inspectionOf: Readonly<Record<string, string>>;
  duplicateOf: Readonly<Record<string, string>>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const byScore = (a: EmergingTerm, b: EmergingTerm) => b.score - a.score || cmp(a.term, b.term);

/** A phrase's occurrences: sentence ids, with the inspections and councils they are in. */
interface Occurrences {
  sentences: string[];
  /** The inspection of each sentence (parallel to `sentences`). */
  sentenceInspections: string[];
  /** The council of each sentence (parallel to `sentences`). */
  sentenceCouncils: string[];
  inspections: Set<string>;
  councils: Set<string>;
}

/** A finding with its tokens and stems (recomputed from the text when the record has none). */
function withTokens(f: DocumentFinding | ThemedFinding): Omit<ThemedFinding, 'clauses'> {
  if ('tokens' in f && Array.isArray(f.tokens)) return f as ThemedFinding;
  const tokens = tokenize(f.text);
  return { ...f, tokens, stems: stemTokens(tokens) };
}

/**
 * Documents analysed by the pipeline carry their terms; documents built by hand get them here,
 * once (the rising and the council lists both read them).
 */
function termsOf(d: AnalysedDocument, codebook: Codebook, made: Map<AnalysedDocument, DocumentTerm[]>): DocumentTerm[] {
  if (d.terms) return d.terms;
  let t = made.get(d);
  if (!t) made.set(d, (t = documentTerms(d.findings.map(withTokens), codebook)));
  return t;
}

/**
 * Words that disqualify a phrase: the words of the corpus's council and place names (distinctive,
 * but they say nothing about practice; "of" in "Isle of Wight" is not one), the names of the
 * inspectorate and its frameworks (a phrase with one is about the inspection), and the codebook's
 * own `emergingIgnore` list (empty by default: the statistics filter generic vocabulary).
 */
/** What one emergingTerms call shares between its lists: the excluded words and phrases, and the terms made for hand-built documents. */
interface Context {
  words: Set<string>;
  phrases: Set<string>;
  made: Map<AnalysedDocument, DocumentTerm[]>;
}

function excludedWords(docs: readonly AnalysedDocument[], codebook: Codebook): Context {
  const words = new Set<string>(INSPECTION_NAME_WORDS);
  for (const d of docs) for (const w of tokenize(councilName(d))) if (!isStopword(w)) words.add(w).add(`${w}s`);
  const phrases = new Set<string>();
  for (const entry of codebook.emergingIgnore) {
    const toks = tokenize(entry);
    if (toks.length === 1) words.add(toks[0]!);
    else if (toks.length) phrases.add(toks.join(' '));
  }
  return { words, phrases, made: new Map() };
}

/** Each phrase's occurrences over some documents (repeated findings of an inspection once). */
function collect(docs: readonly AnalysedDocument[], input: EmergingInput, codebook: Codebook, excluded: Context): Map<string, Occurrences> {
  const out = new Map<string, Occurrences>();
  const allowed = new Map<string, boolean>();
  for (const d of [...docs].sort((a, b) => cmp(a.id, b.id))) {
    const inspection = input.inspectionOf[d.id] ?? d.id;
    const council = councilName(d);
    for (const t of termsOf(d, codebook, excluded.made)) {
      let ok = allowed.get(t.term);
      if (ok === undefined) allowed.set(t.term, (ok = !excluded.phrases.has(t.term) && !t.term.split(' ').some((w) => excluded.words.has(w))));
      if (!ok) continue;
      for (const i of t.findings) {
        const f = d.findings[i];
        if (!f || f.id in input.duplicateOf) continue;
        let o = out.get(t.term);
        if (!o) out.set(t.term, (o = { sentences: [], sentenceInspections: [], sentenceCouncils: [], inspections: new Set(), councils: new Set() }));
        o.sentences.push(f.id);
        o.sentenceInspections.push(inspection);
        o.sentenceCouncils.push(council);
        o.inspections.add(inspection);
        o.councils.add(council);
      }
    }
  }
  return out;
}

/**
 * Drop a phrase when a longer phrase containing it has the same counts ("time arrangements"
 * under "family time arrangements"), or when it is a shifted window of a better-ranked phrase of
 * the same length and counts ("living crisis" after "cost of living": both from "cost of living crisis").
 */
function dropSubsumed(list: EmergingTerm[]): EmergingTerm[] {
  const key = (t: EmergingTerm) => `${t.sentences}/${t.recent?.inspections ?? ''}/${t.earlier?.inspections ?? ''}`;
  const inside = (short: string, long: string) => long.length > short.length && ` ${long} `.includes(` ${short} `);
  const overlaps = (a: string[], b: string[]) => {
    for (let k = 1; k < Math.min(a.length, b.length); k++) if (a.slice(-k).join(' ') === b.slice(0, k).join(' ') || b.slice(-k).join(' ') === a.slice(0, k).join(' ')) return true;
    return false;
  };
  const kept: EmergingTerm[] = [];
  for (const t of list) {
    const k = key(t);
    if (list.some((o) => o !== t && key(o) === k && inside(t.term, o.term))) continue;
    if (kept.some((o) => key(o) === k && overlaps(o.term.split(' '), t.term.split(' ')))) continue;
    kept.push(t);
  }
  return kept;
}

/** Rising phrases: recent inspections against earlier ones. */
function risingTerms(input: EmergingInput, codebook: Codebook, excluded: Context, opts: Required<EmergingOptions>): EmergingTerm[] {
  const dateOf = new Map<string, string>();
  for (const r of input.inspections) {
    const d = inspectionDate(r);
    if (d) dateOf.set(r.id, d);
  }
  const years = [...dateOf.values()].map((d) => Number(d.slice(0, 4)));
  if (!years.length) return [];
  const lastYear = Math.max(...years);
  const from = `${lastYear - opts.recentYears + 1}-01-01`;
  const recentIds = new Set([...dateOf].filter(([, d]) => d >= from).map(([id]) => id));
  const nRecent = recentIds.size;
  const nEarlier = dateOf.size - nRecent;
  if (nRecent < 3 || nEarlier < 3) return [];
  const occ = collect(input.all.documents, input, codebook, excluded);
  const out: EmergingTerm[] = [];
  for (const [term, o] of occ) {
    let a = 0;
    let b = 0;
    let first = '';
    for (const id of o.inspections) {
      const d = dateOf.get(id);
      if (!d) continue;
      if (!first || d < first) first = d;
      if (recentIds.has(id)) a++;
      else b++;
    }
    if (a < 3) continue;
    const lr = logRatio(a, nRecent, b, nEarlier);
    const g2 = logLikelihood(a, nRecent, b, nEarlier);
    if (lr < 1 || g2 < CRITICAL_G2.p001) continue;
    const recentCouncils = new Set(o.sentenceCouncils.filter((_, k) => recentIds.has(o.sentenceInspections[k]!)));
    if (recentCouncils.size < 3) continue;
    const change = differenceInterval(a, nRecent, b, nEarlier)!;
    // Examples from the latest inspections first.
    const order = o.sentences.map((id, k) => ({ id, date: dateOf.get(o.sentenceInspections[k]!) ?? '' }));
    const examples = order.sort((x, y) => cmp(y.date, x.date) || cmp(x.id, y.id)).slice(0, opts.examples).map((x) => x.id);
    out.push({
      scope: 'rising',
      council: '',
      term,
      score: round(g2),
      logRatio: round(lr),
      sentences: o.sentences.length,
      councils: o.councils.size,
      recent: { inspections: a, of: nRecent, from },
      earlier: { inspections: b, of: nEarlier, to: `${lastYear - opts.recentYears}-12-31` },
      change: { low: round(change.low), high: round(change.high) },
      firstYear: first.slice(0, 4) || undefined,
      examples,
      exampleText: '',
    });
  }
  out.sort(byScore);
  return dropSubsumed(out.slice(0, opts.rising * 3)).slice(0, opts.rising);
}

/** Per-council phrases: a council's findings in the window against the other councils'. */
function councilTerms(input: EmergingInput, codebook: Codebook, excluded: Context, opts: Required<EmergingOptions>): EmergingTerm[] {
  const docs = [...input.documents].sort((a, b) => cmp(a.id, b.id));
  const evaluative = new Map<string, number>();
  for (const d of docs) {
    const c = councilName(d);
    evaluative.set(c, (evaluative.get(c) ?? 0) + d.findings.filter((f) => f.code !== 'N' && !(f.id in input.duplicateOf)).length);
  }
  const total = [...evaluative.values()].reduce((a, b) => a + b, 0);
  const occ = collect(docs, input, codebook, excluded);
  const byCouncil = new Map<string, EmergingTerm[]>();
  for (const [term, o] of occ) {
    const perCouncil = new Map<string, string[]>();
    o.sentences.forEach((sid, k) => {
      const c = o.sentenceCouncils[k]!;
      if (!perCouncil.has(c)) perCouncil.set(c, []);
      perCouncil.get(c)!.push(sid);
    });
    for (const [council, ids] of perCouncil) {
      const a = ids.length;
      if (a < 2) continue;
      const n1 = evaluative.get(council)!;
      const b = o.sentences.length - a;
      const n2 = total - n1;
      if (n2 <= 0) continue;
      const lr = logRatio(a, n1, b, n2);
      const g2 = logLikelihood(a, n1, b, n2);
      if (lr < 1 || g2 < CRITICAL_G2.p05) continue;
      if (!byCouncil.has(council)) byCouncil.set(council, []);
      byCouncil.get(council)!.push({ scope: 'council', council, term, score: round(g2), logRatio: round(lr), sentences: a, councils: o.councils.size, examples: ids.slice(0, opts.examples), exampleText: '' });
    }
  }
  const out: EmergingTerm[] = [];
  for (const council of [...byCouncil.keys()].sort(cmp)) {
    const list = byCouncil.get(council)!.sort(byScore);
    out.push(...dropSubsumed(list.slice(0, opts.perCouncil * 3)).slice(0, opts.perCouncil));
  }
  return out;
}

/** Rising phrases (ranked), then each council's phrases (councils sorted, each ranked); deterministic. */
export function emergingTerms(input: EmergingInput, codebook: Codebook, options: EmergingOptions = {}): EmergingTerm[] {
  const opts: Required<EmergingOptions> = { recentYears: options.recentYears ?? 3, rising: options.rising ?? 50, perCouncil: options.perCouncil ?? 20, examples: options.examples ?? 3 };
  const excluded = excludedWords(input.all.documents, codebook);
  const terms = [...risingTerms(input, codebook, excluded, opts), ...councilTerms(input, codebook, excluded, opts)];
  const textOf = new Map<string, string>();
  const wanted = new Set(terms.map((t) => t.examples[0]).filter((x): x is string => !!x));
  for (const d of input.all.documents) for (const f of d.findings) if (wanted.has(f.id)) textOf.set(f.id, f.text);
  for (const t of terms) t.exampleText = t.examples[0] ? (textOf.get(t.examples[0]) ?? '') : '';
  return terms;
}
