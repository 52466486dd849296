import { existsSync, readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { REPO_ROOT } from '../util/paths.js';
import { join } from 'node:path';
import type { LabelCode } from '../types.js';

/** The annotated sets of ../shared/eval (see its README): train.jsonl to train on, dev.jsonl to measure on (and train on, grouped by document). */
export const EVAL_SETS = ['train', 'dev'] as const;
export type EvalSet = (typeof EVAL_SETS)[number];

/** One annotated unit of ../shared/eval/{train,dev}.jsonl (see its README). */
export interface EvalUnit {
  doc: string;
  i: number;
  text: string;
  label: LabelCode;
  themes: string[];
  how: string;
  /** train.jsonl: the source document, relative to the eval folder (dev.jsonl has docs.csv instead). */
  source?: string;
  /** Which file the unit came from. */
  set?: EvalSet;
}

/** Default location of the shared evaluation folder: ../shared/eval beside the repository. */
export const DEFAULT_EVAL_DIR = join(REPO_ROOT, '..', 'shared', 'eval');

/**
 * Read the units of the given sets (default: train and dev) from <evalDir>/<set>.jsonl. dev.jsonl
 * must exist; train.jsonl is read when present. Nothing assumes how many units there are.
 */
export function loadEvalUnits(evalDir: string = process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR, sets: readonly EvalSet[] = EVAL_SETS): EvalUnit[] {
  const dev = join(evalDir, 'dev.jsonl');
  if (!existsSync(dev)) throw new Error(`evaluation data not found: ${dev}`);
  const out: EvalUnit[] = [];
  for (const set of sets) {
    const path = join(evalDir, `${set}.jsonl`);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, 'utf8').split('\n')) if (line.trim()) out.push({ ...(JSON.parse(line) as EvalUnit), set });
  }
  return out;
}

/** Units grouped by document, each group in document order. */
export function groupByDoc(units: EvalUnit[]): Map<string, EvalUnit[]> {
  const m = new Map<string, EvalUnit[]>();
  for (const u of units) {
    if (!m.has(u.doc)) m.set(u.doc, []);
    m.get(u.doc)!.push(u);
  }
  for (const list of m.values()) list.sort((a, b) => a.i - b.i);
  return new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Each document's source, relative to the eval folder: from docs.csv (dev.jsonl) or the units'
 * own `source` (train.jsonl).
 */
export function evalSources(units: EvalUnit[], evalDir: string = process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR): Map<string, string> {
  const sources = new Map<string, string>();
  const docsCsv = join(evalDir, 'docs.csv');
  if (existsSync(docsCsv)) {
    for (const r of Papa.parse<Record<string, string>>(readFileSync(docsCsv, 'utf8'), { header: true, skipEmptyLines: true }).data) if (r.doc && r.source) sources.set(r.doc, r.source);
  }
  for (const u of units) if (u.source && !sources.has(u.doc)) sources.set(u.doc, u.source);
  return sources;
}

/** The kinds of document the evaluation reports on separately. */
export const EVAL_DOC_KINDS = ['ofsted_report', 'council_paper'] as const;
export type EvalDocKind = (typeof EVAL_DOC_KINDS)[number];

/**
 * An Ofsted report (a PDF) or a council paper (the text documents: committee reports, minutes,
 * news and letters that quote the inspection), by the source's format.
 */
export function evalDocKind(source: string | undefined): EvalDocKind {
  return source && /\.pdf$/i.test(source) ? 'ofsted_report' : 'council_paper';
}
