/**
 * What a chart shows: the improvement share ((I + M) / evaluative findings) of a document × theme
 * cell. Scored on the cells with at least `minFindings` annotated evaluative findings: the mean
 * absolute difference between the share from the gold labels and themes and the share from the
 * predicted ones, and how many cells the predictions leave empty.
 */
import type { LabelCode } from '../types.js';
import type { EvalUnit } from './data.js';

export interface CellScore {
  doc: string;
  theme: string;
  gold: { findings: number; share: number };
  /** null: no unit of the document is predicted evaluative with this theme (the cell is empty). */
  predicted: { findings: number; share: number } | null;
}

export interface CellEvalResult {
  minFindings: number;
  /** Cells with at least minFindings gold evaluative findings. */
  cells: number;
  /** Of those, cells the predictions leave empty (not in the MAE). */
  empty: number;
  /** Mean absolute error of the share over the cells that are not empty. */
  mae: number;
  scores: CellScore[];
}

export interface UnitPrediction {
  label: LabelCode;
  themes: string[];
}

const improvement = (l: LabelCode) => l === 'I' || l === 'M';

/** Improvement-share error per document × theme cell (see the module comment). */
export function evaluateCells(units: EvalUnit[], predicted: Map<EvalUnit, UnitPrediction>, minFindings = 3): CellEvalResult {
  type Tally = { n: number; imp: number };
  const gold = new Map<string, Tally>();
  const pred = new Map<string, Tally>();
  const add = (m: Map<string, Tally>, key: string, label: LabelCode) => {
    const t = m.get(key) ?? { n: 0, imp: 0 };
    t.n++;
    if (improvement(label)) t.imp++;
    m.set(key, t);
  };
  for (const u of units) {
    if (u.label !== 'N') for (const t of new Set(u.themes)) add(gold, `${u.doc}\t${t}`, u.label);
    const p = predicted.get(u);
    if (p && p.label !== 'N') for (const t of new Set(p.themes)) add(pred, `${u.doc}\t${t}`, p.label);
  }
  const scores: CellScore[] = [];
  for (const [key, g] of [...gold].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (g.n < minFindings) continue;
    const [doc, theme] = key.split('\t') as [string, string];
    const p = pred.get(key);
    scores.push({ doc, theme, gold: { findings: g.n, share: g.imp / g.n }, predicted: p ? { findings: p.n, share: p.imp / p.n } : null });
  }
  const filled = scores.filter((s) => s.predicted);
  const mae = filled.length ? filled.reduce((a, s) => a + Math.abs(s.gold.share - s.predicted!.share), 0) / filled.length : 0;
  return { minFindings, cells: scores.length, empty: scores.length - filled.length, mae, scores };
}

export function formatCellEval(r: CellEvalResult): string {
  return `improvement share per document x theme cell (cells with >= ${r.minFindings} annotated findings): ${r.cells} cells, mean absolute error ${r.mae.toFixed(3)} over the ${r.cells - r.empty} the predictions fill (${r.empty} left empty)`;
}
