/**
 * The run report of runPipeline: each document's outcome folded in file order (documents, skips,
 * warnings, limits hit, cache and stage figures), run_report.json built from them and the
 * outputs layer's summary, and the lines printed on stderr.
 */
import type { AnalysedDocument, DroppedCounts, Label, OmittedOutput, RunReport, SkippedDocument } from '../types.js';
import type { CorpusListing } from '../ingest/discover.js';
import type { AnnotationFile } from '../annotate/annotations.js';
import type { Limits } from '../limits.js';
import { DEFAULT_PDF_ENGINE } from '../ingest/pdf.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { skipOf, STAGES, type AnalyseOutcome } from './analyse.js';
import type { PipelineOptions, RunStats } from './run.js';

/** Manifest warnings printed one by one before the rest are summarised (all are in run_report.json). */
const MAX_PRINTED_MANIFEST_WARNINGS = 5;
/** Override rows matching no sentence, printed one by one before the rest are summarised (all are in run_report.json). */
const MAX_PRINTED_UNMATCHED = 5;

/** What the outputs layer keeps beside the files: the run report's figures that come from the documents. */
export interface OutputsSummary {
  documents: number;
  sentences: number;
  documentWarnings: RunReport['warnings'];
  dropped: DroppedCounts;
  labelCounts: Record<Label, number>;
  duplicates: number;
  limitsHit: RunReport['limitsHit'];
  window: RunReport['window'];
  overrides?: { applied: number; unmatched: { line: number; sentenceId?: string; text?: string }[] };
  /** Output files the writers did not write, and why. */
  omitted?: OmittedOutput[];
}

export function parseSummary(v: unknown): OutputsSummary | undefined {
  const s = v as Partial<OutputsSummary> | null;
  if (!s || typeof s !== 'object' || typeof s.documents !== 'number' || typeof s.sentences !== 'number' || !Array.isArray(s.documentWarnings) || !Array.isArray(s.limitsHit) || !s.window || typeof s.window.sentences !== 'number' || !s.labelCounts || !s.dropped) return undefined;
  return s as OutputsSummary;
}

/** The outcomes folded in file order: documents, skips, per-document warnings, limits hit, cache and stage figures. */
export interface Folded {
  documents: AnalysedDocument[];
  /** Analysed-cache keys of the content each document was built from (the outputs cache key). */
  docKeys: string[];
  skipped: SkippedDocument[];
  documentWarnings: RunReport['warnings'];
  limitsHit: RunReport['limitsHit'];
  dropped: DroppedCounts;
  cacheStats: RunStats['cache'];
  stageCpuMs: Partial<Record<string, number>>;
  cacheWarning?: string;
  /** Files that changed while the run read them (also in documentWarnings; printed on stderr). */
  changedFiles: RunReport['warnings'];
}

export function foldOutcomes(outcomes: AnalyseOutcome[], listing: CorpusListing, stageMs: Record<string, number>, cacheDir: string | null): Folded {
  const f: Folded = { documents: [], docKeys: [], skipped: [], documentWarnings: [], changedFiles: [], limitsHit: [], dropped: {}, cacheStats: { dir: cacheDir, analysed: 0, extract: 0, misses: 0, outputs: false }, stageCpuMs: {} };
  for (const s of STAGES) stageMs[s] = 0;
  const stageCpuMs: Record<string, number> = {};
  let cpuKnown = true;
  for (const o of outcomes) {
    for (const s of STAGES) stageMs[s] += o.ms[s];
    if (o.cpuMs) for (const s of STAGES) stageCpuMs[s] = (stageCpuMs[s] ?? 0) + o.cpuMs[s];
    else if (STAGES.some((s) => o.ms[s] > 0)) cpuKnown = false;
    if (o.cache === 'analysed') f.cacheStats.analysed++;
    else if (o.cache === 'extract') f.cacheStats.extract++;
    else f.cacheStats.misses++;
    for (const m of o.messages) {
      if (m.ruleId === 'cache_unwritable') f.cacheWarning ??= m.reason;
      else if (!m.fatal) {
        f.documentWarnings.push({ file: o.file, message: m.reason });
        if (m.ruleId === 'file_changed') f.changedFiles.push({ file: o.file, message: m.reason });
      }
    }
    f.limitsHit.push(...o.limitsHit);
    if (o.doc) {
      f.documents.push(o.doc);
      f.docKeys.push(o.keys?.analysed ?? '');
      for (const w of o.doc.warnings) f.documentWarnings.push({ file: o.file, message: w });
      for (const [k, v] of Object.entries(o.doc.dropped)) f.dropped[k] = (f.dropped[k] ?? 0) + v;
    } else if (skipOf(o) || o.cache !== 'analysed') {
      const e = skipOf(o) ?? { code: 'error' as const, message: 'no result' };
      f.skipped.push({ file: o.file, code: e.code, reason: e.message });
    }
  }
  for (const name of listing.unsupported) f.skipped.push({ file: name, code: 'unsupported', reason: 'not a supported format (PDF, txt, md, html)' });
  for (const r of listing.refused) f.skipped.push({ file: r.file, code: r.code, reason: r.reason });
  f.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  f.dropped = Object.fromEntries(Object.entries(f.dropped).sort(([a], [b]) => (a < b ? -1 : 1)));
  f.stageCpuMs = cpuKnown ? stageCpuMs : {};
  return f;
}

export function buildReport(opts: PipelineOptions, limits: Limits, listing: CorpusListing, folded: Folded, summary: OutputsSummary, kept: string[], overrides: AnnotationFile | undefined): RunReport {
  return {
    tool: TOOL_NAME,
    version: VERSION,
    corpus: opts.corpusDir,
    documents: summary.documents,
    sentences: summary.sentences,
    skipped: folded.skipped,
    warnings: [...listing.manifestWarnings.map((message) => ({ file: 'manifest.csv', message })), ...summary.documentWarnings],
    dropped: summary.dropped,
    labelCounts: summary.labelCounts,
    duplicates: summary.duplicates,
    kept,
    limits: { ...limits },
    limitsHit: summary.limitsHit,
    pdfEngine: opts.pdfEngine ?? DEFAULT_PDF_ENGINE,
    window: summary.window,
    ...(opts.modelDir ? { model: opts.modelDir } : {}),
    ...(overrides && summary.overrides ? { overrides: { file: overrides.path, sha256: overrides.sha256, rows: overrides.rows.length, applied: summary.overrides.applied, unmatched: summary.overrides.unmatched } } : {}),
    omitted: summary.omitted ?? [],
  };
}

/** Warning lines for stderr: skipped documents, limits hit, manifest problems, files that changed, the cache. */
export function printMessages(log: (line: string) => void, listing: CorpusListing, limits: Limits, folded: Folded, limitsHit: RunReport['limitsHit']): void {
  for (const s of folded.skipped) log(`skipped ${s.file} (${s.code}): ${s.reason}`);
  for (const h of limitsHit) log(`limit: ${h.file}: ${h.count} sentence(s) over ${limits.maxSentenceChars} characters split into ${h.pieces} pieces (--max-sentence-chars)`);
  for (const w of listing.manifestWarnings.slice(0, MAX_PRINTED_MANIFEST_WARNINGS)) log(`warning: ${w}`);
  const more = listing.manifestWarnings.length - MAX_PRINTED_MANIFEST_WARNINGS;
  if (more > 0) log(`warning: ... and ${more.toLocaleString('en-GB')} more manifest warnings (all listed in run_report.json)`);
  for (const w of folded.changedFiles) log(`warning: ${w.file}: ${w.message}`);
  if (folded.cacheWarning) log(`warning: ${folded.cacheWarning}`);
}

export function printOverrides(log: (line: string) => void, overrides: AnnotationFile, applied: number, unmatched: { line: number; sentenceId?: string; text?: string }[]): void {
  log(`overrides: ${applied} sentence(s) coded from ${overrides.path}`);
  for (const a of unmatched.slice(0, MAX_PRINTED_UNMATCHED)) log(`warning: ${overrides.path}: line ${a.line} matches no sentence (${a.sentenceId ?? JSON.stringify(a.text!.slice(0, 60))})`);
  if (unmatched.length > MAX_PRINTED_UNMATCHED) log(`warning: ... and ${unmatched.length - MAX_PRINTED_UNMATCHED} more override rows that match no sentence (all listed in run_report.json)`);
}
