import type { AnalysedDocument, CouncilSummary, DocumentFinding } from '../types.js';
import type { Codebook } from '../theme/codebook.js';
import { assignInspections, councilName, findDuplicates, type DuplicateFinding } from './dedupe.js';
import { inspectionRecords, type InspectionRecord } from './inspections.js';
import { wilson } from './interval.js';
import { changesOverTime, inspectionThemeCells, nationalTrends, type ChangeRow, type InspectionThemeCells, type TrendRow } from './over-time.js';
import { groupComparisons, type GroupRow } from './groups.js';
import { ALL_INSPECTIONS, describeWindow, selectInspections, windowKey, type ComparisonWindow } from './window.js';

export { assignInspections, findDuplicates, normaliseFinding, type DuplicateFinding } from './dedupe.js';
export { daysOnSite, inspectionRecords, type InspectionRecord } from './inspections.js';
export { compareWith, DEFAULT_MIN_FINDINGS, wilson, Z95, type Comparison, type Interval } from './interval.js';
export { changesOverTime, differenceInterval, inspectionsByCouncil, inspectionThemeCells, nationalTrends, type ChangeRow, type Direction, type InspectionThemeCells, type TrendRow } from './over-time.js';
export { GRADE_CONTRAST, groupComparisons, type GroupRow } from './groups.js';
export { ALL_INSPECTIONS, LATEST_INSPECTION, describeWindow, inspectionDate, parseFramework, parsePeriod, selectInspections, windowKey, type ComparisonWindow, type Period } from './window.js';
export { benchmark, resolveCouncil, median, type Benchmark, type BenchmarkRow, type BenchmarkOptions } from './benchmark.js';
export { emergingTerms, type EmergingTerm, type EmergingOptions, type EmergingInput, type EmergingScope } from './emerging.js';
export { logLikelihood, logRatio, CRITICAL_G2 } from './keyness.js';
export { loadPeers, parsePeers, type PeerTable, type PeerEntry } from './peers.js';

export interface CouncilInfo {
  council: string;
  onsCode: string;
  region: string;
  documents: string[];
  /** All sentences of the council's documents (duplicates included). */
  sentences: number;
  /** Evaluative (S/I/M) findings counted, after de-duplication: the rate denominator. */
  evaluative: number;
  /** Sentences not counted because they repeat a finding of the same inspection. */
  duplicates: number;
}

/** The comparison window of a run, with what it holds. */
export interface WindowInfo extends ComparisonWindow {
  /** As the command line writes it (`latest`, `all`, `2018-01-01..2025-12-31`, `, framework ilacs`). */
  key: string;
  /** In words, as the charts and the report say it. */
  label: string;
  inspections: number;
  documents: number;
}

export interface Aggregates {
  /** The documents of the inspections in the comparison window. */
  documents: AnalysedDocument[];
  /** Every sentence of those documents, in document then sentence order (duplicates included). */
  findings: DocumentFinding[];
  /** Council display names, sorted. */
  councils: string[];
  /** Theme ids in codebook order. */
  themes: string[];
  /** Council x theme summaries (councils sorted, themes in codebook order), counted after de-duplication. */
  councilThemes: CouncilSummary[];
  councilInfo: CouncilInfo[];
  /** Document id -> council display name (UNKNOWN_COUNCIL, 'Unknown', when the metadata gives none). */
  councilOf: Record<string, string>;
  /** Document id -> inspection id (see dedupe.ts). */
  inspectionOf: Record<string, string>;
  /** One record per inspection event of every document, in or out of the window (see inspections.ts). */
  inspections: InspectionRecord[];
  /** Document id -> whether its inspection is in the comparison window (every document). */
  inWindow: Record<string, boolean>;
  /** The comparison window: `documents`, `findings`, the councils and their counts cover it. */
  window: WindowInfo;
  /** Inspection id -> theme -> evaluative findings, areas for improvement + mixed, and their sentence ids (every inspection). */
  inspectionCells: InspectionThemeCells;
  /** Per council with two or more inspections, per theme: each inspection against the one before (every inspection, not only the window's). */
  changes: ChangeRow[];
  /** Per theme, by year and by framework of the full inspections (every inspection). */
  trends: TrendRow[];
  /** Per theme, the window's inspections by region and by overall grade, and the weaker-minus-stronger grade contrast. */
  groups: GroupRow[];
  /** Every document, sentence and duplicate, in or out of the window (for the complete CSVs). */
  all: { documents: AnalysedDocument[]; findings: DocumentFinding[]; duplicates: DuplicateFinding[] };
  /** Sentences of the window not counted, each pointing at the copy that is counted. */
  duplicates: DuplicateFinding[];
  /** Sentence id -> id of the counted copy, for duplicates only. */
  duplicateOf: Record<string, string>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface AggregateOptions {
  /** Which inspections are compared (default: all of them, pooled). */
  window?: ComparisonWindow;
}

/**
 * Stage 5: council x theme summaries, counting each finding once per council and inspection, over
 * the inspections of the comparison window. Inspections, duplicates and the complete document and
 * sentence lists are kept for every document (`all`), so the CSVs can list everything with its place
 * in or out of the window.
 */
export function aggregate(documents: AnalysedDocument[], codebook: Codebook, opts: AggregateOptions = {}): Aggregates {
  const allDocs = [...documents].sort((a, b) => cmp(a.id, b.id));
  const councilOf: Record<string, string> = {};
  for (const d of allDocs) councilOf[d.id] = councilName(d);
  const inspections = assignInspections(allDocs);
  const inspectionOf: Record<string, string> = {};
  for (const d of allDocs) inspectionOf[d.id] = inspections.get(d.id) ?? d.id;
  const allDuplicates = findDuplicates(allDocs, inspections);
  const duplicateOf: Record<string, string> = {};
  for (const dup of allDuplicates) duplicateOf[dup.sentenceId] = dup.duplicateOf;
  const records = inspectionRecords(allDocs, inspectionOf, councilOf, duplicateOf);
  const window = opts.window ?? ALL_INSPECTIONS;
  const selected = selectInspections(records, window);
  const inWindow: Record<string, boolean> = {};
  for (const d of allDocs) inWindow[d.id] = selected.has(inspectionOf[d.id]!);
  const docs = allDocs.filter((d) => inWindow[d.id]);
  const findings = docs.flatMap((d) => [...d.findings].sort((a, b) => a.index - b.index));
  const duplicates = allDuplicates.filter((x) => inWindow[x.doc]);

  const councils = [...new Set(docs.map(councilName))].sort(cmp);
  const themes = codebook.themes.map((t) => t.id);
  const counted = findings.filter((f) => !(f.id in duplicateOf));
  const byCouncil = new Map<string, DocumentFinding[]>(councils.map((c) => [c, []]));
  for (const f of counted) byCouncil.get(councilOf[f.doc])!.push(f);

  const councilInfo: CouncilInfo[] = councils.map((council) => {
    const mine = docs.filter((d) => councilName(d) === council);
    const first = (get: (d: AnalysedDocument) => string) => mine.map(get).find((v) => v.trim() !== '') ?? '';
    return {
      council,
      onsCode: first((d) => d.meta.onsCode),
      region: first((d) => d.meta.region),
      documents: mine.map((d) => d.id),
      sentences: mine.reduce((n, d) => n + d.findings.length, 0),
      evaluative: byCouncil.get(council)!.filter((f) => f.code !== 'N').length,
      duplicates: duplicates.filter((x) => x.council === council).length,
    };
  });
  const infoOf = new Map(councilInfo.map((c) => [c.council, c]));

  const councilThemes: CouncilSummary[] = [];
  for (const council of councils) {
    const evaluativeFindings = byCouncil.get(council)!.filter((f) => f.code !== 'N');
    const info = infoOf.get(council)!;
    for (const theme of themes) {
      const hits = evaluativeFindings.filter((f) => f.themes.some((h) => h.theme === theme));
      const s = hits.filter((f) => f.code === 'S').length;
      const i = hits.filter((f) => f.code === 'I').length;
      const m = hits.filter((f) => f.code === 'M').length;
      const n = s + i + m;
      const interval = wilson(i + m, n);
      councilThemes.push({
        council,
        onsCode: info.onsCode,
        theme,
        strengths: s,
        improvements: i,
        mixed: m,
        evaluative: info.evaluative,
        themeEvaluative: n,
        improvementShare: n ? (i + m) / n : null,
        improvementLow: interval?.low ?? null,
        improvementHigh: interval?.high ?? null,
        netBalance: n ? (s - i) / n : null,
        documents: [...new Set(hits.map((f) => f.doc))].sort(cmp),
        sentenceIds: hits.map((f) => f.id),
      });
    }
  }
  const all = {
    documents: allDocs,
    findings: allDocs.flatMap((d) => [...d.findings].sort((a, b) => a.index - b.index)),
    duplicates: allDuplicates,
  };
  const cells = inspectionThemeCells(all.findings, inspectionOf, duplicateOf);
  const changes = changesOverTime(records, cells, themes);
  const trends = nationalTrends(records, cells, themes);
  const groups = groupComparisons(records.filter((r) => selected.has(r.id)), cells, themes);
  const window_: WindowInfo = { ...window, key: windowKey(window), label: describeWindow(window), inspections: selected.size, documents: docs.length };
  return { documents: docs, findings, councils, themes, councilThemes, councilInfo, councilOf, inspectionOf, inspections: records, inWindow, window: window_, inspectionCells: cells, changes, trends, groups, all, duplicates, duplicateOf };
}
