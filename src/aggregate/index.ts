import type { AnalysedDocument, CouncilSummary, DocumentFinding } from '../types.js';
import type { Codebook } from '../theme/codebook.js';
import { assignInspections, councilName, findDuplicates, type DuplicateFinding } from './dedupe.js';
import { inspectionRecords, type InspectionRecord } from './inspections.js';

export { assignInspections, findDuplicates, normaliseFinding, type DuplicateFinding } from './dedupe.js';
export { daysOnSite, inspectionRecords, type InspectionRecord } from './inspections.js';
export { benchmark, resolveCouncil, median, type Benchmark, type BenchmarkRow, type BenchmarkOptions } from './benchmark.js';
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

export interface Aggregates {
  documents: AnalysedDocument[];
  /** Every sentence of every document, in document then sentence order (duplicates included). */
  findings: DocumentFinding[];
  /** Council display names, sorted. */
  councils: string[];
  /** Theme ids in codebook order. */
  themes: string[];
  /** Council x theme summaries (councils sorted, themes in codebook order), counted after de-duplication. */
  councilThemes: CouncilSummary[];
  councilInfo: CouncilInfo[];
  /** Document id -> council display name ('Unknown' when the metadata gives none). */
  councilOf: Record<string, string>;
  /** Document id -> inspection id (see dedupe.ts). */
  inspectionOf: Record<string, string>;
  /** One record per inspection event (see inspections.ts). */
  inspections: InspectionRecord[];
  /** Sentences not counted, each pointing at the copy that is counted. */
  duplicates: DuplicateFinding[];
  /** Sentence id -> id of the counted copy, for duplicates only. */
  duplicateOf: Record<string, string>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Stage 5: council x theme summaries, counting each finding once per council and inspection. */
export function aggregate(documents: AnalysedDocument[], codebook: Codebook): Aggregates {
  const docs = [...documents].sort((a, b) => cmp(a.id, b.id));
  const findings = docs.flatMap((d) => [...d.findings].sort((a, b) => a.index - b.index));
  const councilOf: Record<string, string> = {};
  for (const d of docs) councilOf[d.id] = councilName(d);
  const inspections = assignInspections(docs);
  const inspectionOf: Record<string, string> = {};
  for (const d of docs) inspectionOf[d.id] = inspections.get(d.id) ?? d.id;
  const duplicates = findDuplicates(docs, inspections);
  const duplicateOf: Record<string, string> = {};
  for (const dup of duplicates) duplicateOf[dup.sentenceId] = dup.duplicateOf;

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
        netBalance: n ? (s - i) / n : null,
        documents: [...new Set(hits.map((f) => f.doc))].sort(cmp),
        sentenceIds: hits.map((f) => f.id),
      });
    }
  }
  const inspectionList = inspectionRecords(docs, inspectionOf, councilOf, duplicateOf);
  return { documents: docs, findings, councils, themes, councilThemes, councilInfo, councilOf, inspectionOf, inspections: inspectionList, duplicates, duplicateOf };
}
