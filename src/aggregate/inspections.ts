/**
 * Inspections as records: every document belongs to an inspection event (src/aggregate/dedupe.ts
 * assigns them), and each event is described by its lead document (the Ofsted report of it,
 * else its first document): council, kind, framework, dates on site, publication date and
 * grades, with the counts of its sentences (each repeated finding counted once).
 */
import type { AnalysedDocument, Grade } from '../types.js';
import { inspectionKindOf, OFSTED_DOCUMENT_TYPES, type Framework, type InspectionKind } from '../vocab/documents.js';

export interface InspectionRecord {
  /** The inspection id (the lead document's id, or `manifest:<name>`). */
  id: string;
  council: string;
  onsCode: string;
  region: string;
  kind: InspectionKind;
  framework: Framework | '';
  inspectionStart: string;
  inspectionEnd: string;
  published: string;
  overallGrade: Grade | '';
  areaGrades: Record<string, Grade>;
  /** Its documents, the lead one first, then by id. */
  documents: string[];
  sentences: number;
  strengths: number;
  improvements: number;
  mixed: number;
  neutral: number;
  /** Sentences not counted because they repeat a finding of the same inspection. */
  duplicates: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const DAY_MS = 86_400_000;

/** Days on site, counting both ends (undefined without both dates). */
export function daysOnSite(start: string, end: string): number | undefined {
  if (!start || !end) return undefined;
  const d = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS;
  return Number.isFinite(d) && d >= 0 ? d + 1 : undefined;
}

/** Rank of a document as the one that describes its inspection: a full inspection report, another Ofsted document, anything else. */
const leadRank = (d: AnalysedDocument) => (d.meta.documentType === 'full_inspection' ? 0 : OFSTED_DOCUMENT_TYPES.has(d.meta.documentType) ? 1 : 2);

/** One record per inspection, sorted by council, then date on site (or publication), then id. */
export function inspectionRecords(
  documents: readonly AnalysedDocument[],
  inspectionOf: Readonly<Record<string, string>>,
  councilOf: Readonly<Record<string, string>>,
  duplicateOf: Readonly<Record<string, string>>,
): InspectionRecord[] {
  const groups = new Map<string, AnalysedDocument[]>();
  for (const d of documents) {
    const id = inspectionOf[d.id] ?? d.id;
    if (!groups.has(id)) groups.set(id, []);
    groups.get(id)!.push(d);
  }
  const out: InspectionRecord[] = [];
  for (const [id, docs] of groups) {
    docs.sort((a, b) => leadRank(a) - leadRank(b) || cmp(a.meta.date, b.meta.date) || cmp(a.id, b.id));
    const lead = docs[0]!;
    const m = lead.meta;
    const first = (get: (d: AnalysedDocument) => string) => docs.map(get).find((v) => v !== '') ?? '';
    const count = { sentences: 0, S: 0, I: 0, M: 0, N: 0, duplicates: 0 };
    for (const d of docs) {
      for (const f of d.findings) {
        count.sentences++;
        if (f.id in duplicateOf) count.duplicates++;
        else count[f.code]++;
      }
    }
    out.push({
      id,
      council: councilOf[lead.id] ?? m.council,
      onsCode: first((d) => d.meta.onsCode),
      region: first((d) => d.meta.region),
      kind: inspectionKindOf(m.documentType, m.framework || undefined, daysOnSite(m.inspectionStart, m.inspectionEnd)),
      framework: m.framework,
      inspectionStart: m.inspectionStart,
      inspectionEnd: m.inspectionEnd,
      published: m.published || m.date,
      overallGrade: m.grades.overall ?? '',
      areaGrades: m.grades.areas,
      documents: [lead.id, ...docs.slice(1).map((d) => d.id).sort(cmp)],
      sentences: count.sentences,
      strengths: count.S,
      improvements: count.I,
      mixed: count.M,
      neutral: count.N,
      duplicates: count.duplicates,
    });
  }
  const when = (r: InspectionRecord) => r.inspectionStart || r.published;
  return out.sort((a, b) => cmp(a.council, b.council) || cmp(when(a), when(b)) || cmp(a.id, b.id));
}
