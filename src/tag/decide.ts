/**
 * The rule layer's decision for one sentence: rule scores (src/tag/rules.ts) plus the section and
 * register priors, giving a rule label, its evidence, and the rule features the learned classifier
 * sees (src/tag/features.ts). Used alone when no model is loaded.
 */
import type { Evidence, LabelCode, Sentence } from '../types.js';
import { structureFeatures, type TagContext } from './context.js';
import { argmax } from './linear.js';
import type { RuleAnalysis } from './rules.js';
import { evidence as ev } from '../vocab/evidence.js';

/** Points for a full, un-negated descriptive sentence in an inspection report (reads as mild praise). */
const REGISTER_PRIOR = 1.2;
/** Points a graded judgement row or graded heading gives its grade. */
const GRADE_ROW = 4;
/** Points that make a heading or a boilerplate section neutral. */
const SECTION_NEUTRAL = 20;
/** Points for an item under an improvement heading (plus its positive cue points: they name the target). */
const UNDER_IMPROVEMENT = 3;
const MIN_DESCRIPTIVE_WORDS = 6;
const YEAR_RE = /\b(?:19|20)\d\d\b/;


export interface RuleDecision {
  code: LabelCode;
  scores: Record<LabelCode, number>;
  evidence: Evidence[];
  /** Rule outcome features (cue kinds, scope, clause structure, section priors, rule label). */
  features: string[];
}

/** Rule scores + context priors -> rule label. */
export function decideByRules(s: Sentence, a: RuleAnalysis, ctx: TagContext): RuleDecision {
  const scores = { ...a.scores };
  const evidence = a.evidence.slice();
  const features = a.features.concat(structureFeatures(s, ctx));
  const titleLike = s.isHeading || features.includes('no_final_stop');
  if (a.grade && titleLike) {
    scores[a.grade] += GRADE_ROW;
    evidence.push(ev('grade', 'judgement row / graded heading', a.grade, GRADE_ROW));
  }
  // Register prior: in an inspection report a full sentence describing practice, with no
  // negative, planning or boilerplate signal, is read as a (weak) positive judgement.
  const inspectionVoice = ctx.register !== 'council' || s.isQuote;
  if (inspectionVoice && !titleLike && !ctx.improvementSection && a.scores.I === 0 && a.scores.N <= 1 && !YEAR_RE.test(s.text) && s.text.trim().split(/\s+/).length >= MIN_DESCRIPTIVE_WORDS) {
    scores.S += REGISTER_PRIOR;
    evidence.push(ev('default', 'full sentence describing practice, no negative cue', 'S', REGISTER_PRIOR));
    features.push('register_prior');
  }
  if (s.isHeading && !a.grade) {
    scores.N += SECTION_NEUTRAL;
    evidence.push(ev('section', 'heading', 'N', SECTION_NEUTRAL));
  }
  if (ctx.boilerplateSection) {
    scores.N += SECTION_NEUTRAL;
    evidence.push(ev('boilerplate', `section: ${ctx.boilerplateSection}`, 'N', SECTION_NEUTRAL));
  } else if (ctx.improvementSection && !s.isHeading) {
    // Items under an improvement heading name what is lacking: their positive words are the target.
    const w = UNDER_IMPROVEMENT + a.scores.S;
    scores.I += w;
    evidence.push(ev('section', `under: ${ctx.improvementSection}`, 'I', w));
  }
  const code = argmax(scores);
  features.push(`rule_${code}`);
  return { code, scores, evidence, features };
}
