/**
 * Evaluation of the theme stage: per-theme and micro-averaged P/R/F1 on the evaluative units
 * (gold S/I/M), for the codebook's rules alone and for the learned theme scorers (document-grouped
 * k-fold CV, on the units placed in their sources: src/eval/align.ts).
 */
import type { EvalUnit } from './data.js';
import type { AlignedDoc } from './align.js';
import { foldOf } from './labels.js';
import type { Codebook } from '../theme/codebook.js';
import { loadCodebook, themeRulesHash } from '../theme/codebook.js';
import { matchThemeSequence } from '../theme/matcher.js';
import { decideThemes, MIN_POSITIVES, themeFeatures, type ThemeModel, type ThemeScorer } from '../theme/model.js';
import { DEFAULT_PERCEPTRON, indexFeatures, trainBinaryPerceptron, type LinearOptions } from '../tag/linear.js';
import { stems, tokenize } from '../nlp/tokens.js';
import type { ThemeHit } from '../types.js';

export interface ThemeScore {
  theme: string;
  support: number;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ThemeEvalResult {
  /** Evaluative units scored (gold label S, I or M). */
  units: number;
  perTheme: ThemeScore[];
  micro: { precision: number; recall: number; f1: number };
  /** Whether section paths were reconstructed from the source documents for section rules. */
  sections?: boolean;
}

export interface ThemeEvalOptions {
  /** Section path of each unit (default none: text-only rules). */
  sectionPaths?: Map<EvalUnit, string[]>;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Predicted themes (ids) for each unit, as the pipeline would assign them: units of a document in
 * order, each with its gold label's evaluative flag (themes only for S/I/M) and continuation
 * between adjacent units.
 */
export function predictUnitThemes(
  units: EvalUnit[],
  codebook: Codebook,
  sectionPaths: Map<EvalUnit, string[]> = new Map(),
  /** Which units count as evaluative (themes go only to those); default: the gold label is S, I or M. */
  evaluative: (u: EvalUnit) => boolean = (u) => u.label !== 'N',
): Map<EvalUnit, string[]> {
  const out = new Map<EvalUnit, string[]>();
  const byDoc = new Map<string, EvalUnit[]>();
  for (const u of units) {
    if (!byDoc.has(u.doc)) byDoc.set(u.doc, []);
    byDoc.get(u.doc)!.push(u);
  }
  for (const list of byDoc.values()) {
    list.sort((a, b) => a.i - b.i);
    const hits = matchThemeSequence(
      codebook,
      list.map((u, k) => {
        const tokens = tokenize(u.text);
        return { tokens, stems: stems(tokens), sectionPath: sectionPaths.get(u) ?? [], evaluative: evaluative(u), adjacent: k > 0 && list[k - 1].i === u.i - 1 };
      }),
    );
    list.forEach((u, k) => out.set(u, hits[k].map((h) => h.theme)));
  }
  return out;
}

/**
 * Score the codebook rules on units alone (no document structure beyond the given section paths):
 * each evaluative unit's predicted themes against its gold themes.
 */
export function evaluateThemes(units: EvalUnit[], codebook?: Codebook, opts: ThemeEvalOptions = {}): ThemeEvalResult {
  const cb = codebook ?? loadCodebook();
  const paths = opts.sectionPaths ?? new Map<EvalUnit, string[]>();
  const predictedBy = predictUnitThemes(units, cb, paths);
  const evaluative = units.filter((u) => u.label !== 'N');
  return { ...scoreThemes(evaluative.map((u) => u.themes), evaluative.map((u) => predictedBy.get(u) ?? []), cb), sections: paths.size > 0 };
}

/** Per-theme and micro P/R/F1 of predicted theme sets against gold ones (one pair per evaluative unit). */
export function scoreThemes(goldSets: readonly (readonly string[])[], predicted: readonly (readonly string[])[], cb: Codebook): ThemeEvalResult {
  const ids = new Set<string>(cb.themes.map((t) => t.id));
  for (const g of goldSets) for (const t of g) ids.add(t);
  for (const p of predicted) for (const t of p) ids.add(t);
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  for (const id of ids) counts.set(id, { tp: 0, fp: 0, fn: 0, support: 0 });
  goldSets.forEach((g, i) => {
    const gold = new Set(g);
    const pred = new Set(predicted[i]);
    for (const x of gold) {
      const c = counts.get(x)!;
      c.support++;
      if (pred.has(x)) c.tp++;
      else c.fn++;
    }
    for (const x of pred) if (!gold.has(x)) counts.get(x)!.fp++;
  });
  const order = new Map(cb.themes.map((t, i) => [t.id, i]));
  const perTheme: ThemeScore[] = [...counts.entries()]
    .map(([theme, c]) => {
      const precision = ratio(c.tp, c.tp + c.fp);
      const recall = ratio(c.tp, c.tp + c.fn);
      return { theme, ...c, precision, recall, f1: f1(precision, recall) };
    })
    .sort((a, b) => (order.get(a.theme) ?? 1e9) - (order.get(b.theme) ?? 1e9) || a.theme.localeCompare(b.theme));
  const tp = perTheme.reduce((s, t) => s + t.tp, 0);
  const fp = perTheme.reduce((s, t) => s + t.fp, 0);
  const fn = perTheme.reduce((s, t) => s + t.fn, 0);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return { units: goldSets.length, perTheme, micro: { precision, recall, f1: f1(precision, recall) } };
}

// ---------------------------------------------------------------- learned themes on aligned documents

/** One unit's theme features, its codebook hits and gold themes. */
export interface ThemeRow {
  doc: string;
  unit: EvalUnit;
  features: string[];
  hits: ThemeHit[];
  input: Parameters<typeof decideThemes>[2];
}

/**
 * Theme rows of an aligned document: the codebook is matched over the document's sentences in
 * order (units evaluative as `evaluative(j)` says; the context sentences around them count as
 * evaluative), and every unit that `evaluative` accepts gets a row.
 */
export function themeRows(d: AlignedDoc, cb: Codebook, evaluative: (j: number) => boolean = (j) => d.units[j]!.label !== 'N'): ThemeRow[] {
  const unitOf = new Map(d.unitAt.map((k, j) => [k, j]));
  const hits = matchThemeSequence(
    cb,
    d.sentences.map((s, k) => ({ tokens: s.tokens, stems: s.stems, sectionPath: s.sectionPath, evaluative: unitOf.has(k) ? evaluative(unitOf.get(k)!) : true, adjacent: k > 0 })),
  );
  const rows: ThemeRow[] = [];
  d.unitAt.forEach((k, j) => {
    if (!evaluative(j)) return;
    const s = d.sentences[k]!;
    const input = { tokens: s.tokens, stems: s.stems, sectionPath: s.sectionPath, hits: hits[k]!, previousHits: hits[k - 1] ?? [] };
    rows.push({ doc: d.doc, unit: d.units[j]!, features: themeFeatures(input), hits: hits[k]!, input });
  });
  return rows;
}

/**
 * Theme scorers: averaged perceptron, the mean of 5 shuffle orders (10, as for labels, took twice
 * as long for no more F1); features seen in fewer than 3 units are dropped (a smaller file, the
 * same accuracy).
 */
export const THEME_OPTIONS: LinearOptions = { ...DEFAULT_PERCEPTRON, epochs: 8, minCount: 3, orders: 5 };

/** Inner folds (by document) that decide, per theme, whether its scorer beats the codebook alone. */
export const THEME_INNER_FOLDS = 3;

const binaryF1 = (tp: number, fp: number, fn: number) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));

/**
 * Train one scorer per codebook theme with at least MIN_POSITIVES positive rows, and keep it only
 * where it beats the codebook's own matches on an inner k-fold by document over the same rows
 * (the codebook decides the other themes). The inner F1s are recorded in the model.
 */
export function trainThemeModel(rows: readonly ThemeRow[], cb: Codebook, id = 'themes'): ThemeModel {
  const scorers = new Map<string, ThemeScorer>();
  const folds = rows.map((r) => foldOf(r.doc, THEME_INNER_FOLDS, 'themes:'));
  const data = indexFeatures(
    rows.map((r) => r.features),
    THEME_OPTIONS.minCount,
  );
  for (const t of cb.themes) {
    const gold = rows.map((r) => r.unit.themes.includes(t.id));
    const positives = gold.filter(Boolean).length;
    if (positives < MIN_POSITIVES) continue;
    const c = { tp: 0, fp: 0, fn: 0 };
    // Held-out scores of the inner folds' scorers, for the cut-off.
    const held: { z: number; gold: boolean }[] = [];
    for (let f = 0; f < THEME_INNER_FOLDS; f++) {
      const weights = trainBinaryPerceptron(data, gold, THEME_OPTIONS, (k) => folds[k] !== f);
      rows.forEach((r, k) => {
        if (folds[k] !== f) return;
        let z = 0;
        for (const x of r.features) z += weights.get(x) ?? 0;
        held.push({ z, gold: gold[k]! });
        const byCodebook = r.hits.some((h) => h.theme === t.id);
        if (byCodebook && gold[k]) c.tp++;
        else if (byCodebook) c.fp++;
        else if (gold[k]) c.fn++;
      });
    }
    const cut = bestCutOff(held);
    const innerF1 = { model: round3(cut.f1), codebook: round3(binaryF1(c.tp, c.fp, c.fn)) };
    const use = innerF1.model > innerF1.codebook ? 'model' : 'codebook';
    const weights = use === 'model' ? withCutOff(trainBinaryPerceptron(data, gold, THEME_OPTIONS), cut.threshold) : new Map<string, number>();
    scorers.set(t.id, { positives, use, innerF1, rules: themeRulesHash(t), weights, ...(use === 'model' ? { threshold: cut.threshold } : {}) });
  }
  return { id, scorers };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The cut-off on a scorer's score that gives the best F1 on held-out rows, between 0 and
 * MIN_CUT_OFF: a scorer only ever gives a theme more readily than its sign says (trained on few
 * positives among thousands of rows, the perceptron is cautious: on CV its precision is well
 * above its recall). Candidates are the midpoints between held-out scores;
 * ties go to the cut-off nearest 0.
 */
export function bestCutOff(held: readonly { z: number; gold: boolean }[]): { threshold: number; f1: number } {
  const positives = held.filter((h) => h.gold).length;
  const above = held.filter((h) => h.z > 0);
  const tpAtZero = above.filter((h) => h.gold).length;
  let best = { threshold: 0, f1: binaryF1(tpAtZero, above.length - tpAtZero, positives - tpAtZero) };
  // Lower the cut-off one held-out score at a time, counting what falls above it.
  const sorted = [...held].sort((a, b) => b.z - a.z);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.gold) tp++;
    else fp++;
    const next = sorted[i + 1]?.z ?? -Infinity;
    const here = sorted[i]!.z;
    if (next === here) continue;
    const threshold = Number(((here + Math.max(next, MIN_CUT_OFF)) / 2).toFixed(4));
    if (threshold >= 0 || threshold < MIN_CUT_OFF) continue;
    const f1 = binaryF1(tp, fp, positives - tp);
    if (f1 > best.f1) best = { threshold, f1 };
  }
  return best;
}

/** How far below 0 a scorer's cut-off may go. */
export const MIN_CUT_OFF = -4;

/** The scorer with its cut-off folded into the bias weight, so that score > 0 still means the theme. */
function withCutOff(weights: Map<string, number>, threshold: number): Map<string, number> {
  if (threshold === 0) return weights;
  const out = new Map(weights);
  const b = Number(((out.get('bias') ?? 0) - threshold).toFixed(4));
  if (b === 0) out.delete('bias');
  else out.set('bias', b);
  return new Map([...out].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

export interface ThemeCvResult {
  rulesOnly: ThemeEvalResult;
  model: ThemeEvalResult;
  /** The model's themes for each evaluative unit (held-out). */
  predicted: Map<EvalUnit, string[]>;
  /**
   * Themes as a run gives them, for the cells a chart shows: evaluative = the predicted label is
   * not N (when `predictedLabel` is given), the fold's theme model decides.
   */
  pipeline: Map<EvalUnit, string[]>;
}

/**
 * Document-grouped k-fold CV of the theme scorers on the gold-evaluative units, next to the rules
 * alone; with `predictedLabel`, also the themes of the units the tagger calls evaluative.
 */
export function evaluateThemesCV(docs: readonly AlignedDoc[], cb: Codebook, folds: number, predictedLabel?: (u: EvalUnit) => string): ThemeCvResult {
  const rowsByDoc = new Map(docs.map((d) => [d.doc, themeRows(d, cb)]));
  const predicted = new Map<EvalUnit, string[]>();
  const rules = new Map<EvalUnit, string[]>();
  const pipeline = new Map<EvalUnit, string[]>();
  for (let f = 0; f < folds; f++) {
    const train = docs.filter((d) => foldOf(d.doc, folds) !== f).flatMap((d) => rowsByDoc.get(d.doc)!);
    const model = trainThemeModel(train, cb, `fold:${f}`);
    for (const d of docs) {
      if (foldOf(d.doc, folds) !== f) continue;
      for (const r of rowsByDoc.get(d.doc)!) {
        predicted.set(r.unit, decideThemes(cb, model, r.input).map((h) => h.theme));
        rules.set(r.unit, r.hits.map((h) => h.theme));
      }
      if (predictedLabel) for (const r of themeRows(d, cb, (j) => predictedLabel(d.units[j]!) !== 'N')) pipeline.set(r.unit, decideThemes(cb, model, r.input).map((h) => h.theme));
    }
  }
  const units = docs.flatMap((d) => d.units).filter((u) => u.label !== 'N');
  const gold = units.map((u) => u.themes);
  return {
    rulesOnly: scoreThemes(gold, units.map((u) => rules.get(u) ?? []), cb),
    model: scoreThemes(gold, units.map((u) => predicted.get(u) ?? []), cb),
    predicted,
    pipeline,
  };
}

/** Printable table of a ThemeEvalResult. */
export function formatThemeEval(r: ThemeEvalResult): string {
  const head = ['theme', 'support', 'tp', 'fp', 'fn', 'P', 'R', 'F1'];
  const rows = r.perTheme.map((t) => [t.theme, String(t.support), String(t.tp), String(t.fp), String(t.fn), t.precision.toFixed(3), t.recall.toFixed(3), t.f1.toFixed(3)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const lines = [
    `themes: ${r.units} evaluative units (gold S/I/M)${r.sections ? ', section paths rebuilt from sources' : ''}`,
    fmt(head),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...rows.map(fmt),
    `micro  P ${r.micro.precision.toFixed(3)}  R ${r.micro.recall.toFixed(3)}  F1 ${r.micro.f1.toFixed(3)}`,
  ];
  return lines.join('\n');
}
