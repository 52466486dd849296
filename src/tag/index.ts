/**
 * Stage 3: label each sentence S/I/M/N (strength / area for improvement / mixed / neutral)
 * with a confidence and the evidence that decided it.
 *
 * How a label is decided:
 *  1. rules (src/tag/rules.ts): the sentence is split into clauses at contrast markers; each clause
 *     is scored from cue phrases with negation, hedge and comparative scope; grade words count;
 *     boilerplate and planning language point to N;
 *  2. context: headings are N unless they carry a grade; items under an improvement heading lean I;
 *     everything under a boilerplate heading (equality, finance, contacts...) is N;
 *  3. a learned combiner (src/tag/model.ts, natural's Bayes classifier over the rule features,
 *     trained from ../shared/eval with `npm run train`) adds its log-probabilities to the rule scores.
 */
import type { ClauseLabel, Evidence, Finding, LabelCode, Sentence } from '../types.js';
import { CODE_TO_LABEL, LABEL_CODES } from '../types.js';
import { BOILERPLATE_HEADING_RE, COUNCIL_REGISTER_RE, IMPROVEMENT_HEADING_RE } from './lexicon.js';
import { analyse, clauseLabel, type RuleAnalysis } from './rules.js';
import { defaultModel, type TagModel } from './model.js';

export { analyse, splitClauses } from './rules.js';

/** Structural context of a sentence (from the segmenter's fields). */
export interface TagContext {
  improvementSection?: string;
  boilerplateSection?: string;
  /** 'inspection' (Ofsted report / letter, the default) or 'council' (committee paper). */
  register?: Register;
}

export type Register = 'inspection' | 'council';

/** Council committee papers are recognised by their template (report to, wards affected...). */
export function detectRegister(sentences: Sentence[]): Register {
  let hits = 0;
  for (const s of sentences) {
    if (COUNCIL_REGISTER_RE.test(s.text) || (s.isHeading && COUNCIL_REGISTER_RE.test(s.text.trim()))) hits++;
    if (hits >= 2) return 'council';
  }
  return 'inspection';
}

/** Weight of a negation with nothing in its scope, by register. */
const BARE_NEGATION: Record<Register, number> = { inspection: 2.5, council: 0.5 };

const REGISTER_PRIOR = 1.2;
/** The combiner also sees content-word stems (w:stem), so it can learn vocabulary the lexicon lacks. */
const WORD_FEATURES = true;
const STOP = new Set(['the', 'and', 'for', 'are', 'with', 'thei', 'thi', 'that', 'ha', 'have', 'from', 'wa', 'were', 'been', 'who', 'which', 'when', 'there']);
const YEAR_RE = /\b(?:19|20)\d\d\b/;

const ev = (kind: string, value: string, points: LabelCode, weight: number): Evidence => ({ kind, value, points, weight });

const boilerplateHeadings = new Map<string, boolean>();

/**
 * A heading that names a boilerplate section (equalities, finance, legal, contact...). A parenthetical
 * does not count: "DETAIL (Including consultation carried out)" is the body of a committee paper.
 */
function isBoilerplateHeading(h: string): boolean {
  let v = boilerplateHeadings.get(h);
  if (v === undefined) {
    const bare = h.replace(/\([^)]*\)/g, ' ');
    v = BOILERPLATE_HEADING_RE.test(bare) && !IMPROVEMENT_HEADING_RE.test(bare);
    if (boilerplateHeadings.size > 10_000) boilerplateHeadings.clear();
    boilerplateHeadings.set(h, v);
  }
  return v;
}

/** Section priors from the heading path (innermost heading decides). */
export function contextOf(s: Sentence, register: Register = 'inspection'): TagContext {
  const ctx: TagContext = { register };
  const path = s.sectionPath;
  for (let k = path.length - 1; k >= 0; k--) {
    const h = path[k];
    if (!ctx.boilerplateSection && isBoilerplateHeading(h)) ctx.boilerplateSection = h;
  }
  const inner = path[path.length - 1];
  // In a committee paper "Recommendations" are decisions asked of members, not weaknesses.
  if (inner !== undefined && IMPROVEMENT_HEADING_RE.test(inner) && !(register === 'council' && /recommendation/i.test(inner))) ctx.improvementSection = inner;
  return ctx;
}

/** Feature names describing structure (used by the learned combiner and as evidence). */
export function structureFeatures(s: Sentence, ctx: TagContext): string[] {
  const f: string[] = [];
  if (s.isHeading) f.push('heading');
  if (s.isListItem) f.push('list_item');
  if (s.isQuote) f.push('quote');
  if (ctx.improvementSection) f.push('sec_improve');
  if (ctx.boilerplateSection) f.push('sec_boiler');
  return f;
}

/** Arg-max with a fixed tie order (N, S, I, M): ties go to the less committal label. */
function argmax(scores: Record<LabelCode, number>): LabelCode {
  let code: LabelCode = 'N';
  for (const c of ['S', 'I', 'M'] as LabelCode[]) if (scores[c] > scores[code]) code = c;
  return code;
}

export interface Decision {
  code: LabelCode;
  confidence: number;
  scores: Record<LabelCode, number>;
  evidence: Evidence[];
  features: string[];
}

/** Rule scores + context priors (+ optional model) -> label. */
export function decide(s: Sentence, a: RuleAnalysis, ctx: TagContext, model: TagModel | null = defaultModel()): Decision {
  const scores = { ...a.scores };
  const evidence = a.evidence.slice();
  const features = a.features.concat(structureFeatures(s, ctx));
  const titleLike = s.isHeading || features.includes('no_final_stop');
  if (a.grade && titleLike) {
    scores[a.grade] += 4;
    evidence.push(ev('grade', 'judgement row / graded heading', a.grade, 4));
  }
  // Register prior: in an inspection report a full sentence describing practice, with no
  // negative, planning or boilerplate signal, is read as a (weak) positive judgement.
  const inspectionVoice = ctx.register !== 'council' || s.isQuote;
  if (inspectionVoice && !titleLike && !ctx.improvementSection && a.scores.I === 0 && a.scores.N <= 1 && !YEAR_RE.test(s.text) && s.text.trim().split(/\s+/).length >= 6) {
    scores.S += REGISTER_PRIOR;
    evidence.push(ev('default', 'full sentence describing practice, no negative cue', 'S', REGISTER_PRIOR));
    features.push('register_prior');
  }
  if (s.isHeading && !a.grade) {
    scores.N += 20;
    evidence.push(ev('section', 'heading', 'N', 20));
  }
  if (ctx.boilerplateSection) {
    scores.N += 20;
    evidence.push(ev('boilerplate', `section: ${ctx.boilerplateSection}`, 'N', 20));
  } else if (ctx.improvementSection && !s.isHeading) {
    // Items under an improvement heading name what is lacking: their positive words are the target.
    const w = 3 + a.scores.S;
    scores.I += w;
    evidence.push(ev('section', `under: ${ctx.improvementSection}`, 'I', w));
  }
  const ruleCode = argmax(scores);
  features.push(`rule_${ruleCode}`);
  if (WORD_FEATURES) for (const st of s.stems) if (st.length > 2 && !STOP.has(st)) features.push(`w:${st}`);
  // A combiner whose weight was set to 0 by cross-validation is not consulted.
  if (model && model.weight > 0) {
    const lp = model.logProbs(features);
    for (const c of LABEL_CODES) scores[c] += model.weight * lp[c];
    const best = argmax(lp);
    evidence.push(ev('model', `${model.id} -> ${best} (p=${Math.exp(lp[best]).toFixed(2)})`, best, Number(model.weight.toFixed(3))));
  }
  const code = argmax(scores);
  // Softmax over the scores for a confidence in [0,1].
  const mx = scores[code];
  let z = 0;
  for (const c of LABEL_CODES) z += Math.exp((scores[c] - mx) / 1.5);
  const confidence = Math.round((1 / z) * 1000) / 1000;
  if (evidence.length === 0) evidence.push(ev('default', 'no evaluative cue', 'N', 1));
  return { code, confidence, scores, evidence, features };
}

function toFinding(s: Sentence, a: RuleAnalysis, d: Decision): Finding {
  const clauses: ClauseLabel[] = a.clauses.map((c) => ({ text: c.text, label: clauseLabel(c), evidence: c.evidence }));
  return { ...s, code: d.code, label: CODE_TO_LABEL[d.code], confidence: d.confidence, evidence: d.evidence, clauses };
}

/** Rule-only decision features of a sentence (what the learned combiner sees). */
export function sentenceFeatures(s: Sentence, register: Register = 'inspection'): string[] {
  const a = analyse(s.text, { bareNegation: BARE_NEGATION[register] });
  return decide(s, a, contextOf(s, register), null).features;
}

/** Label one sentence S/I/M/N with confidence and evidence (uses its sectionPath for priors; inspection register). */
export function tagSentence(s: Sentence): Finding {
  const a = analyse(s.text, { bareNegation: BARE_NEGATION.inspection });
  return toFinding(s, a, decide(s, a, contextOf(s, 'inspection')));
}

/**
 * Label a document's sentences (in order). The document's register (inspection report or
 * council paper) is detected from all its sentences; the model defaults to the shipped one.
 */
export function tagSentences(sentences: Sentence[], model: TagModel | null = defaultModel()): Finding[] {
  const register = detectRegister(sentences);
  const opts = { bareNegation: BARE_NEGATION[register] };
  return sentences.map((s) => {
    const a = analyse(s.text, opts);
    return toFinding(s, a, decide(s, a, contextOf(s, register), model));
  });
}

/**
 * Each sentence's label under every combiner weight, from one rule analysis and one model pass
 * per sentence (what choosing the weight by cross-validation needs): the same decision as
 * tagSentences with withWeight(model, w), for each w.
 */
export function labelsByWeight(sentences: Sentence[], model: TagModel, weights: readonly number[]): LabelCode[][] {
  const register = detectRegister(sentences);
  const opts = { bareNegation: BARE_NEGATION[register] };
  const out: LabelCode[][] = weights.map(() => []);
  for (const s of sentences) {
    const d = decide(s, analyse(s.text, opts), contextOf(s, register), null);
    const lp = model.logProbs(d.features);
    weights.forEach((w, k) => {
      if (w === 0) {
        out[k]!.push(d.code);
        return;
      }
      const scores = { ...d.scores };
      for (const c of LABEL_CODES) scores[c] += w * lp[c];
      out[k]!.push(argmax(scores));
    });
  }
  return out;
}
