/**
 * Per-document pipeline: ingest -> segment -> sentence limit -> tag -> theme -> terms (the last
 * three a slice of sentences at a time), with the two-layer cache. Runs whole in a pool worker
 * (worker.ts) or in-process, or split: a worker reads and segments (mode 'extract') and the main
 * thread finishes the document (finishTask).
 * Stage modules are imported lazily so that a warm run (everything cached) never loads pdfjs or
 * the tagger.
 */
import type { AnalysedDocument, DocumentFinding, DocumentMessage, SegmentedDocument, SkipCode, SourceFile } from '../types.js';
import type { Codebook } from '../theme/codebook.js';
import type { PdfEngine } from '../ingest/pdf.js';
import { DocumentError } from '../util/errors.js';
import { restoreNatives } from '../util/natives.js';
import { threadCpuMs } from '../util/clock.js';
import { readFile } from 'node:fs/promises';
import { Deadline } from '../util/deadline.js';
import { DocumentCache, documentKeys, sha256, type DocumentKeys, type ExtractEntry, type Fingerprints } from './cache.js';
import type { LimitHit, Limits } from '../limits.js';
import { applySentenceLimit, type Tokeniser } from '../segment/long-sentences.js';
import { compactFinding, Interner } from './compact.js';

export interface AnalyseTask {
  src: SourceFile;
  limits: Limits;
  /** Cache folder, or null when caching is off. */
  cacheDir: string | null;
  /** Code fingerprints and the hash of the codebook (and model folder): with the bytes actually read they make the cache keys. */
  fp: Fingerprints;
  codebookHash: string;
  /** Model folder (`run --model`); absent: the shipped models. Its hash is part of codebookHash. */
  modelDir?: string;
  /** SHA-256 of the file when the orchestrator listed it (and looked its analysed entry up). */
  listedSha256: string;
  /** Engine that reads PDFs (default PDFium). */
  pdfEngine?: PdfEngine;
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
  /** What happened to the document: a fatal message skips it; the others are warnings. */
  messages: DocumentMessage[];
  limitsHit: LimitHit[];
  /** Which cache layer answered: 'analysed' (nothing recomputed), 'extract' (re-tagged), or 'miss'. */
  cache: 'analysed' | 'extract' | 'miss';
  /** Milliseconds spent in each stage for this document (wall clock). */
  ms: StageTimes;
  /** CPU milliseconds of the analysing thread in each stage (Linux; absent elsewhere). */
  cpuMs?: StageTimes;
  /** Mode 'extract': the segmented document, to be finished by finishTask. */
  extracted?: Extracted;
  /** Cache keys of the bytes that were read (not those listed earlier, if the file changed in between). */
  keys?: DocumentKeys;
}

type Extracted = Extract<ExtractEntry, { ok: true }>;

export const zeroTimes = (): StageTimes => ({ ingest: 0, segment: 0, limits: 0, tag: 0, theme: 0, terms: 0 });

/** The message that skips a document. */
export const fatal = (code: SkipCode, reason: string, source: DocumentMessage['source']): DocumentMessage => ({ reason, ruleId: code, source, fatal: true });

/** The skip of an outcome (its first fatal message), if any. */
export function skipOf(o: AnalyseOutcome): { code: SkipCode; message: string } | undefined {
  const m = o.messages.find((x) => x.fatal);
  return m ? { code: m.ruleId as SkipCode, message: m.reason } : undefined;
}

/** A warning that the cache could not be written (the run goes on without it). */
const cacheMessage = (cache: DocumentCache): DocumentMessage[] => (cache.writeError ? [{ reason: cache.writeError, ruleId: 'cache_unwritable', source: 'cache' }] : []);

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
  tagSlices: typeof import('../tag/index.js').tagSlices;
  ThemeSequence: typeof import('../theme/index.js').ThemeSequence;
  TermTable: typeof import('../theme/emerging.js').TermTable;
  loadModelSet: typeof import('./models.js').loadModelSet;
  nlp: Tokeniser;
};
let stages: Promise<Stages> | undefined;

/** Load the stage modules once per thread. */
export function loadStages(): Promise<Stages> {
  stages ??= (async () => {
    const [ing, seg, tag, theme, tokens, emerging, models] = await Promise.all([
      import('../ingest/index.js'),
      import('../segment/index.js'),
      import('../tag/index.js'),
      import('../theme/index.js'),
      import('../nlp/tokens.js'),
      import('../theme/emerging.js'),
      import('./models.js'),
    ]);
    restoreNatives();
    // pdfjs (the fallback engine) loads its worker bundle and its polyfills on first use: restore after every read.
    const ingest: typeof ing.ingest = async (...args) => {
      try {
        return await ing.ingest(...args);
      } finally {
        restoreNatives();
      }
    };
    return { ingest, segment: seg.segment, tagSlices: tag.tagSlices, ThemeSequence: theme.ThemeSequence, TermTable: emerging.TermTable, loadModelSet: models.loadModelSet, nlp: { tokenize: tokens.tokenize, stems: tokens.stems } };
  })();
  return stages;
}

/** Run ingest and segment (and the sentence limit) for one document; throws DocumentError. */
async function extract(src: SourceFile, bytes: Uint8Array | undefined, limits: Limits, deadline: Deadline, st: Stages, clock: StageClock, pdfEngine?: PdfEngine): Promise<{ doc: SegmentedDocument; limitsHit: LimitHit[] }> {
  clock.start();
  const ingested = await st.ingest(src, { maxFileBytes: limits.maxFileBytes, maxPages: limits.maxPages, bytes, deadline, pdfEngine });
  // Safety net if ingest does not enforce maxPages itself.
  if (ingested.pageCount > limits.maxPages) {
    throw new DocumentError('too_many_pages', `document has ${ingested.pageCount} pages, over the limit of ${limits.maxPages} (--max-pages)`);
  }
  clock.stop('ingest');
  clock.start();
  const segmented = st.segment(ingested);
  clock.stop('segment');
  deadline.check('splitting sentences');
  clock.start();
  const { doc, hit } = applySentenceLimit(segmented, limits.maxSentenceChars, st.nlp);
  clock.stop('limits');
  return { doc, limitsHit: hit ? [hit] : [] };
}

/**
 * Tag and theme a segmented document, and list its candidate emerging terms: a slice of sentences
 * at a time through all three stages (tag/index.ts tagSlices, each slice theming with continuation
 * from the one before and adding to the document's term table), so that a long document holds the
 * tokens, stems, clause labels and model features of one slice only, not of all its sentences.
 * The result is the same as running each stage over the whole document. It consumes `seg`: the
 * sentences of each slice done are released from `seg.sentences` (every caller passes a segmented
 * document it owns and reads no further: just extracted, just read from the cache, or just
 * received from a worker).
 */
function analyseSegmented(seg: SegmentedDocument, codebook: Codebook, st: Stages, clock: StageClock, deadline: Deadline, modelDir?: string): AnalysedDocument {
  const models = st.loadModelSet(modelDir);
  const themes = new st.ThemeSequence(codebook, models.themes);
  const table = new st.TermTable(codebook);
  const findings: DocumentFinding[] = [];
  const shared = new Interner();
  // The sentences are this step's to release as it goes (see the callers).
  const slices = st.tagSlices(seg.sentences, models.tagger, { release: true });
  for (;;) {
    clock.start();
    const next = slices.next();
    clock.stop('tag');
    if (next.done) break;
    deadline.check('labelling sentences');
    clock.start();
    const themed = themes.next(next.value);
    clock.stop('theme');
    deadline.check('matching themes');
    clock.start();
    table.add(themed);
    clock.stop('terms');
    // Tokens, stems and clause labels stay behind: only the per-document stages above use them.
    // Repeated evidence, theme hits and heading paths are shared (compact.ts).
    for (const { tokens: _t, stems: _st, clauses: _c, ...f } of themed) findings.push(compactFinding(f, shared));
  }
  clock.start();
  const terms = table.terms();
  clock.stop('terms');
  const { sentences: _s, ...rest } = seg;
  return { ...rest, findings, terms };
}

/**
 * Analyse one document, using and filling the cache. Never throws for a bad document. The file is
 * read once here and everything is keyed by the SHA-256 of exactly those bytes, so a file that
 * changes during the run can never leave a result under the key of other content. In mode
 * 'extract' it stops once the document is segmented (see AnalyseTask.mode).
 */
export async function analyseTask(task: AnalyseTask, codebook: Codebook): Promise<AnalyseOutcome> {
  const clock = new StageClock();
  const cache = new DocumentCache(task.cacheDir);
  const base = { file: task.src.file, ms: clock.ms, cpuMs: clock.cpu };
  const deadline = new Deadline(task.limits.maxSecondsPerDoc);
  let bytes: Buffer;
  try {
    bytes = await readFile(task.src.path);
  } catch (err) {
    return { ...base, messages: [fatal('unreadable', `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'read')], limitsHit: [], cache: 'miss' };
  }
  const sha = sha256(bytes);
  const keys = documentKeys(task.src, sha, task.limits, task.fp, task.codebookHash, task.pdfEngine);
  const changed: DocumentMessage[] = sha !== task.listedSha256 ? [{ reason: 'the file changed while this run was reading it; analysed as read', ruleId: 'file_changed', source: 'read' }] : [];
  const found = { ...base, keys, messages: changed };
  // Looked up again here: the orchestrator's look-up was for the bytes it listed.
  const hit = await cache.getAnalysed(keys.analysed);
  if (hit) return { ...found, doc: hit.doc, limitsHit: hit.limitsHit, cache: 'analysed' };

  const st = await loadStages();
  let entry: ExtractEntry | undefined = await cache.getExtract(keys.extract);
  const layer: AnalyseOutcome['cache'] = entry ? 'extract' : 'miss';
  if (!entry) {
    try {
      const { doc, limitsHit } = await extract(task.src, bytes, task.limits, deadline, st, clock, task.pdfEngine);
      entry = { ok: true, doc, limitsHit };
    } catch (err) {
      if (!(err instanceof DocumentError)) {
        return { ...found, messages: [...changed, fatal('error', `unexpected error: ${(err as Error).message}`, 'ingest')], limitsHit: [], cache: layer };
      }
      entry = { ok: false, code: err.code, message: err.message };
    }
    // A timeout depends on the machine's load, not on the content: never cached.
    if (entry.ok || entry.code !== 'timeout') await cache.putExtract(keys.extract, entry);
  }
  if (!entry.ok) return { ...found, messages: [...changed, fatal(entry.code, entry.message, 'ingest'), ...cacheMessage(cache)], limitsHit: [], cache: layer };
  if (task.mode === 'extract') return { ...found, messages: [...changed, ...cacheMessage(cache)], extracted: entry, limitsHit: entry.limitsHit, cache: layer };
  return complete(entry, { file: found.file, keys, messages: changed, layer, modelDir: task.modelDir }, clock, codebook, st, cache, deadline);
}

/**
 * Finish, on this thread, a document a worker returned in mode 'extract': tag, theme, emerging-term
 * table and the analysed-cache entry. Stage times add to the worker's, and so does the time budget.
 */
export async function finishTask(task: AnalyseTask, outcome: AnalyseOutcome, codebook: Codebook): Promise<AnalyseOutcome> {
  if (!outcome.extracted || !outcome.keys) return outcome;
  const clock = new StageClock();
  const st = await loadStages();
  let spent = 0;
  for (const s of STAGES) spent += outcome.ms[s];
  const deadline = new Deadline(task.limits.maxSecondsPerDoc, spent);
  const done = await complete(outcome.extracted, { file: task.src.file, keys: outcome.keys, messages: outcome.messages, layer: outcome.cache, modelDir: task.modelDir }, clock, codebook, st, new DocumentCache(task.cacheDir), deadline);
  const ms = zeroTimes();
  const cpu = outcome.cpuMs && clock.cpu ? zeroTimes() : undefined;
  for (const s of STAGES) {
    ms[s] = outcome.ms[s] + clock.ms[s];
    if (cpu) cpu[s] = outcome.cpuMs![s] + clock.cpu![s];
  }
  return { ...done, ms, cpuMs: cpu };
}

interface Found {
  file: string;
  keys: DocumentKeys;
  /** Messages so far (the worker's, when the main thread finishes a document). */
  messages: DocumentMessage[];
  layer: AnalyseOutcome['cache'];
  modelDir?: string;
}

async function complete(entry: Extracted, found: Found, clock: StageClock, codebook: Codebook, st: Stages, cache: DocumentCache, deadline: Deadline): Promise<AnalyseOutcome> {
  const base = { file: found.file, keys: found.keys, ms: clock.ms, cpuMs: clock.cpu, cache: found.layer };
  let doc: AnalysedDocument;
  try {
    doc = analyseSegmented(entry.doc, codebook, st, clock, deadline, found.modelDir);
  } catch (err) {
    if (err instanceof DocumentError) return { ...base, messages: [...found.messages, fatal(err.code, err.message, 'tag')], limitsHit: [] };
    return { ...base, messages: [...found.messages, fatal('error', `unexpected error while tagging: ${(err as Error).message}`, 'tag')], limitsHit: entry.limitsHit };
  }
  await cache.putAnalysed(found.keys.analysed, { doc, limitsHit: entry.limitsHit });
  return { ...base, messages: [...found.messages, ...cacheMessage(cache)], doc, limitsHit: entry.limitsHit };
}

/**
 * Analyse one document in-process without the cache (library use). Throws DocumentError
 * when the document cannot be read.
 */
export async function analyseDocument(src: SourceFile, codebook: Codebook, limits: Limits, modelDir?: string, pdfEngine?: PdfEngine): Promise<AnalysedDocument> {
  const st = await loadStages();
  const clock = new StageClock();
  const deadline = new Deadline(limits.maxSecondsPerDoc);
  const { doc } = await extract(src, undefined, limits, deadline, st, clock, pdfEngine);
  return analyseSegmented(doc, codebook, st, clock, deadline, modelDir);
}
