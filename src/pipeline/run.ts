import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnalysedDocument, DroppedCounts, Label, RunReport, SkippedDocument, SourceFile } from '../types.js';
import { LABELS } from '../types.js';
import { discoverCorpus } from '../ingest/discover.js';
import type { Codebook } from '../theme/codebook.js';
import { aggregate, DEFAULT_MIN_FINDINGS, LATEST_INSPECTION, type Aggregates, type ComparisonWindow } from '../aggregate/index.js';
import { loadPeers } from '../aggregate/peers.js';
import { writeFileAtomic } from '../util/fs.js';
import { PROJECT_CODEBOOK } from '../util/paths.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { analyseTask, analyseDocument as analyseOne, finishTask, type AnalyseOutcome, type AnalyseTask, STAGES, zeroTimes } from './analyse.js';
import { codeFingerprints, DEFAULT_CACHE_DIR, DocumentCache, documentKeys, outputsKey, sha256 } from './cache.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';
import { createProgress, type ProgressMode } from './progress.js';
import { describeFiles, isPlaceholder, stageOutput, type StagedOutput, type WrittenFile } from './output.js';
import { timeoutError } from '../util/deadline.js';
import type { PeerTable } from '../aggregate/peers.js';
import type { CorpusListing } from '../ingest/discover.js';
import { readAnnotations, type AnnotationFile } from '../annotate/annotations.js';
import { applyOverrides } from '../annotate/overrides.js';

export { DEFAULT_LIMITS, type Limits } from './limits.js';
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
  aggregates: Aggregates;
  codebook: Codebook;
  report: RunReport;
  /** Files written, relative to outDir. */
  written: string[];
  stats: RunStats;
}

/** Analyse one source document through ingest -> segment -> tag -> theme (no cache; throws DocumentError). */
export async function analyseDocument(src: SourceFile, codebook: Codebook, limits: Partial<Limits> = {}): Promise<AnalysedDocument> {
  return analyseOne(src, codebook, { ...DEFAULT_LIMITS, ...limits });
}

/** Compiled worker entry: next to this module in dist; from src (vitest) the built copy in dist. */
function workerPath(name = 'worker'): string | undefined {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL(`../../dist/src/pipeline/${name}.js`, here) : new URL(`./${name}.js`, here);
  const p = fileURLToPath(url);
  return existsSync(p) ? p : undefined;
}

/**
 * Segmented documents waiting for this thread to tag them before new reads go to the workers whole
 * (read, segment, tag and theme) instead of as reads only.
 */
const MAX_BACKLOG = 2;

/**
 * A worker task not done at this multiple of the time budget after it was handed to the pool is
 * stopped by ending its thread (the worker's own checks between steps normally stop it at the
 * budget). A task may first wait in the pool's queue behind one other (at most 1.2 x the budget),
 * hence 2 x 1.2.
 */
const HARD_TIMEOUT_FACTOR = 2.4;

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
  // Imported here, not at the top: the codebook module pulls in natural (slow to load), which
  // `--help` and usage errors do not need.
  const { loadCodebook } = await import('../theme/codebook.js');
  const codebook = loadCodebook(opts.codebookPath ?? PROJECT_CODEBOOK);
  const peers = opts.peersFile ? loadPeers(opts.peersFile) : undefined;
  // Models and overrides are checked before any document is read.
  const { loadModelSet } = await import('./models.js');
  const models = loadModelSet(opts.modelDir);
  const overrides = opts.overridesFile ? readAnnotations(opts.overridesFile, codebook.themes.map((t) => t.id)) : undefined;
  // The analysed layer depends on the codebook and on the models.
  const analysisHash = models.hash ? sha256(`${codebook.hash}|${models.hash}`) : codebook.hash;
  // The run's own output and cache folders may sit inside the corpus folder's tree: never read as documents.
  const exclude = [...(opts.outDir !== undefined ? [opts.outDir] : []), ...(opts.cacheDir === null ? [] : [opts.cacheDir ?? DEFAULT_CACHE_DIR])];
  const listing = await time('discover', () => discoverCorpus(opts.corpusDir, { followSymlinks: opts.followSymlinks, exclude }));
  // The output folder is checked and locked before any document is read.
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

/** Manifest warnings printed one by one before the rest are summarised (all are in run_report.json). */
const MAX_PRINTED_MANIFEST_WARNINGS = 5;
/** Override rows matching no sentence, printed one by one before the rest are summarised (all are in run_report.json). */
const MAX_PRINTED_UNMATCHED = 5;

async function analyseAndWrite(opts: PipelineOptions, ctx: RunContext): Promise<RunResult> {
  const { t0, stageMs, time, log, limits, codebook, analysisHash, overrides, peers, listing, staged } = ctx;
  const cacheDir = opts.cacheDir === null ? null : resolve(opts.cacheDir ?? DEFAULT_CACHE_DIR);
  const cache = new DocumentCache(cacheDir);
  const swept = cache.sweep().catch(() => undefined);
  const fp = codeFingerprints();
  const progress = await createProgress({ mode: opts.progress ?? 'none' });
  // Warnings are printed after the progress display has stopped.
  const warn = log;

  // Phase 1 (main thread): size check, hash, analysed-cache lookup. Reads bytes, never parses.
  const n = listing.files.length;
  const outcomes: (AnalyseOutcome | undefined)[] = new Array(n);
  const pending: { i: number; task: AnalyseTask; size: number }[] = [];
  progress.start('analysing', n);
  await time('hash', async () => {
    for (let i = 0; i < n; i++) {
      const src = listing.files[i];
      const base = { file: src.file, limitsHit: [], cache: 'miss' as const, ms: zeroTimes() };
      let bytes: Buffer;
      try {
        const fh = await open(src.path, 'r');
        try {
          const { size } = await fh.stat();
          if (size > limits.maxFileBytes) {
            outcomes[i] = { ...base, error: { code: 'too_large', message: `file is ${fmtBytes(size)}, over the limit of ${fmtBytes(limits.maxFileBytes)} (--max-file-mb)` } };
            continue;
          }
          bytes = await readFile(fh);
        } finally {
          await fh.close();
        }
      } catch (err) {
        outcomes[i] = { ...base, error: { code: 'unreadable', message: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` } };
        continue;
      }
      const sha = sha256(bytes);
      const docKeys = documentKeys(src, sha, limits, fp, analysisHash);
      const task: AnalyseTask = { src, limits, cacheDir, fp, codebookHash: analysisHash, modelDir: opts.modelDir, listedSha256: sha };
      const hit = await cache.getAnalysed(docKeys.analysed);
      if (hit) {
        outcomes[i] = { ...base, doc: hit.doc, limitsHit: hit.limitsHit, cache: 'analysed', keys: docKeys };
        continue;
      }
      // A document skipped last time (corrupt, encrypted...) is answered from the extract layer.
      const ex = await cache.getExtract(docKeys.extract);
      if (ex && !ex.ok) outcomes[i] = { ...base, error: { code: ex.code, message: ex.message }, cache: 'extract', keys: docKeys };
      else pending.push({ i, task, size: bytes.length });
    }
  });
  for (const o of outcomes) if (o) progress.tick(o.doc?.findings.length ?? 0);

  // Phase 2: ingest + analyse what the cache did not answer, on a worker pool.
  const wp = workerPath();
  const cores = availableParallelism();
  const explicit = opts.workers !== undefined;
  let workers = Math.max(0, Math.min(opts.workers ?? cores, pending.length));
  if (!wp || (!explicit && (pending.length < 4 || import.meta.url.endsWith('.ts')))) workers = 0;
  opts.onStage?.('analyse');
  const tAnalyse = performance.now();
  const settle = (i: number, o: AnalyseOutcome) => {
    outcomes[i] = o;
    progress.tick(o.doc?.findings.length ?? 0);
  };
  // The writers load while the workers analyse.
  const writers = opts.outDir && workers > 0 ? import('../export/outputs.js') : undefined;
  writers?.catch(() => undefined);
  // Charts render on a worker thread during the export when the documents were analysed on the
  // pool (a corpus worth parallelising), while the main thread writes the CSVs and the report. The
  // thread starts (and loads the renderer) once the last document has gone to the readers.
  const chartWorker = opts.outDir && workers > 0 ? workerPath('chart-worker') : undefined;
  let chartPool: import('piscina').Piscina | undefined;
  let chartPoolStarting: Promise<void> | undefined;
  const startChartPool = () =>
    (chartPoolStarting ??= (async () => {
      if (!chartWorker) return;
      const { Piscina } = await import('piscina');
      chartPool = new Piscina({ filename: chartWorker, minThreads: 1, maxThreads: Math.min(2, Math.max(1, cores - 1)), concurrentTasksPerWorker: 4, idleTimeout: 500 });
    })());
  if (workers > 0) {
    // Largest files first, so that no worker is left with a big PDF at the end while the others
    // idle; results still go back to their place in file order.
    pending.sort((a, b) => b.size - a.size || a.i - b.i);
    const { Piscina } = await import('piscina');
    const pool = new Piscina<AnalyseTask, AnalyseOutcome>({
      filename: wp!,
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 500,
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
      workerData: { codebook },
    });
    // The workers read and segment documents; this thread tags and themes them as they arrive
    // (finishTask), so each thread compiles only its own half of the code and no analysed record
    // travels back. When this thread falls behind (many cores), the next documents go to the
    // workers whole instead.
    const backlog: { i: number; task: AnalyseTask; o: AnalyseOutcome }[] = [];
    const failed = (task: AnalyseTask, err: Error): AnalyseOutcome => ({ file: task.src.file, error: { code: 'error', message: `worker failed: ${err.message}` }, limitsHit: [], cache: 'miss', ms: zeroTimes() });
    const timedOut = (task: AnalyseTask): AnalyseOutcome => ({ file: task.src.file, error: { code: 'timeout', message: timeoutError(task.limits.maxSecondsPerDoc, 'in one step that did not return').message }, limitsHit: [], cache: 'miss', ms: zeroTimes() });
    let next = 0;
    let inFlight = 0;
    let settled = 0;
    let wake: (() => void) | undefined;
    const done = (i: number, o: AnalyseOutcome) => {
      settle(i, o);
      settled++;
    };
    const launch = () => {
      while (inFlight < workers * 2 && next < pending.length) {
        const { i, task } = pending[next++]!;
        const mode = backlog.length < MAX_BACKLOG ? 'extract' : 'full';
        inFlight++;
        // The worker checks the time budget between steps; a step that never returns is stopped here
        // (piscina ends that thread and starts another).
        const budget = task.limits.maxSecondsPerDoc;
        const signal = budget > 0 ? AbortSignal.timeout(Math.ceil(budget * 1000 * HARD_TIMEOUT_FACTOR)) : undefined;
        pool.run({ ...task, mode }, { signal }).then(
          (o) => {
            if (o.extracted) backlog.push({ i, task, o });
            else done(i, o);
          },
          (err: Error) => done(i, signal?.aborted ? timedOut(task) : failed(task, err)),
        ).finally(() => {
          inFlight--;
          launch();
          wake?.();
        });
      }
      if (next === pending.length) void startChartPool();
    };
    try {
      launch();
      while (settled < pending.length) {
        const item = backlog.shift();
        if (!item) {
          await new Promise<void>((r) => (wake = r));
          wake = undefined;
          continue;
        }
        let o: AnalyseOutcome;
        try {
          o = await finishTask(item.task, item.o, codebook);
        } catch (err) {
          o = { ...item.o, extracted: undefined, error: { code: 'error', message: `unexpected error while tagging: ${(err as Error).message}` } };
        }
        done(item.i, o);
        // Let finished reads arrive (and the next ones start) before tagging the next document.
        await new Promise<void>((r) => setImmediate(r));
      }
    } catch (err) {
      await startChartPool();
      await chartPool?.destroy();
      throw err;
    } finally {
      await pool.destroy();
    }
  } else {
    for (const { i, task } of pending) settle(i, await analyseTask(task, codebook));
  }
  const analyseWallMs = performance.now() - tAnalyse;
  progress.stop();

  // Collect in file order.
  const documents: AnalysedDocument[] = [];
  const skipped: SkippedDocument[] = [];
  const warnings: RunReport['warnings'] = listing.manifestWarnings.map((message) => ({ file: 'manifest.csv', message }));
  const limitsHit: RunReport['limitsHit'] = [];
  const dropped: DroppedCounts = {};
  const cacheStats = { dir: cacheDir, analysed: 0, extract: 0, misses: 0, outputs: false };
  // Analysed-cache keys of the content each document was built from (the outputs cache key).
  const docKeys: string[] = [];
  for (const s of STAGES) stageMs[s] = 0;
  const stageCpuMs: Record<string, number> = {};
  let cpuKnown = true;
  let cacheWarning: string | undefined;
  for (let i = 0; i < n; i++) {
    const o = outcomes[i]!;
    for (const s of STAGES) stageMs[s] += o.ms[s];
    if (o.cpuMs) for (const s of STAGES) stageCpuMs[s] = (stageCpuMs[s] ?? 0) + o.cpuMs[s];
    else if (STAGES.some((s) => o.ms[s] > 0)) cpuKnown = false;
    if (o.cache === 'analysed') cacheStats.analysed++;
    else if (o.cache === 'extract') cacheStats.extract++;
    else cacheStats.misses++;
    cacheWarning ??= o.cacheWarning;
    limitsHit.push(...o.limitsHit);
    if (o.changed) warnings.push({ file: o.file, message: 'the file changed while this run was reading it; analysed as read' });
    if (o.doc) {
      documents.push(o.doc);
      docKeys.push(o.keys?.analysed ?? '');
      for (const w of o.doc.warnings) warnings.push({ file: o.file, message: w });
      for (const [k, v] of Object.entries(o.doc.dropped)) dropped[k] = (dropped[k] ?? 0) + v;
    } else {
      const e = o.error ?? { code: 'error', message: 'no result' };
      skipped.push({ file: o.file, code: e.code, reason: e.message });
    }
  }
  for (const name of listing.unsupported) {
    skipped.push({ file: name, code: 'unsupported', reason: 'not a supported format (PDF, txt, md, html)' });
  }
  for (const r of listing.refused) skipped.push({ file: r.file, code: r.code, reason: r.reason });
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const s of skipped) warn(`skipped ${s.file} (${s.code}): ${s.reason}`);
  for (const h of limitsHit) warn(`limit: ${h.file}: ${h.count} sentence(s) over ${limits.maxSentenceChars} characters split into ${h.pieces} pieces (--max-sentence-chars)`);
  for (const w of listing.manifestWarnings.slice(0, MAX_PRINTED_MANIFEST_WARNINGS)) warn(`warning: ${w}`);
  const more = listing.manifestWarnings.length - MAX_PRINTED_MANIFEST_WARNINGS;
  if (more > 0) warn(`warning: ... and ${more.toLocaleString('en-GB')} more manifest warnings (all listed in run_report.json)`);
  for (const w of warnings) if (w.file !== 'manifest.csv' && w.message.startsWith('the file changed')) warn(`warning: ${w.file}: ${w.message}`);
  if (cacheWarning) warn(`warning: ${cacheWarning}`);

  await startChartPool();
  try {
    const forced = overrides ? applyOverrides(documents, overrides) : undefined;
    if (forced) {
      warn(`overrides: ${forced.applied} sentence(s) coded from ${overrides!.path}`);
      for (const a of forced.unmatched.slice(0, MAX_PRINTED_UNMATCHED)) warn(`warning: ${overrides!.path}: line ${a.line} matches no sentence (${a.sentenceId ?? JSON.stringify(a.text!.slice(0, 60))})`);
      if (forced.unmatched.length > MAX_PRINTED_UNMATCHED) warn(`warning: ... and ${forced.unmatched.length - MAX_PRINTED_UNMATCHED} more override rows that match no sentence (all listed in run_report.json)`);
    }
    const aggregates = await time('aggregate', () => aggregate(forced?.documents ?? documents, codebook, { window: opts.window ?? LATEST_INSPECTION }));
    const labelCounts = Object.fromEntries(LABELS.map((l) => [l, 0])) as Record<Label, number>;
    for (const f of aggregates.findings) labelCounts[f.label]++;
    const dups = (aggregates as { duplicates?: unknown }).duplicates;
    const report: RunReport = {
      tool: TOOL_NAME,
      version: VERSION,
      corpus: opts.corpusDir,
      documents: documents.length,
      sentences: aggregates.findings.length,
      skipped,
      warnings,
      dropped: Object.fromEntries(Object.entries(dropped).sort(([a], [b]) => (a < b ? -1 : 1))),
      labelCounts,
      duplicates: Array.isArray(dups) ? dups.length : 0,
      kept: staged ? await staged.foreign() : [],
      limits: { ...limits },
      limitsHit,
      window: { period: aggregates.window.key, label: aggregates.window.label, inspections: aggregates.window.inspections, documents: aggregates.window.documents },
      ...(opts.modelDir ? { model: opts.modelDir } : {}),
      ...(forced ? { overrides: { file: overrides!.path, sha256: overrides!.sha256, rows: overrides!.rows.length, applied: forced.applied, unmatched: forced.unmatched.map((a) => ({ line: a.line, sentenceId: a.sentenceId, text: a.text })) } } : {}),
    };

    const written: string[] = [];
    const exportMs: Record<string, number> = {};
    if (staged) {
      const out = staged.tmp;
      // Writers take the output folder: they write into the temporary sibling, swapped in below.
      const writerOptions = { focus: opts.focus, peers, overrides: overrides?.sha256, window: aggregates.window.key, minFindings: opts.minFindings ?? DEFAULT_MIN_FINDINGS };
      // Third cache layer: the same documents, codebook, code and writer options give the same files.
      const okey = cacheDir ? outputsKey(docKeys, analysisHash, fp, writerOptions) : '';
      const restored = okey ? await time('export', () => cache.restoreOutputs(okey, out)) : undefined;
      let files: WrittenFile[];
      if (restored) {
        files = restored;
        cacheStats.outputs = true;
      } else {
        const { writeOutputs } = await (writers ?? import('../export/outputs.js'));
        const chartRenderer = chartPool ? (spec: unknown) => chartPool!.run(spec) as Promise<{ svg: string; png: Uint8Array }> : undefined;
        const names = await time('export', () => writeOutputs(aggregates, codebook, out, { ...writerOptions, timings: exportMs, chartRenderer }));
        files = await describeFiles(out, names);
        if (okey) await cache.saveOutputs(okey, out, files);
      }
      written.push(...files.map((f) => f.path));
      await writeFileAtomic(join(out, 'run_report.json'), JSON.stringify(report, null, 2) + '\n');
      written.push('run_report.json');
      const kept = await staged.commit(files);
      for (const k of kept) if (!isPlaceholder(k.path) || k.as) log(`kept ${k.path} in ${opts.outDir} (${k.reason})${k.as ? ` as ${k.as}` : ''}`);
    }
    await swept;
    opts.onStage?.('done');
    const stats: RunStats = {
      wallMs: performance.now() - t0,
      stageMs,
      stageCpuMs: cpuKnown ? stageCpuMs : {},
      exportMs,
      analyseWallMs,
      cache: cacheStats,
      workers,
      documents: documents.length,
      sentences: aggregates.findings.length,
    };
    return { aggregates, codebook, report, written, stats };
  } finally {
    await chartPool?.destroy();
  }
}
