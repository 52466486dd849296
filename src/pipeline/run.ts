import { open, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { AnalysedDocument, Label, OmittedOutput, RunReport, SourceFile } from '../types.js';
import { LABELS } from '../types.js';
import { discoverCorpus } from '../ingest/discover.js';
import type { Codebook } from '../theme/codebook.js';
import { aggregate, DEFAULT_MIN_FINDINGS, LATEST_INSPECTION, type Aggregates, type ComparisonWindow } from '../aggregate/index.js';
import { loadPeers } from '../aggregate/peers.js';
import { writeFileAtomic } from '../util/fs.js';
import { PROJECT_CODEBOOK } from '../util/paths.js';
import { analyseDocument as analyseOne, fatal, type AnalyseOutcome, type AnalyseTask, zeroTimes } from './analyse.js';
import { codeFingerprints, DEFAULT_CACHE_DIR, DocumentCache, documentKeys, outputsKey, sha256, type DocumentKeys } from './cache.js';
import { analysePending, workerCount, workerPath, type PendingDocument } from './schedule.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { createProgress, type ProgressMode } from './progress.js';
import { checkOutput, describeFiles, isPlaceholder, stageOutput, type StagedOutput, type WrittenFile } from './output.js';
import type { PeerTable } from '../aggregate/peers.js';
import type { PdfEngine } from '../ingest/pdf.js';
import type { CorpusListing } from '../ingest/discover.js';
import { readAnnotations, type AnnotationFile } from '../annotate/annotations.js';
import { compactDocument, Interner } from './compact.js';
import { checkFocus } from './focus.js';
import { ChartThread } from './chart-thread.js';
import { buildReport, foldOutcomes, parseSummary, printMessages, printOverrides, type OutputsSummary } from './run-report.js';
import { applyOverrides } from '../annotate/overrides.js';

export { DEFAULT_LIMITS, type Limits } from '../limits.js';
export { DEFAULT_CACHE_DIR } from './cache.js';

export interface PipelineOptions {
  /** Folder of documents (PDF, txt, md, html), optionally with manifest.csv. */
  corpusDir: string;
  /** Output folder; when omitted nothing is written (library use). */
  outDir?: string;
  /** Codebook file; defaults to the project's codebook/codebook.json. */
  codebookPath?: string;
  /** Model folder written by `train --out` (default: the shipped models/). */
  modelDir?: string;
  /** A researcher's coding (annotations CSV) forced for the sentences it names, in every output. */
  overridesFile?: string;
  /** Called with warning lines meant for stderr (skipped documents, cache problems). */
  log?: (line: string) => void;
  /** Cache folder (default `.cache/inspection-themes` in the current directory); `null` turns the cache off. */
  cacheDir?: string | null;
  /** Per-document limits (defaults: DEFAULT_LIMITS). */
  limits?: Partial<Limits>;
  /** Progress display on stderr (default 'none'; the CLI uses 'auto'). */
  progress?: ProgressMode;
  /**
   * Worker threads that read documents (ingest, segment; and the later stages too when the main
   * thread, which tags and themes what they read, falls behind). 0 = in-process. Default: one per
   * core (os.availableParallelism()); in-process when fewer than 4 documents need analysing.
   */
  workers?: number;
  /** Called when the main thread enters a stage (benchmark memory sampling). */
  onStage?: (stage: string) => void;
  /** Council to highlight in every chart and CSV (name or ONS code); must be in the corpus. */
  focus?: string;
  /** Statistical-neighbour table (shaped like la_lookup.csv) for benchmarking against neighbours. */
  peersFile?: string;
  /** Read files that symbolic links in the corpus folder lead to outside it (default: skipped, 'outside_corpus'). */
  followSymlinks?: boolean;
  /** Which inspections are compared (default: each council's latest full inspection and what followed it). */
  window?: ComparisonWindow;
  /** Cells with fewer evaluative findings are marked low-count and left out of ranks and medians (default 5). */
  minFindings?: number;
  /** Engine that reads PDFs (default 'pdfium'; a PDF PDFium cannot open is tried with pdfjs). */
  pdfEngine?: PdfEngine;
  /** Write project.qdpx, the REFI-QDA project (default true; `--no-qdpx`). */
  qdpx?: boolean;
  /** Write inspection-themes.xlsx (default true; `--no-xlsx`). */
  xlsx?: boolean;
}

/** Timings and cache figures of a run. Not written to run_report.json (outputs stay byte-identical). */
export interface RunStats {
  /** Wall-clock milliseconds of the whole run. */
  wallMs: number;
  /**
   * Milliseconds per stage. Per-document stages (ingest, segment, limits, tag, theme) are summed
   * over documents and threads (CPU time); the others are wall-clock on the main thread.
   */
  stageMs: Record<string, number>;
  /**
   * CPU milliseconds of the analysing threads in each per-document stage, summed over documents
   * (Linux /proc/thread-self/schedstat; empty elsewhere). Unlike stageMs, it leaves out time a
   * thread spent waiting for a core, so sentences / stageCpuMs is a per-core rate.
   */
  stageCpuMs: Partial<Record<string, number>>;
  /** Wall-clock milliseconds of the steps of the export stage (empty when the outputs came from the cache). */
  exportMs: Record<string, number>;
  /** Wall-clock milliseconds of the parallel per-document phase. */
  analyseWallMs: number;
  /** Documents answered by each cache layer; `outputs`: the written files were copied from the cache. */
  cache: { dir: string | null; analysed: number; extract: number; misses: number; outputs: boolean };
  /** Worker threads used (0 = in-process). */
  workers: number;
  documents: number;
  sentences: number;
}

export interface RunResult {
  /**
   * The counts behind the outputs. When the outputs layer of the cache answered the run (nothing
   * changed), no document is loaded unless this is read: the first read loads them from the cache.
   */
  aggregates: Aggregates;
  codebook: Codebook;
  report: RunReport;
  /** Files written, relative to outDir. */
  written: string[];
  stats: RunStats;
}

/** Analyse one source document through ingest -> segment -> tag -> theme (no cache; throws DocumentError). */
export async function analyseDocument(src: SourceFile, codebook: Codebook, limits: Partial<Limits> = {}, pdfEngine?: PdfEngine): Promise<AnalysedDocument> {
  return analyseOne(src, codebook, { ...DEFAULT_LIMITS, ...limits }, undefined, pdfEngine);
}

const fmtBytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${n} bytes`);

/** Run the whole pipeline on a corpus folder. */
export async function runPipeline(opts: PipelineOptions): Promise<RunResult> {
  const t0 = performance.now();
  const stageMs: Record<string, number> = {};
  const time = async <T>(stage: string, f: () => Promise<T> | T): Promise<T> => {
    opts.onStage?.(stage);
    const t = performance.now();
    try {
      return await f();
    } finally {
      stageMs[stage] = (stageMs[stage] ?? 0) + performance.now() - t;
    }
  };
  const log = opts.log ?? (() => {});
  const limits: Limits = { ...DEFAULT_LIMITS, ...Object.fromEntries(Object.entries(opts.limits ?? {}).filter(([, v]) => v !== undefined)) };
  // The arguments that need no models first, so that a mistyped one fails at once: --out (checked
  // again, and locked, when it is staged below), the corpus listing and --focus, as far as it can
  // be checked before the documents say which councils they are about.
  if (opts.outDir !== undefined) await checkOutput(opts.outDir, { corpusDir: opts.corpusDir });
  // The run's own output and cache folders may sit inside the corpus folder's tree: never read as documents.
  const exclude = [...(opts.outDir !== undefined ? [opts.outDir] : []), ...(opts.cacheDir === null ? [] : [opts.cacheDir ?? DEFAULT_CACHE_DIR])];
  const listing = await time('discover', () => discoverCorpus(opts.corpusDir, { followSymlinks: opts.followSymlinks, exclude }));
  if (opts.focus !== undefined) checkFocus(opts.focus, listing.files);
  // Imported here, not at the top: the codebook module pulls in natural (slow to load), which
  // `--help` and usage errors do not need.
  const { loadCodebook } = await import('../theme/codebook.js');
  const codebook = loadCodebook(opts.codebookPath ?? PROJECT_CODEBOOK);
  const peers = opts.peersFile ? loadPeers(opts.peersFile) : undefined;
  // Models and overrides are checked before any document is read.
  const { loadModelSet } = await import('./models.js');
  const models = loadModelSet(opts.modelDir);
  if (models.themes) {
    const { scoredThemes } = await import('../theme/model.js');
    const { edited } = scoredThemes(models.themes, codebook);
    if (edited.length) log(`warning: theme(s) edited since the model was trained, decided by their codebook rules alone until you retrain (npm run train, or inspection-themes train --out <dir>): ${edited.join(', ')}`);
  }
  const overrides = opts.overridesFile ? readAnnotations(opts.overridesFile, codebook.themes.map((t) => t.id)) : undefined;
  // The analysed layer depends on the codebook and on the models.
  const analysisHash = models.hash ? sha256(`${codebook.hash}|${models.hash}`) : codebook.hash;
  // The output folder is locked before any document is read.
  const staged = opts.outDir !== undefined ? await stageOutput(opts.outDir, { corpusDir: opts.corpusDir }) : undefined;
  try {
    return await analyseAndWrite(opts, { t0, stageMs, time, log, limits, codebook, analysisHash, overrides, peers, listing, staged });
  } catch (err) {
    await staged?.abort();
    throw err;
  }
}

interface RunContext {
  t0: number;
  stageMs: Record<string, number>;
  time: <T>(stage: string, f: () => Promise<T> | T) => Promise<T>;
  log: (line: string) => void;
  limits: Limits;
  codebook: Codebook;
  /** Hash of the codebook and the model folder: the analysed layer's configuration. */
  analysisHash: string;
  overrides: AnnotationFile | undefined;
  peers: PeerTable | undefined;
  listing: CorpusListing;
  staged: StagedOutput | undefined;
}


async function analyseAndWrite(opts: PipelineOptions, ctx: RunContext): Promise<RunResult> {
  const { t0, stageMs, time, log, limits, codebook, analysisHash, overrides, peers, listing, staged } = ctx;
  const cacheDir = opts.cacheDir === null ? null : resolve(opts.cacheDir ?? DEFAULT_CACHE_DIR);
  const cache = new DocumentCache(cacheDir);
  const swept = cache.sweep().catch(() => undefined);
  const fp = codeFingerprints();
  const progress = await createProgress({ mode: opts.progress ?? 'none' });
  const window = opts.window ?? LATEST_INSPECTION;
  const writerOptions = { focus: opts.focus, peers, overrides: overrides?.sha256, window, minFindings: opts.minFindings ?? DEFAULT_MIN_FINDINGS, qdpx: opts.qdpx !== false, xlsx: opts.xlsx !== false };

  // Phase 1 (main thread): size check, hash, cache look-up. Reads bytes, never parses; an analysed
  // entry is only found here (loaded below, unless the outputs layer answers the whole run).
  const n = listing.files.length;
  const outcomes: (AnalyseOutcome | undefined)[] = new Array(n);
  const found: ({ keys: DocumentKeys; task: AnalyseTask; size: number } | undefined)[] = new Array(n);
  const pending: PendingDocument[] = [];
  // Every document is held until the outputs are written: repeated strings are shared (compact.ts).
  const interner = new Interner();
  progress.start('analysing', n);
  await time('hash', async () => {
    for (let i = 0; i < n; i++) {
      const src = listing.files[i];
      const base = { file: src.file, limitsHit: [], cache: 'miss' as const, ms: zeroTimes(), messages: [] };
      let bytes: Buffer;
      try {
        const fh = await open(src.path, 'r');
        try {
          const { size } = await fh.stat();
          if (size > limits.maxFileBytes) {
            outcomes[i] = { ...base, messages: [fatal('too_large', `file is ${fmtBytes(size)}, over the limit of ${fmtBytes(limits.maxFileBytes)} (--max-file-mb)`, 'read')] };
            continue;
          }
          bytes = await readFile(fh);
        } finally {
          await fh.close();
        }
      } catch (err) {
        outcomes[i] = { ...base, messages: [fatal('unreadable', `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'read')] };
        continue;
      }
      const sha = sha256(bytes);
      const docKeys = documentKeys(src, sha, limits, fp, analysisHash, opts.pdfEngine);
      const task: AnalyseTask = { src, limits, cacheDir, fp, codebookHash: analysisHash, modelDir: opts.modelDir, listedSha256: sha, pdfEngine: opts.pdfEngine };
      if (await cache.hasAnalysed(docKeys.analysed)) {
        found[i] = { keys: docKeys, task, size: bytes.length };
        continue;
      }
      // A document skipped last time (corrupt, encrypted...) is answered from the extract layer.
      const ex = await cache.getExtract(docKeys.extract);
      if (ex && !ex.ok) outcomes[i] = { ...base, messages: [fatal(ex.code, ex.message, 'ingest')], cache: 'extract', keys: docKeys };
      else pending.push({ i, task, size: bytes.length });
    }
  });

  // A researcher's overrides, then the counts over the window: the same for documents analysed now and loaded later.
  const aggregateDocuments = (docs: AnalysedDocument[]) => {
    const forced = overrides ? applyOverrides(docs, overrides) : undefined;
    return { forced, aggregates: aggregate(forced?.documents ?? docs, codebook, { window }) };
  };

  // The outputs layer: the same documents, codebook, code and writer options give the same files,
  // and a run it answers loads no document at all.
  const outputsKeyOf = (keys: string[]) => (cacheDir && staged ? outputsKey(keys, analysisHash, fp, writerOptions) : '');
  if (staged && cacheDir && pending.length === 0) {
    const okey = outputsKeyOf(found.flatMap((k) => (k ? [k.keys.analysed] : [])));
    const restored = await time('export', () => cache.restoreOutputs(okey, staged.tmp));
    const summary = restored && parseSummary(restored.summary);
    if (restored && summary) {
      progress.stop();
      for (let i = 0; i < n; i++) if (found[i]) outcomes[i] = { file: listing.files[i]!.file, messages: [], limitsHit: [], cache: 'analysed', keys: found[i]!.keys, ms: zeroTimes() };
      const folded = foldOutcomes(outcomes as AnalyseOutcome[], listing, stageMs, cacheDir);
      const report = buildReport(opts, limits, listing, folded, summary, await staged.foreign(), overrides);
      printMessages(log, listing, limits, folded, summary.limitsHit);
      if (summary.overrides) printOverrides(log, overrides!, summary.overrides.applied, summary.overrides.unmatched);
      const written = await commitOutputs(opts, staged, restored.files, report, log);
      await swept;
      opts.onStage?.('done');
      const stats: RunStats = { wallMs: performance.now() - t0, stageMs, stageCpuMs: {}, exportMs: {}, analyseWallMs: 0, cache: { ...folded.cacheStats, outputs: true }, workers: 0, documents: summary.documents, sentences: summary.sentences };
      // The documents are loaded from the analysed layer only if the caller asks for the aggregates.
      let aggregates: Aggregates | undefined;
      const loadAggregates = (): Aggregates => {
        if (aggregates) return aggregates;
        const docs: AnalysedDocument[] = [];
        for (let i = 0; i < n; i++) {
          const k = found[i];
          if (!k) continue;
          const hit = cache.getAnalysedSync(k.keys.analysed);
          if (!hit) throw new Error(`the cached analysis of ${listing.files[i]!.file} is gone (${cacheDir}): run again`);
          docs.push(compactDocument(hit.doc, interner));
        }
        aggregates = aggregateDocuments(docs).aggregates;
        return aggregates;
      };
      const result = { codebook, report, written, stats } as RunResult;
      Object.defineProperty(result, 'aggregates', { get: loadAggregates, enumerable: true });
      return result;
    }
  }
  // Load what the analysed layer found; an entry that does not read is analysed again.
  await time('hash', async () => {
    for (let i = 0; i < n; i++) {
      const f = found[i];
      if (!f) continue;
      const hit = await cache.getAnalysed(f.keys.analysed);
      if (hit) outcomes[i] = { file: f.task.src.file, messages: [], doc: compactDocument(hit.doc, interner), limitsHit: hit.limitsHit, cache: 'analysed', keys: f.keys, ms: zeroTimes() };
      else pending.push({ i, task: f.task, size: f.size });
    }
  });
  pending.sort((a, b) => a.i - b.i);
  for (const o of outcomes) if (o) progress.tick(o.doc?.findings.length ?? 0);

  // Phase 2: ingest + analyse what the cache did not answer, on a worker pool or in this thread.
  const cores = availableParallelism();
  const workers = workerCount(pending.length, opts.workers, cores);
  opts.onStage?.('analyse');
  const tAnalyse = performance.now();
  // The writers load while the workers analyse.
  const writers = opts.outDir && workers > 0 ? import('../export/outputs.js') : undefined;
  writers?.catch(() => undefined);
  // Charts render on a worker thread during the export when the documents were analysed on the
  // pool (a corpus worth parallelising), while the main thread writes the CSVs and the report. The
  // thread starts (and loads the renderer) once the last document has gone to the readers.
  const charts = new ChartThread(opts.outDir && workers > 0 ? workerPath('chart-worker') : undefined, cores);
  try {
    await analysePending(pending, {
      workers,
      codebook,
      settle: (i, o) => {
        if (o.doc) compactDocument(o.doc, interner);
        outcomes[i] = o;
        progress.tick(o.doc?.findings.length ?? 0);
      },
      onLastDispatched: () => void charts.start(),
    });
  } catch (err) {
    await charts.stop();
    throw err;
  }
  const analyseWallMs = performance.now() - tAnalyse;
  progress.stop();

  const folded = foldOutcomes(outcomes as AnalyseOutcome[], listing, stageMs, cacheDir);
  const { documents } = folded;

  await charts.start();
  try {
    const { forced, aggregates } = await time('aggregate', () => aggregateDocuments(documents));
    const labelCounts = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
    for (const f of aggregates.all.findings) labelCounts[f.label]++;
    const summary: OutputsSummary = {
      documents: documents.length,
      sentences: aggregates.all.findings.length,
      documentWarnings: folded.documentWarnings,
      dropped: folded.dropped,
      labelCounts,
      duplicates: aggregates.duplicates.length,
      limitsHit: folded.limitsHit,
      window: { period: aggregates.window.key, label: aggregates.window.label, inspections: aggregates.window.inspections, documents: aggregates.window.documents, sentences: aggregates.findings.length },
      ...(forced ? { overrides: { applied: forced.applied, unmatched: forced.unmatched.map((a) => ({ line: a.line, sentenceId: a.sentenceId, text: a.text })) } } : {}),
    };
    printMessages(log, listing, limits, folded, summary.limitsHit);
    if (forced) printOverrides(log, overrides!, forced.applied, summary.overrides!.unmatched);
    const report = buildReport(opts, limits, listing, folded, summary, staged ? await staged.foreign() : [], overrides);

    const written: string[] = [];
    const exportMs: Record<string, number> = {};
    let outputsRestored = false;
    if (staged) {
      const out = staged.tmp;
      // Writers take the output folder: they write into the temporary sibling, swapped in below.
      const okey = outputsKeyOf(folded.docKeys);
      const restored = okey ? await time('export', () => cache.restoreOutputs(okey, out)) : undefined;
      let files: WrittenFile[];
      if (restored) {
        files = restored.files;
        outputsRestored = true;
      } else {
        const { writeOutputs } = await (writers ?? import('../export/outputs.js'));
        const chartRenderer = charts.renderer();
        const omitted: OmittedOutput[] = [];
        const names = await time('export', () => writeOutputs(aggregates, codebook, out, { ...writerOptions, timings: exportMs, chartRenderer, omitted }));
        report.omitted = summary.omitted = omitted;
        files = await describeFiles(out, names);
        if (okey) await cache.saveOutputs(okey, out, files, summary);
      }
      written.push(...(await commitOutputs(opts, staged, files, report, log)));
    }
    await swept;
    opts.onStage?.('done');
    const stats: RunStats = {
      wallMs: performance.now() - t0,
      stageMs,
      stageCpuMs: folded.stageCpuMs,
      exportMs,
      analyseWallMs,
      cache: { ...folded.cacheStats, outputs: outputsRestored },
      workers,
      documents: documents.length,
      sentences: aggregates.all.findings.length,
    };
    return { aggregates, codebook, report, written, stats };
  } finally {
    await charts.stop();
  }
}

/** Write run_report.json beside the files and swap the staged folder in; returns the files written. */
async function commitOutputs(opts: PipelineOptions, staged: StagedOutput, files: WrittenFile[], report: RunReport, log: (line: string) => void): Promise<string[]> {
  for (const o of report.omitted) log(`note: ${o.file} not written: ${o.reason}`);
  report.outputs = [...files.map((f) => f.path), 'run_report.json'];
  await writeFileAtomic(join(staged.tmp, 'run_report.json'), JSON.stringify(report, null, 2) + '\n');
  const kept = await staged.commit(files);
  for (const k of kept) if (!isPlaceholder(k.path) || k.as) log(`kept ${k.path} in ${opts.outDir} (${k.reason})${k.as ? ` as ${k.as}` : ''}`);
  return report.outputs;
}
