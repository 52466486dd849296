/**
 * Rule scoring of the tagger: cue matches (src/tag/cue-matcher.ts) scored per clause
 * (src/tag/clauses.ts) with negation / hedge / reverser scope, comparatives, grade words,
 * boilerplate and planning language, into S / I / N points, evidence and rule features. Pure
 * functions, all patterns compiled once at module load.
 */
import type { Evidence, LabelCode } from '../types.js';
import { splitClauses } from './clauses.js';
import { matchCues, type Match } from './cue-matcher.js';
import { evidence as ev } from '../vocab/evidence.js';
import {
  BOILERPLATE_RES,
  CONDITIONAL_WORDS,
  GRADE_RES,
  INTENSIFIERS as INTENSIFIER_WORDS,
  NEG_SCOPE,
  NEGATION_CANCEL,
  RELATIVE_WORDS,
  SCOPE_BREAK,
  STRONG_MAJORITY,
  type Polarity,
} from './lexicon.js';

export { splitClauses, type Clause } from './clauses.js';
export { matchCues, type Match } from './cue-matcher.js';

const STRONG_MAJORITY_SET = new Set(STRONG_MAJORITY);
const CANCEL_SET = new Set(NEGATION_CANCEL);
const BREAK_SET = new Set([...SCOPE_BREAK, ',']);
/** A negator right after one of these is a condition ("if this is not possible"), not a judgement. */
const RELATIVE_SET = new Set(RELATIVE_WORDS);
const CONDITIONAL_SET = new Set(CONDITIONAL_WORDS);
/** Frequency adverbs directly before a negative cue intensify it ("consistently missed"). */
const INTENSIFIERS = new Set(INTENSIFIER_WORDS);

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


const phraseOf = (tokens: string[], m: Match) => tokens.slice(m.start, m.end).join(' ');

/**
 * The rule layer's weights, named. Cue weights themselves are in data/lexicon.json; these say
 * what scope, hedges, contrast and boilerplate do to them.
 */
export const RULE_WEIGHTS = {
  /** A negation with no cue in its scope ("Managers do not review plans"), inspection register. */
  bareNegation: 2.5,
  /** "not ... enough": the negated clause is a criticism whatever else is in scope. */
  notEnough: 3,
  /** A positive cue in a negation's or a minority hedge's scope counts at least this much towards I. */
  flippedPositiveMin: 2,
  /** A negative cue in a negation's scope ("without delay"): a weak strength. */
  negatedNegative: 1.5,
  /** A negative cue after a conditional ("when progress is insufficient, ...") keeps this share of its weight. */
  conditional: 0.25,
  /** "Most children are offered ...": a strong majority with no negative cue is a strength. */
  majorityBare: 2,
  /** A minority or "some" hedge halves a clause's clear strength in the mixed test. */
  hedgedStrength: 0.5,
  /** The concessive side ("although X") counts this share of its points. */
  concessive: 0.6,
  /** One clause with at least this much S and I is mixed, at this share of the weaker side. */
  singleClauseMixedMin: 3,
  singleClauseMixed: 0.8,
  /** A boilerplate pattern (contacts, inspection process) adds this much N. */
  boilerplate: 4,
  /** A cue of at least this weight is a clear judgement: planning language is then capped. */
  clearCue: 2,
  planningCap: 0.5,
  /** Clause label: I when I >= 2 and I >= this share of S; S when S >= this multiple of I. */
  clauseIRatio: 0.6,
  clauseSRatio: 1.5,
} as const;

/** Score one clause's tokens: S and I weights with scope handling, plus planning N weight. */
const BARE_NEG_WEIGHT: number = RULE_WEIGHTS.bareNegation;

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
  if (side === 'S' && (c.features.includes('hedge_some') || c.features.includes('minority'))) w *= RULE_WEIGHTS.hedgedStrength;
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
      I += RULE_WEIGHTS.notEnough;
      evidence.push(ev('negation', `${phraseOf(tokens, m)} … enough`, 'I', RULE_WEIGHTS.notEnough));
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
        const w = Math.max(RULE_WEIGHTS.flippedPositiveMin, t.entry.weight);
        if (isNeg || isRev) { I += w; evidence.push(ev('negation', value, 'I', w)); features.push(isRev ? 'rev_pos' : 'neg_pos'); }
        else if (isMinority) { I += w; evidence.push(ev('hedge', value, 'I', w)); features.push('minority_pos'); }
        else { evidence.push(ev('negation', value, 'I', 0)); features.push('flip_pos'); }
      } else if (t.entry.type === 'I' && (isNeg || isRev) && !t.entry.flipper && t.entry.kind !== 'comparative' && t.start - m.end <= 3) {
        absorbed.add(b);
        acted = true;
        const w = RULE_WEIGHTS.negatedNegative;
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
        const w = cond ? e.weight * RULE_WEIGHTS.conditional : e.weight;
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
    S += RULE_WEIGHTS.majorityBare;
    evidence.push(ev('hedge', 'most/majority', 'S', RULE_WEIGHTS.majorityBare));
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
    const disc = c.concessive ? RULE_WEIGHTS.concessive : 1;
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
  else if (clauses.length === 1 && S >= RULE_WEIGHTS.singleClauseMixedMin && I >= RULE_WEIGHTS.singleClauseMixedMin) { M = Math.min(S, I) * RULE_WEIGHTS.singleClauseMixed; features.push('single_clause_S_and_I'); }

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
      evidence.push(ev('boilerplate', re.source.slice(0, 40), 'N', RULE_WEIGHTS.boilerplate));
      features.push('boilerplate');
      N += RULE_WEIGHTS.boilerplate;
      break;
    }
  }
  const words = text.trim().split(/\s+/).length;
  if (words <= 3) features.push('very_short');
  if (!/[.!?]["'”’)]?\s*$/.test(text.trim())) features.push('no_final_stop');
  if (/\d{4}/.test(text) && S + I < 2) features.push('year_no_cue');
  // Negative cues are the more specific signal in this register: they win ties.
  // Planning / context language only outweighs weak cues: a clear judgement stands.
  if (!boilerplate && N > 0 && (clearS >= RULE_WEIGHTS.clearCue || clearI >= RULE_WEIGHTS.clearCue)) N = Math.min(N, RULE_WEIGHTS.planningCap);
  return { clauses, scores: { S, I: I * I_BIAS, M, N: N + N_BASE }, evidence, features, grade, boilerplate };
}

/** Label of one clause by its own scores. */
export function clauseLabel(c: { S: number; I: number; N: number }): LabelCode {
  if (c.S < 1 && c.I < 1) return 'N';
  if (c.I >= 2 && c.I >= c.S * RULE_WEIGHTS.clauseIRatio) return 'I';
  if (c.S >= c.I * RULE_WEIGHTS.clauseSRatio && c.S >= 1) return c.N >= c.S + 1 ? 'N' : 'S';
  if (c.I >= 1) return 'I';
  return 'N';
}
