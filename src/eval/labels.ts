/**
 * Evaluation of the S/I/M/N tagger on ../shared/eval with document-grouped cross-validation
 * (k folds by document: the learned combiner scoring a document never saw it), side by side
 * with the rules alone and a baseline of natural's AFINN SentimentAnalyzer (score sign -> S/I,
 * zero -> N), overall and per kind of document.
 */
import { createHash } from 'node:crypto';
import natural from '../nlp/natural.js';
import { tokenize } from '../nlp/tokens.js';
import { makeSentence } from '../segment/sentence.js';
import type { LabelCode, Sentence } from '../types.js';
import { LABEL_CODES } from '../types.js';
import { detectRegister, labelsByWeight, sentenceFeatures, tagSentences } from '../tag/index.js';
import { trainModel, withWeight, type TagModel, type TrainingExample } from '../tag/model.js';
import { EVAL_DOC_KINDS, evalDocKind, groupByDoc, type EvalDocKind, type EvalUnit } from './data.js';

// ---------------------------------------------------------------- eval units -> Sentence records

const FINAL_STOP_RE = /[.!;,:]["'”’)]?\s*$/;
const STARTS_UPPER_RE = /^["'“‘(]?[A-Z0-9]/;

/**
 * Does an eval unit look like a heading? Short, no final full stop (a question mark is allowed:
 * "What needs to improve?"), starting with a capital — what the segmenter treats as a heading.
 */
export function looksLikeHeading(text: string): boolean {
  const t = text.trim();
  if (!t || FINAL_STOP_RE.test(t) || !STARTS_UPPER_RE.test(t)) return false;
  const words = t.split(/\s+/);
  // A unit cut at a page break ends on a function word or adverb: not a heading.
  if (words.length > 1 && FRAGMENT_END_RE.test(words[words.length - 1])) return false;
  if (words.length <= 12) return true;
  // Graded headings: "The experiences and progress of ...: requires improvement to be good".
  return words.length <= 24 && GRADED_HEADING_RE.test(t);
}

const FRAGMENT_END_RE =
  /^(?:the|a|an|of|and|or|but|to|in|on|at|by|for|with|from|is|are|was|were|be|being|been|has|have|had|that|which|who|this|these|their|its|as|than|either|[a-z]+ly)$/;
const GRADED_HEADING_RE = /:\s*(?:outstanding|good|requires improvement(?: to be good)?|inadequate)\s*$/i;

/** Build Sentence records for one document's units (in order), with headings and section paths. */
export function unitsToSentences(units: EvalUnit[]): Sentence[] {
  let path: string[] = [];
  return units.map((u, index) => {
    const isHeading = looksLikeHeading(u.text);
    if (isHeading) path = [u.text.trim()];
    return makeSentence({ id: `${u.doc}#${u.i}`, doc: u.doc, index, text: u.text, sectionPath: path, blockKind: isHeading ? 'heading' : 'paragraph' });
  });
}

// ---------------------------------------------------------------- metrics

export interface LabelScore {
  label: LabelCode;
  support: number;
  predicted: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface LabelMetrics {
  n: number;
  accuracy: number;
  perLabel: LabelScore[];
  macroF1: number;
  /** confusion[gold][predicted] */
  confusion: Record<LabelCode, Record<LabelCode, number>>;
}

export function scoreLabels(gold: LabelCode[], pred: LabelCode[]): LabelMetrics {
  if (gold.length !== pred.length) throw new Error('gold and predicted lengths differ');
  const confusion = Object.fromEntries(LABEL_CODES.map((g) => [g, Object.fromEntries(LABEL_CODES.map((p) => [p, 0]))])) as LabelMetrics['confusion'];
  let correct = 0;
  for (let k = 0; k < gold.length; k++) {
    confusion[gold[k]][pred[k]]++;
    if (gold[k] === pred[k]) correct++;
  }
  const perLabel = LABEL_CODES.map((label) => {
    const tp = confusion[label][label];
    const support = LABEL_CODES.reduce((a, p) => a + confusion[label][p], 0);
    const predicted = LABEL_CODES.reduce((a, g) => a + confusion[g][label], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, support, predicted, precision, recall, f1 };
  });
  const present = perLabel.filter((s) => s.support > 0 || s.predicted > 0);
  const macroF1 = present.length ? present.reduce((a, s) => a + s.f1, 0) / present.length : 0;
  return { n: gold.length, accuracy: gold.length ? correct / gold.length : 0, perLabel, macroF1, confusion };
}

// ---------------------------------------------------------------- systems

const afinn = new natural.SentimentAnalyzer('English', null as unknown as undefined, 'afinn');

/** Baseline: natural's AFINN SentimentAnalyzer, score > 0 -> S, < 0 -> I, 0 -> N (never M). */
export function afinnLabel(text: string): LabelCode {
  const score = afinn.getSentiment(tokenize(text));
  return score > 0 ? 'S' : score < 0 ? 'I' : 'N';
}

export interface DocPrediction {
  doc: string;
  kind: EvalDocKind;
  units: EvalUnit[];
  /** Combiner weight chosen for this fold (inner CV on the other documents). */
  weight: number;
  ours: LabelCode[];
  rulesOnly: LabelCode[];
  afinn: LabelCode[];
}

/** Macro-F1 and the rest for each system on one set of documents. */
export interface SystemScores {
  units: number;
  documents: number;
  ours: LabelMetrics;
  rulesOnly: LabelMetrics;
  afinn: LabelMetrics;
}

export interface LabelEvalResult {
  documents: number;
  units: number;
  folds: number;
  dataSha256: string;
  /** The same figures per kind of document (Ofsted reports, council papers). */
  byKind: Partial<Record<EvalDocKind, SystemScores>>;
  ours: LabelMetrics;
  rulesOnly: LabelMetrics;
  afinn: LabelMetrics;
  predictions: DocPrediction[];
}

/** One document's eval units as Sentence records with their rule features (computed once). */
export interface PreparedDoc {
  doc: string;
  units: EvalUnit[];
  sentences: Sentence[];
  features: string[][];
}

export function prepareDocs(docs: Map<string, EvalUnit[]>): PreparedDoc[] {
  return [...docs].map(([doc, units]) => {
    const sentences = unitsToSentences(units);
    const register = detectRegister(sentences);
    return { doc, units, sentences, features: sentences.map((s) => sentenceFeatures(s, register)) };
  });
}

/** Training examples (rule features + gold label) of the given documents, minus the excluded ones. */
export function examplesOf(prepared: PreparedDoc[], exclude: ReadonlySet<string> = new Set()): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const p of prepared) {
    if (exclude.has(p.doc)) continue;
    p.features.forEach((features, k) => out.push({ features, label: p.units[k].label }));
  }
  return out;
}

/** Training examples from documents' units (all documents except `exclude`). */
export function trainingExamples(docs: Map<string, EvalUnit[]>, exclude?: string): TrainingExample[] {
  return examplesOf(prepareDocs(docs), new Set(exclude ? [exclude] : []));
}

/** Candidate weights of the learned combiner against the rule scores (0 = rules only). */
export const MODEL_WEIGHT_GRID: readonly number[] = [0, 0.1, 0.25, 0.5, 1];

/** Folds of the document-grouped cross-validation (outer, and inner for the combiner weight). */
export const DEFAULT_FOLDS = 5;

/**
 * The fold of a document: a hash of its id (and a salt, so that inner folds cut across outer
 * ones), so a document keeps its fold when others are added to the data.
 */
export function foldOf(doc: string, folds: number, salt = ''): number {
  let h = 2166136261;
  const s = salt + doc;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % folds;
}

/**
 * Choose the combiner weight by document-grouped k-fold CV on the given documents only (nested
 * inside the outer fold in evaluateLabels, so the held-out documents play no part). Ties go to the
 * smaller weight.
 */
export function selectModelWeight(prepared: PreparedDoc[], exclude: ReadonlySet<string> = new Set(), folds = DEFAULT_FOLDS): { weight: number; macroF1: Record<string, number> } {
  const inner = prepared.filter((p) => !exclude.has(p.doc));
  if (inner.length < 2) return { weight: 0, macroF1: {} };
  const k = Math.min(folds, inner.length);
  const gold: LabelCode[] = [];
  const pred = new Map<number, LabelCode[]>(MODEL_WEIGHT_GRID.map((w) => [w, []]));
  for (let f = 0; f < k; f++) {
    const held = inner.filter((p) => foldOf(p.doc, k, 'inner:') === f);
    if (!held.length) continue;
    const base = trainModel(examplesOf(inner, new Set(held.map((p) => p.doc))), `inner:${f}`);
    for (const p of held) {
      for (const u of p.units) gold.push(u.label);
      labelsByWeight(p.sentences, base, MODEL_WEIGHT_GRID).forEach((codes, k) => pred.get(MODEL_WEIGHT_GRID[k]!)!.push(...codes));
    }
  }
  const macroF1: Record<string, number> = {};
  let weight = 0;
  let best = -1;
  for (const w of MODEL_WEIGHT_GRID) {
    const f = scoreLabels(gold, pred.get(w)!).macroF1;
    macroF1[String(w)] = f;
    if (f > best + 1e-9) {
      best = f;
      weight = w;
    }
  }
  return { weight, macroF1 };
}

/** Hash of the eval units (labels and texts), recorded in the model file. */
export function unitsHash(units: EvalUnit[]): string {
  const h = createHash('sha256');
  for (const u of units) h.update(`${u.doc}\t${u.i}\t${u.label}\t${u.text}\n`);
  return h.digest('hex');
}

export interface LabelEvalOptions {
  /** Folds by document (default DEFAULT_FOLDS). */
  folds?: number;
  /** Each document's source (evalSources), for the per-kind figures. */
  sources?: Map<string, string>;
}

/**
 * Document-grouped k-fold evaluation. For each fold, a combiner is trained on the documents of
 * the other folds (its weight chosen by an inner k-fold on them) and tags this fold's documents;
 * the rules alone and AFINN are scored on the same units.
 */
export function evaluateLabels(units: EvalUnit[], opts: LabelEvalOptions = {}): LabelEvalResult {
  const docs = groupByDoc(units);
  const prepared = prepareDocs(docs);
  const folds = Math.max(2, Math.min(opts.folds ?? DEFAULT_FOLDS, prepared.length));
  const byDoc = new Map<string, DocPrediction>();
  for (let f = 0; f < folds; f++) {
    const fold = prepared.filter((p) => foldOf(p.doc, folds) === f);
    if (!fold.length) continue;
    const held = new Set(fold.map((p) => p.doc));
    // Nested: the weight is chosen on the other folds' documents, then the model is trained on them.
    const { weight } = selectModelWeight(prepared, held, folds);
    const model: TagModel | null = weight > 0 ? trainModel(examplesOf(prepared, held), `fold:${f}`, weight) : null;
    for (const p of fold) {
      byDoc.set(p.doc, {
        doc: p.doc,
        kind: evalDocKind(opts.sources?.get(p.doc)),
        units: p.units,
        weight,
        ours: tagSentences(p.sentences, model).map((x) => x.code),
        rulesOnly: tagSentences(p.sentences, null).map((x) => x.code),
        afinn: p.units.map((u) => afinnLabel(u.text)),
      });
    }
  }
  const predictions = prepared.map((p) => byDoc.get(p.doc)!);
  const score = (list: DocPrediction[]): SystemScores => {
    const gold = list.flatMap((p) => p.units.map((u) => u.label));
    return { units: gold.length, documents: list.length, ours: scoreLabels(gold, list.flatMap((p) => p.ours)), rulesOnly: scoreLabels(gold, list.flatMap((p) => p.rulesOnly)), afinn: scoreLabels(gold, list.flatMap((p) => p.afinn)) };
  };
  const all = score(predictions);
  const byKind: Partial<Record<EvalDocKind, SystemScores>> = {};
  for (const kind of EVAL_DOC_KINDS) {
    const list = predictions.filter((p) => p.kind === kind);
    if (list.length) byKind[kind] = score(list);
  }
  return {
    documents: docs.size,
    units: all.units,
    folds,
    dataSha256: unitsHash([...docs.values()].flat()),
    ours: all.ours,
    rulesOnly: all.rulesOnly,
    afinn: all.afinn,
    byKind,
    predictions,
  };
}

// ---------------------------------------------------------------- printing

const f3 = (x: number) => x.toFixed(3);
const KIND_NAMES: Record<EvalDocKind, string> = { ofsted_report: 'Ofsted reports (PDF)', council_paper: 'council papers, news and letters (text)' };
const pad = (s: string | number, n: number) => String(s).padStart(n);

function confusionTable(title: string, m: LabelMetrics): string[] {
  const lines = [`${title} (rows gold, columns predicted)`, `${'gold\\pred'.padEnd(10)}${LABEL_CODES.map((c) => pad(c, 6)).join('')}${pad('total', 7)}`];
  for (const g of LABEL_CODES) {
    const row = LABEL_CODES.map((p) => m.confusion[g][p]);
    lines.push(`${g.padEnd(10)}${row.map((x) => pad(x, 6)).join('')}${pad(row.reduce((a, b) => a + b, 0), 7)}`);
  }
  return lines;
}

/** Side-by-side table: ours (document-grouped CV) vs rules only vs AFINN. */
export function formatLabelEval(r: LabelEvalResult): string {
  const systems: [string, LabelMetrics][] = [
    ['ours (rules+model)', r.ours],
    ['rules only', r.rulesOnly],
    ['AFINN baseline', r.afinn],
  ];
  const lines: string[] = [];
  lines.push(`S/I/M/N tagging: ${r.units} units in ${r.documents} documents, ${r.folds}-fold cross-validation by document (data sha256 ${r.dataSha256.slice(0, 12)})`);
  lines.push('');
  lines.push(`${'label'.padEnd(7)}${pad('support', 8)}  ${systems.map(([n]) => n.padEnd(22)).join('  ')}`);
  lines.push(`${''.padEnd(15)}  ${systems.map(() => `${pad('P', 6)}${pad('R', 7)}${pad('F1', 7)}  `).join('  ')}`);
  for (let k = 0; k < LABEL_CODES.length; k++) {
    const sup = r.ours.perLabel[k].support;
    lines.push(
      `${LABEL_CODES[k].padEnd(7)}${pad(sup, 8)}  ${systems
        .map(([, m]) => `${pad(f3(m.perLabel[k].precision), 6)}${pad(f3(m.perLabel[k].recall), 7)}${pad(f3(m.perLabel[k].f1), 7)}  `)
        .join('  ')}`,
    );
  }
  lines.push(`${'macro-F1'.padEnd(15)}  ${systems.map(([, m]) => pad(f3(m.macroF1), 20).padEnd(22)).join('  ')}`);
  lines.push(`${'accuracy'.padEnd(15)}  ${systems.map(([, m]) => pad(f3(m.accuracy), 20).padEnd(22)).join('  ')}`);
  lines.push('');
  lines.push(`macro-F1 ours - AFINN = ${f3(r.ours.macroF1 - r.afinn.macroF1)}`);
  lines.push('');
  for (const [name, m] of systems) {
    lines.push(...confusionTable(`confusion, ${name}`, m));
    lines.push('');
  }
  lines.push('per kind of document: documents, units, macro-F1 ours / rules only / AFINN');
  for (const kind of EVAL_DOC_KINDS) {
    const k = r.byKind[kind];
    if (k) lines.push(`  ${KIND_NAMES[kind].padEnd(44)} ${pad(k.documents, 4)} ${pad(k.units, 6)}  ${f3(k.ours.macroF1)} / ${f3(k.rulesOnly.macroF1)} / ${f3(k.afinn.macroF1)}`);
  }
  lines.push('');
  lines.push('council papers, per document: units, macro-F1 ours / AFINN, combiner weight chosen by inner CV on the other folds');
  for (const p of r.predictions) {
    if (p.kind !== 'council_paper') continue;
    const gold = p.units.map((u) => u.label);
    lines.push(`  ${p.doc.slice(0, 60).padEnd(60)} ${pad(p.units.length, 4)}  ${f3(scoreLabels(gold, p.ours).macroF1)} / ${f3(scoreLabels(gold, p.afinn).macroF1)}  w=${p.weight}`);
  }
  return lines.join('\n');
}
