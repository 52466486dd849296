import type { ThemeHit } from '../types.js';
import { codebookKey, type Codebook } from './codebook.js';
import { lemma, matchAt, parsePhrase, type PhraseToken } from './phrase.js';
import { compileSectionPattern, type SectionPattern } from './section-pattern.js';

type Role = 'pos' | 'excl' | 'unless' | 'co';

interface Pattern {
  toks: PhraseToken[];
  theme: number;
  role: Role;
  /** For 'co': rule and group index. */
  rule: number;
  group: number;
}

export interface Match {
  pat: Pattern;
  start: number;
  end: number;
}

interface CompiledTheme {
  id: string;
  implies: string[];
  sections: SectionPattern[];
  sectionMode: 'always' | 'fallback';
  cooccur: { groups: number; within?: number }[];
}

/** A codebook's rules compiled into a first-token index, built once per codebook hash. */
export interface CompiledCodebook {
  themes: CompiledTheme[];
  /** Patterns keyed by their first token's lemma, Porter stem or exact word. */
  byLemma: Map<string, Pattern[]>;
  byStem: Map<string, Pattern[]>;
  byExact: Map<string, Pattern[]>;
  /** Patterns whose first token is a prefix (checked at every position). */
  prefixed: Pattern[];
  order: Map<string, number>;
  /** Continuation cues (matched at the first word of a sentence). */
  continuation: { toks: PhraseToken[]; text: string }[];
  anaphora: { toks: PhraseToken[]; text: string }[];
  /** Memo: heading -> for each theme, whether one of its section patterns matches it. */
  sectionHits: Map<string, boolean[]>;
}

const cache = new Map<string, CompiledCodebook>();

/** Compile (or fetch from the cache) a codebook's matchers. */
export function compileCodebook(codebook: Codebook): CompiledCodebook {
  const key = codebookKey(codebook);
  const hit = cache.get(key);
  if (hit) return hit;
  const byLemma = new Map<string, Pattern[]>();
  const byStem = new Map<string, Pattern[]>();
  const byExact = new Map<string, Pattern[]>();
  const prefixed: Pattern[] = [];
  const add = (phrase: string, theme: number, role: Role, rule = -1, group = -1) => {
    const { tokens, error } = parsePhrase(phrase);
    if (error) throw new Error(`theme ${codebook.themes[theme].id}: bad phrase "${phrase}": ${error}`);
    const pat: Pattern = { toks: tokens, theme, role, rule, group };
    const first = tokens[0];
    if (first.kind === 'prefix') prefixed.push(pat);
    else if (first.kind !== 'gap') {
      const index = first.kind === 'stem' ? byStem : first.kind === 'lemma' ? byLemma : byExact;
      let list = index.get(first.value);
      if (!list) index.set(first.value, (list = []));
      list.push(pat);
    }
  };
  const themes: CompiledTheme[] = codebook.themes.map((t, ti) => {
    for (const p of t.phrases) add(p, ti, 'pos');
    for (const p of t.exclude) add(p, ti, 'excl');
    for (const p of t.unless) add(p, ti, 'unless');
    t.cooccur.forEach((r, ri) => r.all.forEach((g, gi) => g.forEach((p) => add(p, ti, 'co', ri, gi))));
    return {
      id: t.id,
      implies: t.implies,
      sections: t.sections.map(compileSectionPattern),
      sectionMode: t.sectionMode,
      cooccur: t.cooccur.map((r) => ({ groups: r.all.length, within: r.within })),
    };
  });
  const continuation = codebook.continuation.map((text) => ({ text, toks: parsePhrase(text).tokens }));
  const anaphora = codebook.anaphora.map((text) => ({ text, toks: parsePhrase(text).tokens }));
  const compiled: CompiledCodebook = { themes, byLemma, byStem, byExact, prefixed, order: new Map(codebook.themes.map((t, i) => [t.id, i])), continuation, anaphora, sectionHits: new Map() };
  if (cache.size > 16) cache.clear();
  cache.set(key, compiled);
  return compiled;
}

/**
 * The last matches found per token array: the theme stage and emerging-term discovery (documentTerms)
 * scan the same finding's tokens one after the other, and the second scan is answered from here.
 * Weak keys: an entry goes with its finding.
 */
const lastMatches = new WeakMap<string[], { cb: CompiledCodebook; stems: string[]; matches: Match[] }>();

/** Every phrase match (positive, exclusion, veto and co-occurrence parts) in a token sequence. */
export function findMatches(cb: CompiledCodebook, tokens: string[], stemsOf: string[]): Match[] {
  const memo = lastMatches.get(tokens);
  if (memo && memo.cb === cb && memo.stems === stemsOf) return memo.matches;
  const matches = scanMatches(cb, tokens, stemsOf);
  lastMatches.set(tokens, { cb, stems: stemsOf, matches });
  return matches;
}

function scanMatches(cb: CompiledCodebook, tokens: string[], stemsOf: string[]): Match[] {
  const out: Match[] = [];
  // Lemmas once per sentence, not once per phrase token tried.
  const lemmasOf = tokens.map(lemma);
  const scan = (list: Pattern[] | undefined, i: number) => {
    if (!list) return;
    for (const pat of list) {
      const end = matchAt(pat.toks, tokens, stemsOf, i, lemmasOf);
      if (end > i) out.push({ pat, start: i, end });
    }
  };
  for (let i = 0; i < tokens.length; i++) {
    scan(cb.byLemma.get(lemmasOf[i]), i);
    scan(cb.byStem.get(stemsOf[i]), i);
    scan(cb.byExact.get(tokens[i]), i);
    if (cb.prefixed.length) scan(cb.prefixed, i);
  }
  return out;
}

/** For each theme, does one of its section patterns match this heading? (Memoised: headings repeat.) */
function sectionHits(cb: CompiledCodebook, heading: string): boolean[] {
  let v = cb.sectionHits.get(heading);
  if (!v) {
    v = cb.themes.map((t) => t.sections.some((re) => re.test(heading)));
    if (cb.sectionHits.size >= 50_000) cb.sectionHits.clear();
    cb.sectionHits.set(heading, v);
  }
  return v;
}

const overlaps = (a: Match, b: Match) => a.start < b.end && b.start < a.end;

/** Theme hits from phrase, co-occurrence and section rules, before implications. */
function ruleHits(cb: CompiledCodebook, tokens: string[], stemsOf: string[], sectionPath: string[]): Map<number, string[]> {
  const byTheme = new Map<number, Match[]>();
  for (const m of findMatches(cb, tokens, stemsOf)) {
    let l = byTheme.get(m.pat.theme);
    if (!l) byTheme.set(m.pat.theme, (l = []));
    l.push(m);
  }
  const surface = (m: Match) => tokens.slice(m.start, m.end).join(' ');
  const hits = new Map<number, string[]>();
  for (const [ti, ms] of byTheme) {
    if (ms.some((m) => m.pat.role === 'unless')) continue;
    const excl = ms.filter((m) => m.pat.role === 'excl');
    const live = ms.filter((m) => (m.pat.role === 'pos' || m.pat.role === 'co') && !excl.some((x) => overlaps(x, m)));
    const terms: string[] = [];
    for (const m of live) if (m.pat.role === 'pos') terms.push(surface(m));
    const rules = cb.themes[ti].cooccur;
    for (let ri = 0; ri < rules.length; ri++) {
      const groups: Match[][] = Array.from({ length: rules[ri].groups }, () => []);
      for (const m of live) if (m.pat.role === 'co' && m.pat.rule === ri) groups[m.pat.group].push(m);
      if (groups.some((g) => !g.length)) continue;
      const within = rules[ri].within;
      for (const anchor of groups[0]) {
        const picks = [anchor];
        let ok = true;
        for (let gi = 1; gi < groups.length && ok; gi++) {
          const near = groups[gi].find((m) => within === undefined || (m.start < anchor.end + within && anchor.start < m.end + within));
          if (near) picks.push(near);
          else ok = false;
        }
        if (ok) {
          terms.push(picks.map(surface).join(' + '));
          break;
        }
      }
    }
    if (terms.length) hits.set(ti, [...new Set(terms)]);
  }
  const phraseHit = hits.size > 0;
  cb.themes.forEach((t, ti) => {
    if (!t.sections.length || (t.sectionMode === 'fallback' && phraseHit)) return;
    const heading = sectionPath.find((h) => sectionHits(cb, h)[ti]);
    if (heading === undefined) return;
    const l = hits.get(ti) ?? [];
    l.push(`section: ${heading}`);
    hits.set(ti, l);
  });
  return hits;
}

/** Themes of a piece of text given its tokens/stems/section path (no label check). */
export function matchThemes(codebook: Codebook, tokens: string[], stemsOf: string[], sectionPath: string[] = []): ThemeHit[] {
  const cb = compileCodebook(codebook);
  const raw = ruleHits(cb, tokens, stemsOf, sectionPath);
  const hits = new Map<string, ThemeHit>();
  for (const [ti, terms] of raw) hits.set(cb.themes[ti].id, { theme: cb.themes[ti].id, terms });
  return withImplications(codebook, hits);
}

/**
 * Add the themes the given ones imply, transitively (a queue, so chains and diamonds work; cycles
 * stop at seen ids), each with 'implied by X' as its term; in codebook order. A theme present in
 * its own right keeps its terms and gains the note.
 */
export function withImplications(codebook: Codebook, hits: Map<string, ThemeHit>): ThemeHit[] {
  const cb = compileCodebook(codebook);
  const own = new Set(hits.keys());
  const queue = [...hits.keys()];
  while (queue.length) {
    const id = queue.shift()!;
    const t = cb.themes[cb.order.get(id)!];
    if (!t) continue;
    for (const imp of t.implies) {
      const existing = hits.get(imp);
      if (existing) {
        if (!existing.terms.includes(`implied by ${id}`) && !own.has(imp)) existing.terms.push(`implied by ${id}`);
        continue;
      }
      hits.set(imp, { theme: imp, terms: [`implied by ${id}`] });
      queue.push(imp);
    }
  }
  return [...hits.values()].sort((a, b) => cb.order.get(a.theme)! - cb.order.get(b.theme)!);
}

/** The continuation (or, with kind 'anaphora', anaphora) cue a sentence starts with ("as a result"), or null. */
export function continuationCue(codebook: Codebook, tokens: string[], stemsOf: string[], kind: 'continuation' | 'anaphora' = 'continuation'): string | null {
  const cb = compileCodebook(codebook);
  for (const c of cb[kind]) {
    const end = matchAt(c.toks, tokens, stemsOf, 0);
    if (end > 0) return tokens.slice(0, end).join(' ');
  }
  return null;
}

/** Minimal view of a sentence for sequence theming. */
export interface ThemeInput {
  tokens: string[];
  stems: string[];
  sectionPath: string[];
  /** False for neutral (N) sentences: they get no themes and break continuation. */
  evaluative: boolean;
  /** True when this sentence directly follows the previous item in its document. */
  adjacent: boolean;
}

/** The sentence just before a slice of a document and its hits, which continuation into the slice reads. */
export interface ThemeCarry {
  item: ThemeInput;
  hits: ThemeHit[];
}

/**
 * Themes of a sequence of sentences of one document, in order: rule hits per sentence, then
 * continuation (a themeless evaluative sentence starting with a continuation cue takes the
 * themes of the adjacent previous evaluative sentence in the same section). A long document can
 * be matched a slice at a time: `before` is the last sentence of the previous slice with its hits,
 * and the hits are those of matching the whole document at once.
 */
export function matchThemeSequence(codebook: Codebook, items: ThemeInput[], before?: ThemeCarry): ThemeHit[][] {
  const out: ThemeHit[][] = [];
  items.forEach((it, i) => {
    if (!it.evaluative) {
      out.push([]);
      return;
    }
    let hits = matchThemes(codebook, it.tokens, it.stems, it.sectionPath);
    const prev = i > 0 ? items[i - 1] : before?.item;
    const prevHits = i > 0 ? out[i - 1]! : (before?.hits ?? []);
    if (prev && it.adjacent && prev.evaluative && prevHits.length && prev.sectionPath.join('\u0000') === it.sectionPath.join('\u0000')) {
      const cue = continuationCue(codebook, it.tokens, it.stems, 'anaphora') ?? (hits.length ? null : continuationCue(codebook, it.tokens, it.stems));
      if (cue) {
        const own = new Set(hits.map((h) => h.theme));
        const order = compileCodebook(codebook).order;
        const carried = prevHits.filter((h) => !own.has(h.theme)).map((h) => ({ theme: h.theme, terms: [`continues previous sentence ("${cue}")`] }));
        hits = [...hits, ...carried].sort((a, b) => order.get(a.theme)! - order.get(b.theme)!);
      }
    }
    out.push(hits);
  });
  return out;
}
