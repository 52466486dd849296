import type { EvalUnit } from './data.js';
import type { Codebook } from '../theme/codebook.js';

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
}

/** Score the theme stage on the evaluative units. STUB: filled in by the themes work (issue 5). */
export function evaluateThemes(units: EvalUnit[], _codebook?: Codebook): ThemeEvalResult {
  return { units: units.filter((u) => u.label !== 'N').length, perTheme: [], micro: { precision: 0, recall: 0, f1: 0 } };
}

/** Printable table of a ThemeEvalResult. */
export function formatThemeEval(r: ThemeEvalResult): string {
  return `themes: ${r.units} evaluative units, micro-F1 ${r.micro.f1.toFixed(3)}`;
}
