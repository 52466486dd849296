/**
 * Evaluation of the S/I/M/N tagger on ../shared/eval with document-grouped cross-validation
 * (k folds by document: a model scoring a document never saw it). Each unit is placed in its
 * source document as the pipeline reads it (src/eval/align.ts), so the features are the ones a run
 * computes. Three model families are trained on the same features per fold (logistic regression,
 * the shipped one; averaged perceptron; naive Bayes) and scored side by side with the rules alone
 * and a baseline of natural's AFINN SentimentAnalyzer (score sign -> S/I, zero -> N), overall and
 * per kind of document.
 */
import { createHash } from 'node:crypto';
import natural from '../nlp/natural.js';
import { tokenize } from '../nlp/tokens.js';
import type { LabelCode } from '../types.js';
import { LABEL_CODES } from '../types.js';
import { analyseDocument, decideSentence, type DocumentAnalysis } from '../tag/index.js';
import { MODEL_FAMILIES, SHIPPED_FAMILY, trainFamily, type Classifier, type ModelFamily, type TrainingExample } from '../tag/linear.js';
import type { AlignedDoc } from './align.js';
import { EVAL_DOC_KINDS, type EvalDocKind, type EvalUnit } from './data.js';

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
  /** The shipped family's labels, one per unit. */
  ours: LabelCode[];
  rulesOnly: LabelCode[];
  afinn: LabelCode[];
  families: Record<ModelFamily, LabelCode[]>;
}

/** Macro-F1 and the rest for each system on one set of documents. */
export interface SystemScores {
  units: number;
  documents: number;
  ours: LabelMetrics;
  rulesOnly: LabelMetrics;
  afinn: LabelMetrics;
  families: Record<ModelFamily, LabelMetrics>;
}

export interface LabelEvalResult extends SystemScores {
  folds: number;
  dataSha256: string;
  /** The same figures per kind of document (Ofsted reports, council papers). */
  byKind: Partial<Record<EvalDocKind, SystemScores>>;
  predictions: DocPrediction[];
  /** The shipped family on another reading of the same documents (e.g. PDFs converted to text), next to the usual reading of those documents. */
  alternate?: AlternateScores;
}

/** Macro-F1 of the shipped family on an alternate reading of some documents, with the usual reading of the same documents. */
export interface AlternateScores {
  documents: number;
  units: number;
  usual: LabelMetrics;
  alternate: LabelMetrics;
}

/** One aligned document with the tagger's analysis of its sentences (computed once). */
export interface PreparedDoc extends AlignedDoc {
  analysis: DocumentAnalysis;
}

export function prepareDocs(docs: readonly AlignedDoc[]): PreparedDoc[] {
  return docs.map((d) => ({ ...d, analysis: analyseDocument(d.sentences) }));
}

/** Training examples (model features at each unit + gold label) of the documents, minus the excluded ones. */
export function examplesOf(prepared: readonly PreparedDoc[], exclude: ReadonlySet<string> = new Set()): TrainingExample[] {
  const out: TrainingExample[] = [];
  for (const p of prepared) {
    if (exclude.has(p.doc)) continue;
    p.unitAt.forEach((k, j) => out.push({ features: p.analysis.features[k]!, label: p.units[j]!.label }));
  }
  return out;
}

/** Folds of the document-grouped cross-validation. */
export const DEFAULT_FOLDS = 5;

/**
 * The fold of a document: a hash of its id (and a salt), so a document keeps its fold when
 * others are added to the data.
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

/** Hash of the eval units (position, label, themes and text), recorded in the model file. */
export function unitsHash(units: readonly EvalUnit[]): string {
  const h = createHash('sha256');
  for (const u of units) h.update(`${u.doc}\t${u.i}\t${u.label}\t${u.themes.join(';')}\t${u.text}\n`);
  return h.digest('hex');
}

export interface LabelEvalOptions {
  /** Folds by document (default DEFAULT_FOLDS). */
  folds?: number;
  /** Model families to compare (default all; the shipped one is always trained). */
  families?: readonly ModelFamily[];
  /** Called after each fold. */
  onFold?: (fold: number, folds: number) => void;
  /**
   * Another reading of some of the documents (same doc ids and units, e.g. their PDFs converted
   * with `pdftotext -layout`): each is labelled by its fold's model too, never trained on.
   */
  alternate?: readonly PreparedDoc[];
}

/** A family's labels for a document's units, through the same decision as tagSentences. */
const predictUnits = (p: PreparedDoc, c: Classifier): LabelCode[] => {
  const model = { id: c.family, classifier: c };
  return p.unitAt.map((k) => decideSentence(p.analysis, k, model).code);
};

/**
 * Document-grouped k-fold evaluation: for each fold, every model family is trained on the
 * documents of the other folds and labels this fold's units; the rules alone and AFINN are scored
 * on the same units.
 */
export function evaluateLabels(prepared: readonly PreparedDoc[], opts: LabelEvalOptions = {}): LabelEvalResult {
  const folds = Math.max(2, Math.min(opts.folds ?? DEFAULT_FOLDS, prepared.length));
  const families = [...new Set<ModelFamily>([SHIPPED_FAMILY, ...(opts.families ?? MODEL_FAMILIES)])];
  const byDoc = new Map<string, DocPrediction>();
  const alternate = new Map<string, LabelCode[]>();
  for (let f = 0; f < folds; f++) {
    const fold = prepared.filter((p) => foldOf(p.doc, folds) === f);
    if (!fold.length) continue;
    const train = examplesOf(prepared, new Set(fold.map((p) => p.doc)));
    const models = Object.fromEntries(families.map((fam) => [fam, trainFamily(fam, train)])) as Record<ModelFamily, Classifier>;
    for (const p of opts.alternate ?? []) if (foldOf(p.doc, folds) === f) alternate.set(p.doc, predictUnits(p, models[SHIPPED_FAMILY]));
    for (const p of fold) {
      const fam = Object.fromEntries(families.map((x) => [x, predictUnits(p, models[x])])) as Record<ModelFamily, LabelCode[]>;
      byDoc.set(p.doc, {
        doc: p.doc,
        kind: p.kind,
        units: p.units,
        ours: fam[SHIPPED_FAMILY],
        rulesOnly: p.unitAt.map((k) => p.analysis.rules[k]!.code),
        afinn: p.units.map((u) => afinnLabel(u.text)),
        families: fam,
      });
    }
    opts.onFold?.(f, folds);
  }
  const predictions = prepared.map((p) => byDoc.get(p.doc)!);
  const score = (list: DocPrediction[]): SystemScores => {
    const gold = list.flatMap((p) => p.units.map((u) => u.label));
    const fam = Object.fromEntries(families.map((x) => [x, scoreLabels(gold, list.flatMap((p) => p.families[x]))])) as Record<ModelFamily, LabelMetrics>;
    return { units: gold.length, documents: list.length, ours: fam[SHIPPED_FAMILY], rulesOnly: scoreLabels(gold, list.flatMap((p) => p.rulesOnly)), afinn: scoreLabels(gold, list.flatMap((p) => p.afinn)), families: fam };
  };
  const byKind: Partial<Record<EvalDocKind, SystemScores>> = {};
  for (const kind of EVAL_DOC_KINDS) {
    const list = predictions.filter((p) => p.kind === kind);
    if (list.length) byKind[kind] = score(list);
  }
  const result: LabelEvalResult = { ...score(predictions), folds, dataSha256: unitsHash(prepared.flatMap((p) => p.units)), byKind, predictions };
  if (opts.alternate) {
    const both = (opts.alternate ?? []).filter((p) => alternate.has(p.doc) && byDoc.has(p.doc));
    const gold = both.flatMap((p) => p.units.map((u) => u.label));
    result.alternate = {
      documents: both.length,
      units: gold.length,
      usual: scoreLabels(gold, both.flatMap((p) => byDoc.get(p.doc)!.ours)),
      alternate: scoreLabels(gold, both.flatMap((p) => alternate.get(p.doc)!)),
    };
  }
  return result;
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
    ['ours (shipped model)', r.ours],
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
  lines.push(...formatFamilies(r));
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
  lines.push('council papers, per document: units, macro-F1 ours / rules only / AFINN');
  for (const p of r.predictions) {
    if (p.kind !== 'council_paper') continue;
    const gold = p.units.map((u) => u.label);
    lines.push(`  ${p.doc.slice(0, 60).padEnd(60)} ${pad(p.units.length, 4)}  ${f3(scoreLabels(gold, p.ours).macroF1)} / ${f3(scoreLabels(gold, p.rulesOnly).macroF1)} / ${f3(scoreLabels(gold, p.afinn).macroF1)}`);
  }
  if (r.alternate) {
    const a = r.alternate;
    lines.push('');
    lines.push(`the same ${a.documents} PDF reports (${a.units} units) converted with pdftotext -layout and read as .txt: macro-F1, F1 S I M N`);
    for (const [name, m] of [['read as PDF', a.usual], ['read as layout text', a.alternate]] as const) {
      lines.push(`  ${name.padEnd(22)} ${f3(m.macroF1)}   ${m.perLabel.map((l) => f3(l.f1)).join(' ')}`);
    }
  }
  return lines.join('\n');
}

const FAMILY_NAMES: Record<ModelFamily, string> = { logistic: 'logistic regression (AdaGrad, L2)', perceptron: 'averaged perceptron', naive_bayes: "naive Bayes (natural's)" };

/** The model comparison: macro-F1 and per-label F1 of each family, overall and per kind of document. */
export function formatFamilies(r: LabelEvalResult): string[] {
  const lines = [`model families on the same features (${r.folds}-fold CV by document): macro-F1 all / Ofsted reports / council papers; F1 S I M N`];
  const rows: [string, (s: SystemScores) => LabelMetrics][] = [
    ...(Object.keys(r.families) as ModelFamily[]).map((f) => [FAMILY_NAMES[f] + (f === SHIPPED_FAMILY ? ' [shipped]' : ''), (s: SystemScores) => s.families[f]] as [string, (s: SystemScores) => LabelMetrics]),
    ['rules alone', (s) => s.rulesOnly],
    ['AFINN baseline', (s) => s.afinn],
  ];
  for (const [name, get] of rows) {
    const m = get(r);
    const kinds = EVAL_DOC_KINDS.map((k) => (r.byKind[k] ? f3(get(r.byKind[k]!).macroF1) : '  -  ')).join(' / ');
    lines.push(`  ${name.padEnd(40)} ${f3(m.macroF1)} / ${kinds}   ${m.perLabel.map((l) => f3(l.f1)).join(' ')}`);
  }
  return lines;
}
