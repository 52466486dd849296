/**
 * Put annotated units where the pipeline would see them: each eval document's source is ingested
 * and segmented by the pipeline's own stages, each unit is matched to the pipeline sentence that
 * holds it (src/eval/segment-agreement.ts), and the unit becomes a Sentence record with the unit's text
 * and that sentence's structure (heading path, block kind, page) and neighbours. Training and
 * cross-validation therefore see the same context features as a run over the documents does,
 * instead of headings guessed from the units.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { ingest } from '../ingest/index.js';
import { segment } from '../segment/index.js';
import { segmentationAgreement } from './segment-agreement.js';
import { makeSentence } from '../segment/sentence.js';
import type { Sentence, SourceFormat } from '../types.js';
import { DEFAULT_EVAL_DIR, evalDocKind, evalSources, groupByDoc, type EvalDocKind, type EvalUnit } from './data.js';
import { unitsToSentences } from './units.js';

const FORMATS: Record<string, SourceFormat> = { '.pdf': 'pdf', '.txt': 'txt', '.md': 'md', '.html': 'html', '.htm': 'html' };

/** One annotated document, its units placed in the pipeline's reading of the source. */
export interface AlignedDoc {
  doc: string;
  kind: EvalDocKind;
  units: EvalUnit[];
  /**
   * The sequence the tagger reads: one Sentence per unit (unit text, pipeline structure), with
   * pipeline sentences around each window of consecutive units as unlabelled context.
   */
  sentences: Sentence[];
  /** For each unit, its position in `sentences`. */
  unitAt: number[];
  /** How the source was read: 'pipeline' (source ingested) or 'units' (no source: headings guessed from the units). */
  via: 'pipeline' | 'units';
}

/** Read and segment one source file as a run would. */
export async function pipelineSentences(path: string): Promise<Sentence[]> {
  const format = FORMATS[extname(path).toLowerCase()] ?? 'txt';
  return segment(await ingest({ file: basename(path), path, format })).sentences;
}

/**
 * Place one document's units (in order) among the pipeline's sentences of its source. A unit the
 * pipeline split, merged or dropped still gets the structure of the nearest sentence before it.
 */
export function alignUnits(doc: string, kind: EvalDocKind, units: EvalUnit[], pipeline: Sentence[]): AlignedDoc {
  const match = segmentationAgreement(units, new Map([[doc, pipeline]]));
  // misses carry the sentence they sit in (within_one, merged, split start, furniture); identical units map via exact lookups.
  const byUnit = new Map<number, number | undefined>();
  for (const m of match.misses) byUnit.set(m.i, m.sentence);
  const exactIndex = new Map<string, number>();
  pipeline.forEach((s, k) => {
    const key = s.tokens.join(' ');
    if (!exactIndex.has(key)) exactIndex.set(key, k);
  });
  let last: number | undefined;
  const anchor: (number | undefined)[] = units.map((u) => {
    let j = byUnit.has(u.i) ? byUnit.get(u.i) : undefined;
    if (!byUnit.has(u.i)) j = findIdentical(u.text, pipeline, exactIndex);
    if (j === undefined) j = last;
    last = j ?? last;
    return j;
  });
  const sentences: Sentence[] = [];
  const unitAt: number[] = [];
  const push = (s: Sentence) => sentences.push({ ...s, index: sentences.length, id: `${doc}#${sentences.length}` });
  units.forEach((u, k) => {
    const j = anchor[k];
    const startsWindow = k === 0 || units[k - 1]!.i !== u.i - 1;
    if (startsWindow && j !== undefined && j > 0) push(pipeline[j - 1]!);
    const base = j !== undefined ? pipeline[j]! : undefined;
    unitAt.push(sentences.length);
    sentences.push(
      makeSentence({
        id: `${doc}#${sentences.length}`,
        doc,
        index: sentences.length,
        text: u.text,
        sectionPath: base?.sectionPath ?? [],
        blockKind: base?.blockKind ?? 'paragraph',
        isQuote: base?.isQuote ?? false,
        page: base?.page ?? 1,
      }),
    );
    const endsWindow = k === units.length - 1 || units[k + 1]!.i !== u.i + 1;
    if (endsWindow && j !== undefined && j + 1 < pipeline.length) push(pipeline[j + 1]!);
  });
  return { doc, kind, units, sentences, unitAt, via: 'pipeline' };
}

/** A document known only from its units: headings guessed from the units' shape (src/eval/units.ts). */
export function unitsOnlyDoc(doc: string, kind: EvalDocKind, units: EvalUnit[]): AlignedDoc {
  return { doc, kind, units, sentences: unitsToSentences(units), unitAt: units.map((_, x) => x), via: 'units' };
}

function findIdentical(text: string, pipeline: Sentence[], exactIndex: Map<string, number>): number | undefined {
  const key = makeSentence({ doc: '', index: 0, text }).tokens.join(' ');
  const j = exactIndex.get(key);
  if (j !== undefined) return j;
  // The agreement matcher compares normalised tokens, so a unit it called identical may differ in punctuation.
  const folded = key.replace(/[^a-z0-9 ]+/g, '');
  for (let k = 0; k < pipeline.length; k++) if (pipeline[k]!.tokens.join(' ').replace(/[^a-z0-9 ]+/g, '') === folded) return k;
  return undefined;
}

/** Is Debian's `pdftotext` (poppler-utils) on the PATH? */
export function hasPdftotext(): boolean {
  return !spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).error;
}

/** How the eval documents are read: as given, or each PDF first converted with `pdftotext -layout` and read as `.txt`. */
export type EvalReading = 'source' | 'layout-text';

/**
 * Every annotated document of the eval folder, aligned. A document whose source file is missing
 * falls back to its units alone (headings guessed), and is reported in `missing`. With
 * `reading: 'layout-text'` only the PDF sources are read, each converted with `pdftotext -layout`
 * into a temporary `.txt` first (what a user who converted their PDFs would give the tool).
 */
export async function alignEvalDocs(
  units: EvalUnit[],
  evalDir: string = process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR,
  onDoc?: (doc: string, k: number, n: number) => void,
  reading: EvalReading = 'source',
): Promise<{ docs: AlignedDoc[]; missing: string[] }> {
  const sources = evalSources(units, evalDir);
  const grouped = groupByDoc(units);
  const docs: AlignedDoc[] = [];
  const missing: string[] = [];
  const tmp = reading === 'layout-text' ? mkdtempSync(join(tmpdir(), 'eval-layout-text-')) : undefined;
  try {
    let k = 0;
    for (const [doc, list] of grouped) {
      onDoc?.(doc, k++, grouped.size);
      const rel = sources.get(doc);
      const kind = evalDocKind(rel);
      let path = rel ? resolve(evalDir, rel) : undefined;
      if (tmp && (!path || extname(path).toLowerCase() !== '.pdf')) continue;
      if (!path || !existsSync(path)) {
        missing.push(doc);
        docs.push(unitsOnlyDoc(doc, kind, list));
        continue;
      }
      if (tmp) {
        const txt = join(tmp, `${k}.txt`);
        const r = spawnSync('pdftotext', ['-q', '-layout', path, txt], { stdio: 'ignore' });
        if (r.error || r.status !== 0 || !existsSync(txt)) {
          missing.push(doc);
          continue;
        }
        path = txt;
      }
      docs.push(alignUnits(doc, kind, list, await pipelineSentences(path)));
      if (tmp) rmSync(path, { force: true });
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  return { docs, missing };
}
