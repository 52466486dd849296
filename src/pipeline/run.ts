import { resolve } from 'node:path';
import type { AnalysedDocument, Label, RunReport, SkippedDocument } from '../types.js';
import { LABELS } from '../types.js';
import { discoverCorpus, ingest } from '../ingest/index.js';
import { segment } from '../segment/index.js';
import { tagSentences } from '../tag/index.js';
import { loadCodebook, themeFinding, type Codebook } from '../theme/index.js';
import { aggregate, type Aggregates } from '../aggregate/index.js';
import { writeCsvs } from '../export/index.js';
import { writeCharts } from '../render/index.js';
import { writeFileAtomic } from '../util/fs.js';
import { DocumentError } from '../util/errors.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { join } from 'node:path';

export interface PipelineOptions {
  /** Folder of documents (PDF, txt, md, html), optionally with manifest.csv. */
  corpusDir: string;
  /** Output folder; when omitted nothing is written (library use). */
  outDir?: string;
  /** Codebook file; defaults to the project's codebook/codebook.json. */
  codebookPath?: string;
  /** Called with progress/warning lines meant for stderr. */
  log?: (line: string) => void;
}

export interface RunResult {
  aggregates: Aggregates;
  codebook: Codebook;
  report: RunReport;
  /** Files written, relative to outDir. */
  written: string[];
}

/** Analyse one source document through ingest -> segment -> tag -> theme. */
export async function analyseDocument(src: Parameters<typeof ingest>[0], codebook: Codebook): Promise<AnalysedDocument> {
  const ingested = await ingest(src);
  const segmented = segment(ingested);
  const findings = tagSentences(segmented.sentences).map((f) => themeFinding(f, codebook));
  const { sentences: _s, ...rest } = segmented;
  return { ...rest, findings };
}

/** Run the whole pipeline on a corpus folder. */
export async function runPipeline(opts: PipelineOptions): Promise<RunResult> {
  const log = opts.log ?? (() => {});
  const codebook = loadCodebook(opts.codebookPath);
  const listing = await discoverCorpus(opts.corpusDir);
  const documents: AnalysedDocument[] = [];
  const skipped: SkippedDocument[] = [];
  for (const src of listing.files) {
    try {
      documents.push(await analyseDocument(src, codebook));
    } catch (err) {
      const code = err instanceof DocumentError ? err.code : 'error';
      skipped.push({ file: src.file, code, reason: (err as Error).message });
      log(`skipped ${src.file}: ${(err as Error).message}`);
    }
  }
  for (const name of listing.unsupported) skipped.push({ file: name, code: 'unsupported', reason: 'not a supported format' });
  const aggregates = aggregate(documents, codebook);
  const labelCounts = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
  for (const f of aggregates.findings) labelCounts[f.label]++;
  const report: RunReport = {
    tool: TOOL_NAME,
    version: VERSION,
    corpus: opts.corpusDir,
    documents: documents.length,
    sentences: aggregates.findings.length,
    skipped,
    warnings: listing.manifestWarnings.map((message) => ({ file: 'manifest.csv', message })),
    dropped: {},
    labelCounts,
    duplicates: 0,
    limits: {},
    cache: { hits: 0, misses: documents.length },
  };
  const written: string[] = [];
  if (opts.outDir) {
    const out = resolve(opts.outDir);
    written.push(...(await writeCsvs(aggregates, out)));
    written.push(...(await writeCharts(aggregates, codebook, out)));
    await writeFileAtomic(join(out, 'run_report.json'), JSON.stringify(report, null, 2) + '\n');
    written.push('run_report.json');
  }
  return { aggregates, codebook, report, written };
}
