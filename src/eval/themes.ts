import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EvalUnit } from './data.js';
import { DEFAULT_EVAL_DIR, evalSources } from './data.js';
import type { Codebook } from '../theme/codebook.js';
import { loadCodebook } from '../theme/codebook.js';
import { matchThemeSequence } from '../theme/matcher.js';
import { stems, tokenize } from '../nlp/tokens.js';

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
  /** Eval folder holding docs.csv (to find each unit's source and rebuild its section path). */
  evalDir?: string;
  /** Rebuild section paths from the sources (default true; false scores text-only rules). */
  sections?: boolean;
  /** Section paths already rebuilt (rebuildSectionPaths), to reuse. */
  sectionPaths?: Map<EvalUnit, string[]>;
}

/**
 * Top-level headings of Ofsted children's services reports (ILACS 2018+, SIF 2013-17): a section
 * path is rebuilt for eval units from these, since the units themselves carry none.
 */
const REPORT_HEADINGS = [
  /^what needs to improve/i,
  /^(areas for improvement|recommendations)\b/i,
  /^(headline findings|executive summary|summary for children|summary\b)/i,
  /^(the )?experiences and progress of\b/i,
  /^(the )?impact of leaders\b/i,
  /^leadership,? management and governance/i,
  /^adoption performance/i,
  /^(the )?effectiveness of the (local safeguarding|lscb)/i,
  /^review of the effectiveness of the (local safeguarding|lscb)/i,
  /^(information about this|the local authority$|inspection findings)/i,
];
const GRADE_ROW = /\s{3,}(good|outstanding|requires improvement|inadequate)\b/i;
const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

interface Heading {
  at: number;
  text: string;
}

/** Source text of a document (pdftotext -layout for PDFs, as the eval units were made), or null. */
function sourceText(evalDir: string, source: string): string | null {
  const path = resolve(evalDir, source);
  if (!existsSync(path)) return null;
  if (!path.toLowerCase().endsWith('.pdf')) return readFileSync(path, 'utf8');
  try {
    return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
}

/** Normalised (alphanumeric-only, lower-case) text of a document with its heading offsets. */
function indexSource(text: string): { flat: string; headings: Heading[] } {
  const lines = text.split(/\r?\n/);
  let flat = '';
  const headings: Heading[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trim().replace(/^#+\s*/, '');
    const indent = line.length - line.trimStart().length;
    if (indent <= 2 && trimmed.length < 120 && !GRADE_ROW.test(line) && REPORT_HEADINGS.some((re) => re.test(trimmed))) {
      let heading = trimmed;
      const next = lines[i + 1]?.trim() ?? '';
      if (!heading.includes(':') && /^[a-z]/.test(next) && next.length < 80) heading = `${heading} ${next}`;
      headings.push({ at: flat.length, text: heading.replace(/\s+/g, ' ') });
    }
    flat += key(line);
  }
  return { flat, headings };
}

/** Section path ([heading] or []) for each unit, found by locating units in their source in order. */
export function rebuildSectionPaths(units: EvalUnit[], evalDir: string = process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR): Map<EvalUnit, string[]> {
  const out = new Map<EvalUnit, string[]>();
  const sources = evalSources(units, evalDir);
  const byDoc = new Map<string, EvalUnit[]>();
  for (const u of units) {
    if (!byDoc.has(u.doc)) byDoc.set(u.doc, []);
    byDoc.get(u.doc)!.push(u);
  }
  for (const [doc, list] of byDoc) {
    const source = sources.get(doc);
    const text = source ? sourceText(evalDir, source) : null;
    if (!text) continue;
    const { flat, headings } = indexSource(text);
    let cursor = 0;
    for (const u of [...list].sort((a, b) => a.i - b.i)) {
      const k = key(u.text).slice(0, 40);
      const at = k.length >= 12 ? flat.indexOf(k, cursor) : -1;
      if (at >= 0) cursor = at;
      let heading: Heading | undefined;
      for (const h of headings) if (h.at <= cursor) heading = h;
      out.set(u, heading ? [heading.text] : []);
    }
  }
  return out;
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
 * Score the theme stage on the evaluative units (gold label S, I or M): each unit's predicted
 * themes against its gold themes; per-theme precision/recall/F1 and micro-averaged over all
 * theme assignments. Section paths are rebuilt from the eval sources (docs.csv) when available.
 */
export function evaluateThemes(units: EvalUnit[], codebook?: Codebook, opts: ThemeEvalOptions = {}): ThemeEvalResult {
  const cb = codebook ?? loadCodebook();
  const evaluative = units.filter((u) => u.label !== 'N');
  const useSections = opts.sections ?? true;
  const paths = !useSections ? new Map<EvalUnit, string[]>() : (opts.sectionPaths ?? rebuildSectionPaths(units, opts.evalDir));
  const predictedBy = predictUnitThemes(units, cb, paths);
  const predicted = evaluative.map((u) => predictedBy.get(u) ?? []);
  const ids = new Set<string>(cb.themes.map((t) => t.id));
  for (const u of evaluative) for (const t of u.themes) ids.add(t);
  const counts = new Map<string, { tp: number; fp: number; fn: number; support: number }>();
  for (const id of ids) counts.set(id, { tp: 0, fp: 0, fn: 0, support: 0 });
  evaluative.forEach((u, i) => {
    const gold = new Set(u.themes);
    const pred = new Set(predicted[i]);
    for (const g of gold) {
      const c = counts.get(g)!;
      c.support++;
      if (pred.has(g)) c.tp++;
      else c.fn++;
    }
    for (const p of pred) if (!gold.has(p)) counts.get(p)!.fp++;
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
  return { units: evaluative.length, perTheme, micro: { precision, recall, f1: f1(precision, recall) }, sections: paths.size > 0 };
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
