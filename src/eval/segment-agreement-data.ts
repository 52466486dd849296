/**
 * Run the segmentation agreement on the shared evaluation folder: ingest + segment every
 * document of docs.csv that has annotated units, then match units to sentences.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import Papa from 'papaparse';
import { ingest } from '../ingest/index.js';
import type { SourceFormat } from '../types.js';
import { segment } from '../segment/index.js';
import { segmentationAgreement, type AgreementResult, type AgreementUnit } from './segment-agreement.js';

const FORMATS: Record<string, SourceFormat> = { '.pdf': 'pdf', '.txt': 'txt', '.md': 'md', '.html': 'html', '.htm': 'html' };

export interface EvalAgreement extends AgreementResult {
  /** Documents whose source file was missing. */
  missingSources: string[];
}

/** Read dev.jsonl units (doc, i, text) of an evaluation folder. */
export function readUnits(evalDir: string): AgreementUnit[] {
  return readFileSync(join(evalDir, 'dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const u = JSON.parse(l) as AgreementUnit;
      return { doc: u.doc, i: u.i, text: u.text };
    })
    .sort((a, b) => a.doc.localeCompare(b.doc) || a.i - b.i);
}

/** docs.csv: doc -> absolute source path. */
export function readDocSources(evalDir: string): Map<string, string> {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(join(evalDir, 'docs.csv'), 'utf8'), { header: true, skipEmptyLines: true });
  const m = new Map<string, string>();
  for (const r of parsed.data) if (r.doc && r.source) m.set(r.doc.trim(), resolve(evalDir, r.source.trim()));
  return m;
}

export async function measureEvalAgreement(evalDir: string): Promise<EvalAgreement> {
  const units = readUnits(evalDir);
  const sources = readDocSources(evalDir);
  const sentencesByDoc = new Map<string, { text: string }[]>();
  const missingSources: string[] = [];
  for (const doc of [...new Set(units.map((u) => u.doc))].sort()) {
    const path = sources.get(doc);
    if (!path || !existsSync(path)) {
      missingSources.push(doc);
      continue;
    }
    const format = FORMATS[extname(path).toLowerCase()] ?? 'txt';
    const ingested = await ingest({ file: basename(path), path, format });
    sentencesByDoc.set(doc, segment(ingested).sentences);
  }
  return { ...segmentationAgreement(units, sentencesByDoc), missingSources };
}

/** Plain-text summary of an agreement result (used by the script and the test output). */
export function formatAgreement(r: EvalAgreement): string {
  const lines = [
    `segmentation agreement: ${r.matched}/${r.units} units map to exactly one pipeline sentence = ${(100 * r.rate).toFixed(2)}%`,
    `  of which token-identical to one sentence: ${r.identical}/${r.units} = ${(100 * r.identicalRate).toFixed(2)}%`,
    `by kind: ${Object.entries(r.byKind)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  ];
  for (const [doc, d] of Object.entries(r.byDoc)) lines.push(`  ${doc}: ${d.matched}/${d.units}`);
  if (r.missingSources.length) lines.push(`missing sources: ${r.missingSources.join(', ')}`);
  lines.push('units not token-identical (within_one counts as mapped; the rest are misses):');
  for (const m of r.misses) lines.push(`  [${m.kind}] ${m.doc.slice(0, 28)} #${m.i}: ${m.text.slice(0, 110)}`);
  return lines.join('\n');
}
