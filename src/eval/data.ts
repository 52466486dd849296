import { existsSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from '../util/paths.js';
import { join } from 'node:path';
import type { LabelCode } from '../types.js';

/** One annotated unit of ../shared/eval/dev.jsonl (see its README). */
export interface EvalUnit {
  doc: string;
  i: number;
  text: string;
  label: LabelCode;
  themes: string[];
  how: string;
}

/** Default location of the shared evaluation folder: ../shared/eval beside the repository. */
export const DEFAULT_EVAL_DIR = join(REPO_ROOT, '..', 'shared', 'eval');

/** Read every unit of <evalDir>/dev.jsonl (and any other *.jsonl added later is not assumed). */
export function loadEvalUnits(evalDir: string = process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR): EvalUnit[] {
  const path = join(evalDir, 'dev.jsonl');
  if (!existsSync(path)) throw new Error(`evaluation data not found: ${path}`);
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as EvalUnit);
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
