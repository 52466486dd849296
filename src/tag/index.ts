/**
 * Stage 3: label each sentence S/I/M/N (strength / area for improvement / mixed / neutral)
 * with a confidence and the evidence that decided it.
 *
 * How a label is decided:
 *  1. rules (src/tag/rules.ts, src/tag/decide.ts): the sentence is split into clauses at contrast
 *     markers; each clause is scored from cue phrases with negation, hedge and comparative scope;
 *     grade words count; headings, boilerplate sections and improvement sections give priors.
 *     The outcome is a rule label and a list of rule features;
 *  2. a learned classifier (src/tag/model.ts: logistic regression, trained by `npm run train` from
 *     ../shared/eval) makes the decision from the rule features, the words and phrases, the heading,
 *     the block kind, the neighbouring sentences' rule outcomes and the register (src/tag/features.ts).
 *     Its strongest features for the sentence are the evidence, next to the rule cues.
 *  Without a model (`--model none`) the rule label stands.
 */
import type { ClauseLabel, Evidence, Finding, LabelCode, Sentence } from '../types.js';
import { CODE_TO_LABEL, LABEL_CODES } from '../types.js';
import { BARE_NEGATION, contextOf, detectRegister, type Register } from './context.js';
import { decideByRules, type RuleDecision } from './decide.js';
import { describeFeature, documentFeatures, MAX_LEAD_DISTANCE } from './features.js';
import { argmax } from './linear.js';
import { defaultModel, type TagModel } from './model.js';
import { analyse, clauseLabel, type RuleAnalysis } from './rules.js';
import { evidence as ev } from '../vocab/evidence.js';

export { analyse, splitClauses } from './rules.js';
export { contextOf, detectRegister, structureFeatures, type Register, type TagContext } from './context.js';

/** How many of the model's features are listed as a label's evidence. */
const EVIDENCE_FEATURES = 4;

export interface Decision {
  code: LabelCode;
  confidence: number;
  scores: Record<LabelCode, number>;
  evidence: Evidence[];
}

/** Softmax of rule scores (temperature 1.5) as the confidence of a rules-only label. */
function ruleConfidence(scores: Record<LabelCode, number>, code: LabelCode): number {
  const mx = scores[code];
  let z = 0;
  for (const c of LABEL_CODES) z += Math.exp((scores[c] - mx) / 1.5);
  return Math.round((1 / z) * 1000) / 1000;
}


/**
 * Where the codebook makes a sentence neutral whatever its words, the rule decides: a boilerplate
 * line (contact details, "Lead inspector:", "Inspectors looked at case records...": the inspection
 * process), and in a council paper a boilerplate section (financial, legal, equality implications,
 * contacts, background papers), which the training data (almost all Ofsted reports, which have no
 * such sections) cannot teach. On cross-validation this changes 11 of 10,969 labels and no F1.
 */
const boilerplateRules = (rule: RuleDecision, register: Register) => rule.features.includes('boilerplate') || (register === 'council' && rule.features.includes('sec_boiler'));

function decideWithModel(rule: RuleDecision, features: string[], model: TagModel | null, register: Register): Decision {
  const evidence = rule.evidence.slice();
  if (!model || boilerplateRules(rule, register)) {
    if (evidence.length === 0) evidence.push(ev('default', 'no evaluative cue', 'N', 1));
    return { code: rule.code, confidence: ruleConfidence(rule.scores, rule.code), scores: rule.scores, evidence };
  }
  const scores = model.classifier.scores(features);
  const code = argmax(scores);
  const p = Math.exp(scores[code]);
  evidence.push(ev('model', `${model.id}: ${code} (p=${p.toFixed(2)}; rules alone: ${rule.code})`, code, Number(p.toFixed(3))));
  for (const c of model.classifier.explain(features, code, EVIDENCE_FEATURES)) evidence.push(ev('feature', describeFeature(c.feature), code, Number(c.weight.toFixed(3))));
  return { code, confidence: Math.round(p * 1000) / 1000, scores, evidence };
}

function toFinding(s: Sentence, a: RuleAnalysis, d: Decision): Finding {
  const clauses: ClauseLabel[] = a.clauses.map((c) => ({ text: c.text, label: clauseLabel(c), evidence: c.evidence }));
  return { ...s, code: d.code, label: CODE_TO_LABEL[d.code], confidence: d.confidence, evidence: d.evidence, clauses };
}

/** What the tagger computes for a document before deciding: rule analyses, rule decisions and model features. */
export interface DocumentAnalysis {
  register: Register;
  analyses: RuleAnalysis[];
  rules: RuleDecision[];
  features: string[][];
}

/** Rule analysis and model features of a document's sentences (in order), register detected from all of them. */
export function analyseDocument(sentences: Sentence[], register: Register = detectRegister(sentences)): DocumentAnalysis {
  const opts = { bareNegation: BARE_NEGATION[register] };
  const analyses = sentences.map((s) => analyse(s.text, opts));
  const rules = sentences.map((s, k) => decideByRules(s, analyses[k]!, contextOf(s, register)));
  const features = documentFeatures(
    sentences,
    rules.map((r, k) => ({ features: r.features, clauses: analyses[k]!.clauses })),
    register,
  );
  return { register, analyses, rules, features };
}

/** The decision for sentence k of an analysed document (what tagSentences uses). */
export function decideSentence(d: DocumentAnalysis, k: number, model: TagModel | null): Decision {
  return decideWithModel(d.rules[k]!, d.features[k]!, model, d.register);
}

/**
 * Label a document's sentences (in order). The document's register (inspection report or
 * council paper) is detected from all its sentences; the model defaults to the shipped one
 * (null: rules alone).
 */
export function tagSentences(sentences: Sentence[], model: TagModel | null = defaultModel()): Finding[] {
  const out: Finding[] = [];
  for (const slice of tagSlices(sentences, model)) for (const f of slice) out.push(f);
  return out;
}

/**
 * tagSentences a slice of TAG_CHUNK sentences at a time, in order. Each slice is analysed with the
 * sentences its features look at around it (the list lead-in up to MAX_LEAD_DISTANCE back, one
 * sentence ahead), so only one slice's rule analyses and model features are held at once, and
 * the labels are those of the whole-document pass. A short document is one slice.
 *
 * With `release`, for a caller that owns `sentences` and needs only the findings: once no later
 * slice reads a sentence, its slot in the array is emptied, so that its tokens and stems can be
 * freed while the next slices are tagged (the array is left with holes).
 */
export function* tagSlices(sentences: Sentence[], model: TagModel | null = defaultModel(), opts: { release?: boolean } = {}): Generator<Finding[], void, undefined> {
  const register = detectRegister(sentences);
  const n = sentences.length;
  // (An empty document is one empty slice.)
  for (let a = 0; a === 0 || a < n; a += TAG_CHUNK) {
    const b = Math.min(n, a + TAG_CHUNK);
    const from = Math.max(0, a - CONTEXT_BEFORE);
    const d = analyseDocument(sentences.slice(from, Math.min(n, b + CONTEXT_AFTER)), register);
    const out: Finding[] = [];
    for (let k = a; k < b; k++) out.push(toFinding(sentences[k]!, d.analyses[k - from]!, decideSentence(d, k - from, model)));
    yield out;
    if (opts.release) for (let k = Math.max(0, a - CONTEXT_BEFORE); k < Math.max(0, b - CONTEXT_BEFORE); k++) delete sentences[k];
  }
}

/** Sentences tagged per slice of a long document (bounds the features held at once). */
export const TAG_CHUNK = 2000;
/** Sentences before a slice that its features can look back to (the list lead-in, MAX_LEAD_DISTANCE), and one more. */
const CONTEXT_BEFORE = MAX_LEAD_DISTANCE + 1;
/** Sentences after a slice that its features look ahead to (the next sentence's rules). */
const CONTEXT_AFTER = 1;

/** Label one sentence on its own (no neighbours; inspection register). */
export function tagSentence(s: Sentence, model: TagModel | null = defaultModel()): Finding {
  return tagSentences([s], model)[0]!;
}
