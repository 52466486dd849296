/**
 * Rule layer of the tagger: clause splitting, cue matching with negation / hedge scope,
 * comparatives, grade words, boilerplate and planning language. Pure functions, all patterns
 * compiled once at module load.
 */
import type { Evidence, LabelCode } from '../types.js';
import {
  BOILERPLATE_RES,
  COMPARATIVE_CUES,
  CONTRAST_MARKERS,
  FLIPPERS,
  GRADE_RES,
  HEDGE_MAJORITY,
  HEDGE_MINORITY,
  HEDGE_SOME,
  IMPROVEMENT_CUES,
  NEGATION_CANCEL,
  NEGATORS,
  NEG_SCOPE,
  NEUTRAL_PHRASES,
  REVERSERS,
  PLANNING_CUES,
  SCOPE_BREAK,
  STRONG_MAJORITY,
  STRENGTH_CUES,
  AUXILIARIES,
  CONDITIONAL_WORDS,
  INTENSIFIERS as INTENSIFIER_WORDS,
  RELATIVE_WORDS,
  type Polarity,
} from './lexicon.js';

// ---------------------------------------------------------------- phrase matcher

type EntryType = 'S' | 'I' | 'neg' | 'rev' | 'null' | 'hedgeMin' | 'hedgeMaj' | 'hedgeSome' | 'plan';

interface Entry {
  phrase: string;
  toks: string[];
  type: EntryType;
  kind: string;
  weight: number;
  flipper: boolean;
}

export interface Match {
  entry: Entry;
  start: number;
  end: number; // exclusive
}

const FLIPPER_SET = new Set(FLIPPERS);
const STRONG_MAJORITY_SET = new Set(STRONG_MAJORITY);
const CANCEL_SET = new Set(NEGATION_CANCEL);
const BREAK_SET = new Set([...SCOPE_BREAK, ',']);
/** A negator right after one of these is a condition ("if this is not possible"), not a judgement. */
const RELATIVE_SET = new Set(RELATIVE_WORDS);
const CONDITIONAL_SET = new Set(CONDITIONAL_WORDS);
/** Frequency adverbs directly before a negative cue intensify it ("consistently missed"). */
const INTENSIFIERS = new Set(INTENSIFIER_WORDS);

const AUX_RE = new RegExp(`^(?:${AUXILIARIES.join('|')}) (?=not )`);

function buildEntries(): Entry[] {
  const out: Entry[] = [];
  const add = (phrase: string, type: EntryType, kind: string, weight: number) =>
    out.push({ phrase, toks: phrase.split(' '), type, kind, weight, flipper: FLIPPER_SET.has(phrase.replace(AUX_RE, '')) });
  for (const c of STRENGTH_CUES) add(c.phrase, 'S', c.kind ?? 'cue', c.weight);
  for (const c of IMPROVEMENT_CUES) {
    add(c.phrase, 'I', c.kind ?? 'cue', c.weight);
    // "are not always", "has not yet": the auxiliary belongs to the cue, not to a bare negator.
    if (c.phrase.startsWith('not ')) for (const aux of AUXILIARIES) add(`${aux} ${c.phrase}`, 'I', c.kind ?? 'cue', c.weight);
  }
  for (const c of COMPARATIVE_CUES) add(c.phrase, 'I', c.kind ?? 'comparative', c.weight);
  for (const p of NEGATORS) add(p, 'neg', 'negation', 1.5);
  for (const p of HEDGE_MINORITY) add(p, 'hedgeMin', 'hedge', 0);
  for (const p of HEDGE_MAJORITY) add(p, 'hedgeMaj', 'hedge', 0);
  for (const p of HEDGE_SOME) add(p, 'hedgeSome', 'hedge', 0);
  for (const p of PLANNING_CUES) add(p, 'plan', 'planning', 1.5);
  for (const p of REVERSERS) add(p, 'rev', 'negation', 0);
  for (const p of NEUTRAL_PHRASES) add(p, 'null', 'neutral', 0);
  return out;
}

const ENTRIES = buildEntries();
const EXACT = new Map<string, Entry[]>();
const PREFIX: { prefix: string; entries: Entry[] }[] = [];
for (const e of ENTRIES) {
  const first = e.toks[0];
  if (first.endsWith('*')) {
    const prefix = first.slice(0, -1);
    let slot = PREFIX.find((p) => p.prefix === prefix);
    if (!slot) PREFIX.push((slot = { prefix, entries: [] }));
    slot.entries.push(e);
  } else {
    if (!EXACT.has(first)) EXACT.set(first, []);
    EXACT.get(first)!.push(e);
  }
}
// Longest phrases first; for equal length, the stronger (and evaluative before function) entry.
const TYPE_RANK: Record<EntryType, number> = { null: -1, I: 0, S: 1, neg: 2, rev: 3, hedgeMin: 4, hedgeMaj: 5, hedgeSome: 6, plan: 7 };
const byPriority = (a: Entry, b: Entry) =>
  b.toks.length - a.toks.length || TYPE_RANK[a.type] - TYPE_RANK[b.type] || b.weight - a.weight;
for (const list of EXACT.values()) list.sort(byPriority);
for (const p of PREFIX) p.entries.sort(byPriority);
/** Prefix entries indexed by their first three letters (every prefix pattern has at least three). */
const PREFIX_BY_HEAD = new Map<string, { prefix: string; entries: Entry[] }[]>();
for (const p of PREFIX) {
  if (p.prefix.length < 3) throw new Error(`lexicon prefix pattern too short: ${p.prefix}*`);
  const head = p.prefix.slice(0, 3);
  if (!PREFIX_BY_HEAD.has(head)) PREFIX_BY_HEAD.set(head, []);
  PREFIX_BY_HEAD.get(head)!.push(p);
}

const tokMatches = (pattern: string, tok: string) =>
  pattern.endsWith('*') ? tok.startsWith(pattern.slice(0, -1)) : pattern === tok;

function matchAt(tokens: string[], pos: number, e: Entry): boolean {
  if (pos + e.toks.length > tokens.length) return false;
  for (let j = 0; j < e.toks.length; j++) if (!tokMatches(e.toks[j], tokens[pos + j])) return false;
  return true;
}

const NO_PREFIX: { prefix: string; entries: Entry[] }[] = [];

/** Longest-match, left-to-right scan of the lexicon over tokens. */
export function matchCues(tokens: string[]): Match[] {
  const out: Match[] = [];
  let pos = 0;
  while (pos < tokens.length) {
    const tok = tokens[pos];
    let best: Entry | undefined;
    const exact = EXACT.get(tok);
    if (exact) for (const e of exact) if (matchAt(tokens, pos, e)) { best = e; break; }
    for (const p of PREFIX_BY_HEAD.get(tok.slice(0, 3)) ?? NO_PREFIX) {
      if (!tok.startsWith(p.prefix)) continue;
      for (const e of p.entries) {
        if (best && byPriority(e, best) >= 0) break;
        if (matchAt(tokens, pos, e)) { best = e; break; }
      }
    }
    if (best) {
      out.push({ entry: best, start: pos, end: pos + best.toks.length });
      pos += best.toks.length;
    } else pos++;
  }
  return out;
}

// ---------------------------------------------------------------- clause splitting

export interface Clause {
  text: string;
  /** Contrast marker that introduced this clause ('' for the first / only clause). */
  marker: string;
  /** True when the clause is the concessive (subordinate) side: "although X", "despite X". */
  concessive: boolean;
}

const MARKER_ALT = CONTRAST_MARKERS.map((m) => m.word.replace(/ /g, '\\s+')).sort((a, b) => b.length - a.length).join('|');
const CONCESSIVE = new Set(CONTRAST_MARKERS.filter((m) => m.concessive).map((m) => m.word));
/** Sentence-initial concessive: "Although X, Y" / "Despite X, Y" / "While X, Y". */
const INITIAL_CONCESSIVE_RE = new RegExp(`^\\s*(${CONTRAST_MARKERS.filter((m) => m.concessive).map((m) => m.word.replace(/ /g, '\\s+')).join('|')})\\b([^,;]{3,}?)[,;]\\s*(.+)$`, 'is');
/** Sentence-initial discourse contrast ("However, ...", "But ...", "Nevertheless, ..."): dropped, noted. */
const INITIAL_DISCOURSE_RE = /^\s*(however|but|nevertheless|nonetheless|yet|conversely|in contrast)\b[,\s]*/i;
/** Internal contrast marker: after a comma/semicolon/dash, or "but"/"whereas"/"although" anywhere. */
const INTERNAL_RE = new RegExp(
  `(?:[,;:–—-]\\s*(${MARKER_ALT})\\b[,]?\\s*)|(?:\\s(but|whereas|although|though|however)\\b[,]?\\s+)`,
  'gi',
);
const BUT_ALSO_RE = /^\s*also\b/i;
/** "small but significant", "slow but steady": an adjective pair, not two clauses. */
const ADJ_BUT_RE = /\b(?:small|few|slight|limited|modest|brief|gradual|slow|steady|short|simple|clear|strong|firm|fair)\s*$/i;
/** Semicolons join independent judgements: treat as clause boundaries too. */
const SEMI_RE = /;\s+/;

function normMarker(m: string): string {
  return m.toLowerCase().replace(/\s+/g, ' ');
}

/** Split a sentence into clauses at contrast markers (and semicolons). */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let rest = text;
  let leadMarker = '';
  const d = INITIAL_DISCOURSE_RE.exec(rest);
  if (d) {
    leadMarker = normMarker(d[1]);
    rest = rest.slice(d[0].length);
  }
  const c = INITIAL_CONCESSIVE_RE.exec(rest);
  if (c && !leadMarker) {
    const marker = normMarker(c[1]);
    clauses.push({ text: c[2].trim(), marker, concessive: true });
    rest = c[3];
    leadMarker = '';
  }
  for (const semi of rest.split(SEMI_RE)) {
    let last = 0;
    let marker = clauses.length === 0 ? leadMarker : '';
    let concessive = false;
    INTERNAL_RE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = INTERNAL_RE.exec(semi))) {
      const word = normMarker(m[1] ?? m[2]);
      const after = semi.slice(m.index + m[0].length);
      if (word === 'but' && (BUT_ALSO_RE.test(after) || ADJ_BUT_RE.test(semi.slice(0, m.index)))) continue; // "not only ... but also", "small but significant"
      if ((word === 'yet' || word === 'while' || word === 'whilst' || word === 'except') && !/^[,;:–—-]/.test(m[0].trim())) continue;
      const piece = semi.slice(last, m.index).trim();
      if (piece.split(/\s+/).length >= 2) {
        clauses.push({ text: piece, marker, concessive });
        last = m.index + m[0].length;
      }
      // A one-word lead-in ("Often, while ...") stays with the clause the marker opens.
      marker = word;
      concessive = CONCESSIVE.has(word);
    }
    const tail = semi.slice(last).trim();
    if (tail) clauses.push({ text: tail, marker, concessive });
  }
  // An internal concessive clause ends at its first comma: "..., while X is good, Y is not".
  for (let k = 0; k < clauses.length; k++) {
    const cl = clauses[k];
    if (!cl.concessive) continue;
    const at = cl.text.toLowerCase().indexOf(cl.marker);
    const comma = cl.text.indexOf(',', at < 0 ? 0 : at + cl.marker.length);
    if (comma < 0) continue;
    const head = cl.text.slice(0, comma).trim();
    const rest2 = cl.text.slice(comma + 1).trim();
    if (head.split(/\s+/).length >= 2 && rest2.split(/\s+/).length >= 3) {
      clauses.splice(k, 1, { text: head, marker: cl.marker, concessive: true }, { text: rest2, marker: '', concessive: false });
      k++;
    }
  }
  if (clauses.length === 0) clauses.push({ text: text.trim(), marker: leadMarker, concessive: false });
  return clauses;
}

// ---------------------------------------------------------------- clause scoring

export interface ClauseScore {
  text: string;
  marker: string;
  concessive: boolean;
  S: number;
  I: number;
  N: number;
  evidence: Evidence[];
  /** Feature names for the learned component. */
  features: string[];
}

const ev = (kind: string, value: string, points: LabelCode, weight: number): Evidence => ({ kind, value, points, weight });

const phraseOf = (tokens: string[], m: Match) => tokens.slice(m.start, m.end).join(' ');

/** Score one clause's tokens: S and I weights with scope handling, plus planning N weight. */
const BARE_NEG_WEIGHT = 2.5;

function conditionalBefore(tokens: string[], start: number): boolean {
  for (let t = start - 1; t >= 0 && t >= start - 4; t--) {
    if (tokens[t] === ',') return false;
    if (CONDITIONAL_SET.has(tokens[t])) return true;
  }
  return false;
}

/** Strength of a clause's side for the mixed test: clear cues only (weight >= 2), hedges halve it. */
function clearWeight(c: ClauseScore, side: LabelCode): number {
  let w = 0;
  for (const e of c.evidence) if (e.points === side && e.weight >= 2 && e.kind !== 'default') w += e.weight;
  if (side === 'S' && (c.features.includes('hedge_some') || c.features.includes('minority'))) w *= 0.5;
  return w;
}
const I_BIAS = 1.15;
/** Base score of N: a single weak cue (weight 1) is enough to leave neutral. */
const N_BASE = 0.9;
/** Minimum clear weight on each side for a contrastive sentence to be mixed. */
const MIXED_MIN = 2;

export function scoreTokens(tokens: string[], bareNegation = BARE_NEG_WEIGHT): { S: number; I: number; N: number; evidence: Evidence[]; features: string[] } {
  const matches = matchCues(tokens);
  const evidence: Evidence[] = [];
  const features: string[] = [];
  const absorbed = new Set<number>(); // indexes into matches consumed by a scope rule
  let S = 0;
  let I = 0;
  let N = 0;

  // Scope pass: negators and flippers act on the next cue(s) within NEG_SCOPE tokens.
  for (let a = 0; a < matches.length; a++) {
    if (absorbed.has(a)) continue;
    const m = matches[a];
    const isNeg = m.entry.type === 'neg';
    const isFlip = m.entry.type === 'I' && m.entry.flipper;
    const isMinority = m.entry.type === 'hedgeMin';
    const isRev = m.entry.type === 'rev';
    if (!isNeg && !isFlip && !isMinority && !isRev) continue;
    if (isNeg && m.end < tokens.length && CANCEL_SET.has(tokens[m.end])) { absorbed.add(a); continue; }
    if ((isNeg || isRev) && (CONDITIONAL_SET.has(tokens[m.start - 1]) || CONDITIONAL_SET.has(tokens[m.start - 2]))) {
      absorbed.add(a);
      features.push('neg_conditional');
      continue;
    }
    if (isRev && tokens[m.start - 1] === 'the') { absorbed.add(a); continue; }
    let brk = tokens.length;
    for (let t = m.end; t < tokens.length && t < m.end + NEG_SCOPE + 2; t++) if (BREAK_SET.has(tokens[t])) { brk = t; break; }
    const limit = Math.min(m.end + (isMinority ? NEG_SCOPE + 4 : NEG_SCOPE), brk);
    let acted = false;
    // "not ... enough": the negated clause is a criticism whatever else is in scope.
    let enough = false;
    for (let t = m.end; t < limit; t++) if (tokens[t] === 'enough') enough = true;
    if (isNeg && enough) {
      for (let b = a + 1; b < matches.length && matches[b].start < limit; b++) absorbed.add(b);
      absorbed.add(a);
      I += 3;
      evidence.push(ev('negation', `${phraseOf(tokens, m)} … enough`, 'I', 3));
      features.push('neg_enough');
      continue;
    }
    for (let b = a + 1; b < matches.length && matches[b].start < limit; b++) {
      const t = matches[b];
      if (absorbed.has(b)) continue;
      if (t.entry.type === 'S') {
        absorbed.add(b);
        acted = true;
        const value = `${phraseOf(tokens, m)} … ${phraseOf(tokens, t)}`;
        const w = Math.max(2, t.entry.weight);
        if (isNeg || isRev) { I += w; evidence.push(ev('negation', value, 'I', w)); features.push(isRev ? 'rev_pos' : 'neg_pos'); }
        else if (isMinority) { I += w; evidence.push(ev('hedge', value, 'I', w)); features.push('minority_pos'); }
        else { evidence.push(ev('negation', value, 'I', 0)); features.push('flip_pos'); }
      } else if (t.entry.type === 'I' && (isNeg || isRev) && !t.entry.flipper && t.entry.kind !== 'comparative' && t.start - m.end <= 3) {
        absorbed.add(b);
        acted = true;
        const w = 1.5;
        S += w;
        evidence.push(ev('negation', `${phraseOf(tokens, m)} … ${phraseOf(tokens, t)}`, 'S', w));
        features.push(isRev ? 'rev_neg' : 'neg_neg');
      }
      if (acted && isRev) break; // a reverser acts on its first cue only
    }
    if (isNeg) {
      absorbed.add(a);
      if (!acted) { I += bareNegation; evidence.push(ev('negation', phraseOf(tokens, m), 'I', bareNegation)); features.push('neg_bare'); }
    }
    if (isMinority && !acted) features.push('minority');
  }

  // Intensifiers: a positive frequency adverb directly before a negative cue is part of it.
  for (let a = 0; a + 1 < matches.length; a++) {
    const m = matches[a];
    const n = matches[a + 1];
    if (!absorbed.has(a) && m.entry.type === 'S' && m.end === n.start && n.entry.type === 'I' && INTENSIFIERS.has(tokens[m.start]) && m.end - m.start === 1) {
      absorbed.add(a);
      features.push('intensified_I');
    }
  }
  let majority = false;
  let strongMajority = false;
  let some = false;
  for (let a = 0; a < matches.length; a++) {
    if (absorbed.has(a)) continue;
    const m = matches[a];
    const e = m.entry;
    const value = phraseOf(tokens, m);
    switch (e.type) {
      case 'S':
        S += e.weight;
        evidence.push(ev(e.kind, value, 'S', e.weight));
        features.push(`${e.kind === 'grade' ? 'grade' : 'cue'}_S_${e.weight}`);
        break;
      case 'I': {
        // "when progress is insufficient, chairs escalate": a condition, not a finding.
        const cond = e.kind !== 'comparative' && conditionalBefore(tokens, m.start);
        const w = cond ? e.weight * 0.25 : e.weight;
        I += w;
        evidence.push(ev(cond ? 'conditional' : e.kind, value, 'I', w));
        features.push(cond ? 'cond_I' : `${e.kind}_I_${e.weight}`);
        break;
      }
      case 'plan':
        if (value === 'will' && (RELATIVE_SET.has(tokens[m.start - 1] ?? '') || RELATIVE_SET.has(tokens[m.start - 2] ?? ''))) break; // "what support they will get"
        N += e.weight;
        evidence.push(ev('planning', value, 'N', e.weight));
        features.push('plan');
        break;
      case 'hedgeMaj':
        majority = true;
        if (STRONG_MAJORITY_SET.has(e.phrase)) strongMajority = true;
        break;
      case 'hedgeSome':
        some = true;
        break;
      default:
        break;
    }
  }
  if (majority && S > 0) { evidence.push(ev('hedge', 'most/majority', 'S', 0)); features.push('hedge_majority'); }
  else if (strongMajority && I === 0 && tokens.length >= 5) {
    // "Most children are offered ...": a majority doing what they should is a strength.
    S += 2;
    evidence.push(ev('hedge', 'most/majority', 'S', 2));
    features.push('hedge_majority_bare');
  }
  if (some) {
    features.push('hedge_some');
    if (S > 0 && I === 0) evidence.push(ev('hedge', 'some', 'S', 0));
  }
  return { S, I, N, evidence, features };
}

// ---------------------------------------------------------------- sentence analysis

export interface RuleAnalysis {
  clauses: ClauseScore[];
  /** Sentence-level scores per label before context priors. */
  scores: Record<LabelCode, number>;
  evidence: Evidence[];
  features: string[];
  grade?: Polarity;
  boilerplate: boolean;
}

const TOKEN_RE = /[a-z0-9]+|[,;:()–—]/g;
const PUNCT_RE = /^[,;:()–—]$/;
/** Tokenise a clause the same way as the segmenter (lower-case, apostrophes dropped). */
export function clauseTokens(text: string): string[] {
  const toks = text.toLowerCase().replace(/[’']/g, '').match(TOKEN_RE) ?? [];
  // Punctuation becomes a ',' token: phrases never match across it and scopes stop at it.
  return toks.map((x) => (PUNCT_RE.test(x) ? ',' : x));
}

/** Clause-level rule analysis of one sentence's text. */
export interface AnalyseOptions {
  /**
   * Weight of a negation with no cue in its scope ("Managers do not review plans"). In inspection
   * reports that is a criticism; in council papers it is as often procedure ("the letter is not
   * published"), so tagSentences lowers it for documents in the council register.
   */
  bareNegation?: number;
}

export function analyse(text: string, opts: AnalyseOptions = {}): RuleAnalysis {
  const evidence: Evidence[] = [];
  const features: string[] = [];
  const raw = splitClauses(text);
  const clauses: ClauseScore[] = raw.map((c) => {
    const r = scoreTokens(clauseTokens(c.text), opts.bareNegation ?? BARE_NEG_WEIGHT);
    const f = r.features.slice();
    if (c.marker) f.push(`marker_${c.concessive ? 'concessive' : 'contrast'}`);
    return { text: c.text, marker: c.marker, concessive: c.concessive, S: r.S, I: r.I, N: r.N, evidence: r.evidence, features: f };
  });
  let S = 0;
  let I = 0;
  let N = 0;
  let sClauses = 0;
  let iClauses = 0;
  let strongS = 0;
  let strongI = 0;
  let clearS = 0;
  let clearI = 0;
  for (const c of clauses) {
    clearS = Math.max(clearS, clearWeight(c, 'S'));
    clearI = Math.max(clearI, clearWeight(c, 'I'));
    const disc = c.concessive ? 0.6 : 1;
    S += c.S * disc;
    I += c.I * disc;
    N += c.N;
    const cl = clauseLabel(c);
    if (cl === 'S') { sClauses++; strongS = Math.max(strongS, clearWeight(c, 'S')); }
    if (cl === 'I') { iClauses++; strongI = Math.max(strongI, clearWeight(c, 'I')); }
    for (const e of c.evidence) evidence.push(e);
    for (const f of c.features) features.push(f);
  }
  if (clauses.length > 1) {
    features.push(`clauses_${Math.min(clauses.length, 3)}`);
    evidence.push(ev('contrast', clauses.map((c) => c.marker).filter(Boolean).join(',') || ';', sClauses && iClauses ? 'M' : 'N', 0));
  }
  if (sClauses && iClauses) features.push('clause_S_and_I');
  // Mixed: a clear strength clause and a clear improvement clause.
  let M = 0;
  if (strongS >= MIXED_MIN && strongI >= MIXED_MIN) {
    M = Math.max(S, I * I_BIAS) + 1;
    features.push('mixed_clauses');
  } else if (sClauses && iClauses) features.push('weak_mixed');
  else if (clauses.length === 1 && S >= 3 && I >= 3) { M = Math.min(S, I) * 0.8; features.push('single_clause_S_and_I'); }

  let grade: Polarity | undefined;
  for (const g of GRADE_RES) {
    if (g.re.test(text)) {
      grade = g.points;
      features.push(`gradeword_${g.points}`);
      break;
    }
  }
  let boilerplate = false;
  for (const re of BOILERPLATE_RES) {
    if (re.test(text)) {
      boilerplate = true;
      evidence.push(ev('boilerplate', re.source.slice(0, 40), 'N', 4));
      features.push('boilerplate');
      N += 4;
      break;
    }
  }
  const words = text.trim().split(/\s+/).length;
  if (words <= 3) features.push('very_short');
  if (!/[.!?]["'”’)]?\s*$/.test(text.trim())) features.push('no_final_stop');
  if (/\d{4}/.test(text) && S + I < 2) features.push('year_no_cue');
  // Negative cues are the more specific signal in this register: they win ties.
  // Planning / context language only outweighs weak cues: a clear judgement stands.
  if (!boilerplate && N > 0 && (clearS >= 2 || clearI >= 2)) N = Math.min(N, 0.5);
  return { clauses, scores: { S, I: I * I_BIAS, M, N: N + N_BASE }, evidence, features, grade, boilerplate };
}

/** Label of one clause by its own scores. */
export function clauseLabel(c: { S: number; I: number; N: number }): LabelCode {
  if (c.S < 1 && c.I < 1) return 'N';
  if (c.I >= 2 && c.I >= c.S * 0.6) return 'I';
  if (c.S >= c.I * 1.5 && c.S >= 1) return c.N >= c.S + 1 ? 'N' : 'S';
  if (c.I >= 1) return 'I';
  return 'N';
}
