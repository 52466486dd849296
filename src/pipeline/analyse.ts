/**
 * Per-document pipeline: ingest -> segment -> sentence limit -> tag -> theme -> terms, with the
 * two-layer cache. Runs whole in a pool worker (worker.ts) or in-process, or split: a worker
 * reads and segments (mode 'extract') and the main thread finishes the document (finishTask).
 * Stage modules are imported lazily so that a warm run (everything cached) never loads pdfjs or
 * the tagger.
 */
import type { AnalysedDocument, SegmentedDocument, SourceFile } from '../types.js';
import type { Codebook } from '../theme/codebook.js';
import { DocumentError } from '../util/errors.js';
import { restoreNatives } from '../util/natives.js';
import { threadCpuMs } from '../util/clock.js';
import { DocumentCache, type ExtractEntry } from './cache.js';
import { applySentenceLimit, type LimitHit, type Limits, type Tokeniser } from './limits.js';

export interface AnalyseTask {
  src: SourceFile;
  limits: Limits;
  /** Cache folder, or null when caching is off. */
  cacheDir: string | null;
  /** Cache keys computed by the orchestrator from the file hash. */
  extractKey: string;
  analysedKey: string;
  /** SHA-256 of the file bytes as hashed by the orchestrator. */
  sha256: string;
  /**
   * 'full' (default): every per-document stage. 'extract': stop after ingest, segment and the
   * sentence limit and return the segmented document (`extracted`), for the main thread to tag,
   * theme and finish with finishTask while the worker reads the next document.
   */
  mode?: 'full' | 'extract';
}

export const STAGES = ['ingest', 'segment', 'limits', 'tag', 'theme', 'terms'] as const;
export type DocStage = (typeof STAGES)[number];
export type StageTimes = Record<DocStage, number>;

export interface AnalyseOutcome {
  file: string;
  doc?: AnalysedDocument;
  error?: { code: string; message: string };
  limitsHit: LimitHit[];
  /** Which cache layer answered: 'analysed' (nothing recomputed), 'extract' (re-tagged), or 'miss'. */
  cache: 'analysed' | 'extract' | 'miss';
  /** Milliseconds spent in each stage for this document (wall clock). */
  ms: StageTimes;
  /** CPU milliseconds of the analysing thread in each stage (Linux; absent elsewhere). */
  cpuMs?: StageTimes;
  /** Warning about the cache (e.g. not writable), if any. */
  cacheWarning?: string;
  /** Mode 'extract': the segmented document, to be finished by finishTask. */
  extracted?: Extracted;
}

type Extracted = Extract<ExtractEntry, { ok: true }>;

export const zeroTimes = (): StageTimes => ({ ingest: 0, segment: 0, limits: 0, tag: 0, theme: 0, terms: 0 });

/** Wall-clock and thread CPU time per stage for one document (start, then stop with the stage's name). */
class StageClock {
  readonly ms = zeroTimes();
  readonly cpu: StageTimes | undefined = threadCpuMs() === undefined ? undefined : zeroTimes();
  #t = 0;
  #c = 0;
  start(): void {
    this.#t = performance.now();
    if (this.cpu) this.#c = threadCpuMs() ?? this.#c;
  }
  stop(stage: DocStage): void {
    this.ms[stage] += performance.now() - this.#t;
    if (this.cpu) this.cpu[stage] += (threadCpuMs() ?? this.#c) - this.#c;
  }
}

type Stages = {
  ingest: typeof import('../ingest/index.js').ingest;
  segment: typeof import('../segment/index.js').segment;
  tagSentences: typeof import('../tag/index.js').tagSentences;
  themeFindings: typeof import('../theme/index.js').themeFindings;
  documentTerms: typeof import('../theme/emerging.js').documentTerms;
  nlp: Tokeniser;
};
let stages: Promise<Stages> | undefined;

/** Load the stage modules once per thread. */
export function loadStages(): Promise<Stages> {
  stages ??= (async () => {
    const [ing, seg, tag, theme, tokens, emerging] = await Promise.all([
      import('../ingest/index.js'),
      import('../segment/index.js'),
      import('../tag/index.js'),
      import('../theme/index.js'),
      import('../nlp/tokens.js'),
      import('../theme/emerging.js'),
    ]);
    restoreNatives();
    // pdfjs loads its worker bundle (and its polyfills) on first use: restore after every read.
    const ingest: typeof ing.ingest = async (...args) => {
      try {
        return await ing.ingest(...args);
      } finally {
        restoreNatives();
      }
    };
    return { ingest, segment: seg.segment, tagSentences: tag.tagSentences, themeFindings: theme.themeFindings, documentTerms: emerging.documentTerms, nlp: { tokenize: tokens.tokenize, stems: tokens.stems } };
  })();
  return stages;
}

/** Run ingest and segment (and the sentence limit) for one document; throws DocumentError. */
async function extract(task: AnalyseTask, st: Stages, clock: StageClock): Promise<{ doc: SegmentedDocument; limitsHit: LimitHit[] }> {
  clock.start();
  const ingestOpts: Parameters<Stages['ingest']>[1] & { maxPages?: number } = { maxFileBytes: task.limits.maxFileBytes, maxPages: task.limits.maxPages };
  const ingested = await st.ingest(task.src, ingestOpts);
  // Safety net if ingest does not enforce maxPages itself.
  if (ingested.pageCount > task.limits.maxPages) {
    throw new DocumentError('too_many_pages', `document has ${ingested.pageCount} pages, over the limit of ${task.limits.maxPages} (--max-pages)`);
  }
  clock.stop('ingest');
  clock.start();
  const segmented = st.segment(ingested);
  clock.stop('segment');
  clock.start();
  const { doc, hit } = applySentenceLimit(segmented, task.limits.maxSentenceChars, st.nlp);
  clock.stop('limits');
  return { doc, limitsHit: hit ? [hit] : [] };
}

/** Tag and theme a segmented document, and list its candidate emerging terms. */
function analyseSegmented(seg: SegmentedDocument, codebook: Codebook, st: Stages, clock: StageClock): AnalysedDocument {
  clock.start();
  const tagged = st.tagSentences(seg.sentences);
  clock.stop('tag');
  clock.start();
  const findings = st.themeFindings(tagged, codebook);
  clock.stop('theme');
  clock.start();
  const terms = st.documentTerms(findings, codebook);
  clock.stop('terms');
  const { sentences: _s, ...rest } = seg;
  // Tokens and stems stay behind: only the per-document stages above use them.
  return { ...rest, findings: findings.map(({ tokens: _t, stems: _st, ...f }) => f), terms };
}

/**
 * Analyse one document, using and filling the cache. Never throws for a bad document. In mode
 * 'extract' it stops once the document is segmented (see AnalyseTask.mode).
 */
export async function analyseTask(task: AnalyseTask, codebook: Codebook): Promise<AnalyseOutcome> {
  const clock = new StageClock();
  const cache = new DocumentCache(task.cacheDir);
  const base = { file: task.src.file, ms: clock.ms, cpuMs: clock.cpu };
  const hit = await cache.getAnalysed(task.analysedKey);
  if (hit) return { ...base, doc: hit.doc, limitsHit: hit.limitsHit, cache: 'analysed' };

  const st = await loadStages();
  let entry: ExtractEntry | undefined = await cache.getExtract(task.extractKey);
  const layer: AnalyseOutcome['cache'] = entry ? 'extract' : 'miss';
  if (!entry) {
    try {
      const { doc, limitsHit } = await extract(task, st, clock);
      entry = { ok: true, doc, limitsHit };
      if (doc.sha256 === task.sha256) await cache.putExtract(task.extractKey, entry);
    } catch (err) {
      if (err instanceof DocumentError) {
        entry = { ok: false, code: err.code, message: err.message };
        await cache.putExtract(task.extractKey, entry);
      } else {
        return { ...base, error: { code: 'error', message: `unexpected error: ${(err as Error).message}` }, limitsHit: [], cache: layer };
      }
    }
  }
  if (!entry.ok) return { ...base, error: { code: entry.code, message: entry.message }, limitsHit: [], cache: layer };
  if (task.mode === 'extract') return { ...base, extracted: entry, limitsHit: entry.limitsHit, cache: layer, cacheWarning: cache.writeError };
  return complete(task, entry, layer, clock, codebook, st, cache);
}

/**
 * Finish, on this thread, a document a worker returned in mode 'extract': tag, theme, emerging-term
 * table and the analysed-cache entry. Stage times add to the worker's.
 */
export async function finishTask(task: AnalyseTask, outcome: AnalyseOutcome, codebook: Codebook): Promise<AnalyseOutcome> {
  if (!outcome.extracted) return outcome;
  const clock = new StageClock();
  const st = await loadStages();
  const done = await complete(task, outcome.extracted, outcome.cache, clock, codebook, st, new DocumentCache(task.cacheDir));
  const ms = zeroTimes();
  const cpu = outcome.cpuMs && clock.cpu ? zeroTimes() : undefined;
  for (const s of STAGES) {
    ms[s] = outcome.ms[s] + clock.ms[s];
    if (cpu) cpu[s] = outcome.cpuMs![s] + clock.cpu![s];
  }
  return { ...done, ms, cpuMs: cpu, cacheWarning: outcome.cacheWarning ?? done.cacheWarning };
}

async function complete(task: AnalyseTask, entry: Extracted, layer: AnalyseOutcome['cache'], clock: StageClock, codebook: Codebook, st: Stages, cache: DocumentCache): Promise<AnalyseOutcome> {
  const base = { file: task.src.file, ms: clock.ms, cpuMs: clock.cpu };
  let doc: AnalysedDocument;
  try {
    doc = analyseSegmented(entry.doc, codebook, st, clock);
  } catch (err) {
    return { ...base, error: { code: 'error', message: `unexpected error while tagging: ${(err as Error).message}` }, limitsHit: entry.limitsHit, cache: layer };
  }
  if (entry.doc.sha256 === task.sha256) await cache.putAnalysed(task.analysedKey, { doc, limitsHit: entry.limitsHit });
  return { ...base, doc, limitsHit: entry.limitsHit, cache: layer, cacheWarning: cache.writeError };
}

/**
 * Analyse one document in-process without the cache (library use). Throws DocumentError
 * when the document cannot be read.
 */
export async function analyseDocument(src: SourceFile, codebook: Codebook, limits: Limits): Promise<AnalysedDocument> {
  const st = await loadStages();
  const clock = new StageClock();
  const { doc } = await extract({ src, limits, cacheDir: null, extractKey: '', analysedKey: '', sha256: '' }, st, clock);
  return analyseSegmented(doc, codebook, st, clock);
}
