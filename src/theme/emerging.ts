/**
 * The per-document half of emerging-term discovery (the pipeline's `terms` stage, on whichever
 * thread tags the document): the noun phrases of its evaluative findings that no theme rule
 * covers. The corpus-wide half, which scores them (keyness, rising), is aggregate/emerging.ts.
 */
import { posTags } from '../nlp/pos.js';
import { stems as stemTokens } from '../nlp/tokens.js';
import type { DocumentTerm, ThemedFinding } from '../types.js';
import type { Codebook } from './codebook.js';
import { compileCodebook, findMatches, type CompiledCodebook, type Match } from './matcher.js';
import { nounPhrases, tokenBreaks } from './noun-phrases.js';

/**
 * Spans of a token sequence that theme rules match, after exclusions: a theme phrase, or a part of
 * a co-occurrence rule of a theme the sentence was given (`themes`; a part alone, like "family",
 * makes no theme, so it covers nothing when its rule did not fire). Without `themes`, phrases only.
 */
function coveredSpans(cb: CompiledCodebook, tokens: string[], stemsOf: string[], themes?: ReadonlySet<string>): Match[] {
  const ms = findMatches(cb, tokens, stemsOf);
  const excl = ms.filter((m) => m.pat.role === 'excl');
  const counts = (m: Match) => m.pat.role === 'pos' || (m.pat.role === 'co' && themes !== undefined && themes.has(cb.themes[m.pat.theme]!.id));
  return ms.filter((m) => counts(m) && !excl.some((x) => x.pat.theme === m.pat.theme && x.start < m.end && m.start < x.end));
}

/** Terms whose coverage is remembered per codebook (the vocabulary of a corpus is far smaller). */
const MEMO_MAX = 200_000;
const memos = new WeakMap<CompiledCodebook, Map<string, boolean>>();

/** Is a phrase, on its own, a theme's phrase ("strategy meeting")? */
function coveredBy(cb: CompiledCodebook, term: string): boolean {
  let memo = memos.get(cb);
  if (!memo) memos.set(cb, (memo = new Map()));
  if (memo.size > MEMO_MAX) memo.clear();
  let v = memo.get(term);
  if (v === undefined) {
    const toks = term.split(' ');
    v = coveredSpans(cb, toks, stemTokens(toks)).length > 0;
    memo.set(term, v);
  }
  return v;
}

/**
 * Every noun phrase (2-4 words, see noun-phrases.ts) of the document's evaluative findings that no
 * theme rule covers (none of its words is part of a theme match in the sentence, and the phrase on
 * its own is no theme's phrase), with its occurrence count and the findings holding it, sorted by term.
 */
export function documentTerms(findings: readonly Omit<ThemedFinding, 'clauses'>[], codebook: Codebook): DocumentTerm[] {
  const table = new TermTable(codebook);
  table.add(findings);
  return table.terms();
}

/**
 * documentTerms a slice at a time: add a document's findings in order (a long document one slice
 * after another, so that only one slice's tokens need be held), then read the table.
 */
export class TermTable {
  readonly #cb: CompiledCodebook;
  readonly #table = new Map<string, DocumentTerm>();
  /** Findings added so far: the position in the document of the next slice's first finding. */
  #offset = 0;
  constructor(codebook: Codebook) {
    this.#cb = compileCodebook(codebook);
  }

  add(findings: readonly Omit<ThemedFinding, 'clauses'>[]): void {
    const cb = this.#cb;
    const table = this.#table;
    const offset = this.#offset;
    findings.forEach((f, i) => {
      if (f.code === 'N' || f.tokens.length === 0) return;
      const covered = new Array<boolean>(f.tokens.length).fill(false);
      for (const m of coveredSpans(cb, f.tokens, f.stems, new Set(f.themes.map((t) => t.theme)))) covered.fill(true, m.start, m.end);
      const tags = posTags(f.tokens);
      const seen = new Set<string>();
      for (const span of nounPhrases(f.tokens, tags, (k) => !covered[k], tokenBreaks(f.text, f.tokens))) {
        const term = f.tokens.slice(span.start, span.end).join(' ');
        if (seen.has(term) || coveredBy(cb, term)) continue;
        seen.add(term);
        let t = table.get(term);
        if (!t) table.set(term, (t = { term, count: 0, findings: [] }));
        t.count++;
        t.findings.push(offset + i);
      }
    });
    this.#offset += findings.length;
  }

  /** The terms so far, sorted by term. */
  terms(): DocumentTerm[] {
    return [...this.#table.values()].sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  }
}
