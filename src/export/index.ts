import { join } from 'node:path';
import type { Aggregates } from '../aggregate/index.js';
import { benchmark as computeBenchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import type { EmergingTerm } from '../aggregate/emerging.js';
import { writeFileAtomic } from '../util/fs.js';
import { csvChunks, fixed, toCsv, type Cell } from './csv.js';

export { safeCell, toCsv, csvChunks, fixed } from './csv.js';

export const SENTENCE_COLUMNS = ['doc', 'council', 'ons_code', 'date', 'document_type', 'section', 'page', 'block', 'char_start', 'char_end', 'sentence_id', 'text', 'label', 'confidence', 'themes', 'evidence', 'theme_evidence', 'inspection', 'duplicate_of', 'is_focus', 'in_window'] as const;
/** One row per sentence x theme (the long form of sentences.csv's `themes`, for pivots in Power BI, Excel or NVivo datasets). */
export const SENTENCE_THEME_COLUMNS = ['sentence_id', 'doc', 'council', 'ons_code', 'date', 'inspection', 'page', 'label', 'theme', 'theme_name', 'category', 'category_name', 'terms', 'duplicate_of', 'is_focus', 'in_window'] as const;
export const DOCUMENT_COLUMNS = ['doc', 'council', 'ons_code', 'region', 'date', 'document_type', 'format', 'pages', 'inspection', 'overall_grade', 'grades', 'sentences', 'strength', 'improvement', 'mixed', 'neutral', 'evaluative', 'duplicates', 'is_focus', 'framework', 'published', 'inspection_start', 'inspection_end', 'in_window'] as const;
export const INSPECTION_COLUMNS = ['inspection', 'council', 'ons_code', 'region', 'kind', 'framework', 'inspection_start', 'inspection_end', 'published', 'overall_grade', 'grades', 'documents', 'document_ids', 'sentences', 'strength', 'improvement', 'mixed', 'neutral', 'evaluative', 'duplicates', 'is_focus', 'in_window'] as const;
export const COUNCIL_THEME_COLUMNS = ['council', 'ons_code', 'theme', 'theme_name', 'strengths', 'improvements', 'mixed', 'theme_evaluative', 'council_evaluative', 'improvement_share', 'net_balance', 'strength_rate', 'improvement_rate', 'theme_rate', 'documents', 'document_ids', 'is_focus', 'is_peer', 'window', 'improvement_share_low', 'improvement_share_high', 'low_count'] as const;
export const BENCHMARK_COLUMNS = ['theme', 'theme_name', 'council', 'ons_code', 'theme_evaluative', 'improvement_share', 'rank', 'councils_ranked', 'median_all', 'diff_from_median', 'peers_in_corpus', 'peers_with_data', 'peer_median', 'diff_from_peer_median', 'is_focus', 'is_peer', 'window', 'improvement_share_low', 'improvement_share_high', 'low_count', 'vs_median', 'vs_peers'] as const;
export const CHANGE_COLUMNS = ['council', 'ons_code', 'theme', 'theme_name', 'previous_inspection', 'previous_date', 'previous_kind', 'inspection', 'date', 'kind', 'previous_findings', 'previous_share', 'findings', 'share', 'change', 'change_low', 'change_high', 'direction', 'previous_sentence_ids', 'sentence_ids', 'is_focus'] as const;
export const TREND_COLUMNS = ['by', 'group', 'theme', 'theme_name', 'inspections', 'inspections_raising', 'raised_share', 'findings', 'improvements', 'improvement_share', 'improvement_share_low', 'improvement_share_high'] as const;
export const GROUP_COLUMNS = ['by', 'group', 'theme', 'theme_name', 'inspections', 'findings', 'improvements', 'improvement_share', 'improvement_share_low', 'improvement_share_high', 'window'] as const;
export const EMERGING_COLUMNS = ['scope', 'window', 'council', 'term', 'words', 'score', 'log_ratio', 'sentences', 'councils', 'recent_inspections', 'recent_total', 'recent_share', 'earlier_inspections', 'earlier_total', 'earlier_share', 'change_low', 'change_high', 'recent_from', 'first_year', 'example_text', 'examples'] as const;
export const DUPLICATE_COLUMNS = ['council', 'inspection', 'sentence_id', 'doc', 'duplicate_of', 'duplicate_of_doc', 'label', 'text'] as const;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const diff = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

export interface CsvTables {
  'sentences.csv': string;
  'sentence_themes.csv': string;
  'documents.csv': string;
  'inspections.csv': string;
  'council_themes.csv': string;
  'changes.csv': string;
  'trends.csv': string;
  'groups.csv': string;
  'benchmark.csv': string;
  'duplicates.csv': string;
  'emerging_terms.csv': string;
}

/** A CSV export: its columns and its rows, produced on demand (large tables are streamed). */
export interface CsvTable {
  columns: readonly string[];
  rows: () => Iterable<Cell[]>;
}

/** Build every CSV export as text (pure; no I/O). */
export function buildCsvs(agg: Aggregates, codebook: Codebook, bench: Benchmark, emerging: EmergingTerm[] = []): CsvTables {
  const tables = csvTables(agg, codebook, bench, emerging);
  return Object.fromEntries(Object.entries(tables).map(([name, t]) => [name, toCsv(t.columns, t.rows())])) as unknown as CsvTables;
}

/** Area grades as `area=grade;...`, areas sorted. */
function gradeList(areas: Readonly<Record<string, string>>): string {
  return Object.entries(areas)
    .sort(([a], [b]) => cmp(a, b))
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
}

/** Every CSV export as columns and lazily produced rows, in the order the files are written. */
export function csvTables(agg: Aggregates, codebook: Codebook, bench: Benchmark, emerging: EmergingTerm[] = []): Record<keyof CsvTables, CsvTable> {
  const metaOf = new Map(agg.all.documents.map((d) => [d.id, d.meta]));
  const windowKey = agg.window.key;
  const themeName = new Map(codebook.themes.map((t) => [t.id, t.name]));
  const focus = bench.focus;
  const peers = new Set(bench.focusPeers);
  const dupCount = new Map<string, number>();
  for (const d of agg.all.duplicates) dupCount.set(d.doc, (dupCount.get(d.doc) ?? 0) + 1);

  const sentences: CsvTable = {
    columns: SENTENCE_COLUMNS,
    rows: () => mapRows(agg.all.findings, (f) => {
      const m = metaOf.get(f.doc)!;
      const council = agg.councilOf[f.doc];
      return [
        f.doc,
        council,
        m.onsCode,
        m.date,
        m.documentType,
        f.sectionPath.join(' > '),
        f.page,
        f.block,
        f.start,
        f.end,
        f.id,
        f.text,
        f.label,
        fixed(f.confidence, 3),
        f.themes.map((t) => t.theme).join(';'),
        f.evidence.map((e) => `${e.kind}:${e.value}->${e.points}`).join('; '),
        f.themes.map((t) => `${t.theme}: ${t.terms.join('|')}`).join('; '),
        agg.inspectionOf[f.doc],
        agg.duplicateOf[f.id] ?? '',
        council === focus,
        agg.inWindow[f.doc] ?? false,
      ] satisfies Cell[];
    }),
  };

  const categoryOf = new Map(codebook.themes.map((t) => [t.id, t.category]));
  const categoryName = new Map(codebook.categories.map((c) => [c.id, c.name]));
  const sentenceThemes: CsvTable = {
    columns: SENTENCE_THEME_COLUMNS,
    rows: function* () {
      for (const f of agg.all.findings) {
        if (!f.themes.length) continue;
        const m = metaOf.get(f.doc)!;
        const council = agg.councilOf[f.doc];
        for (const t of f.themes) {
          const category = categoryOf.get(t.theme) ?? '';
          yield [f.id, f.doc, council, m.onsCode, m.date, agg.inspectionOf[f.doc], f.page, f.label, t.theme, themeName.get(t.theme) ?? t.theme, category, categoryName.get(category) ?? category, t.terms.join('|'), agg.duplicateOf[f.id] ?? '', council === focus, agg.inWindow[f.doc] ?? false] satisfies Cell[];
        }
      }
    },
  };

  const documents: CsvTable = {
    columns: DOCUMENT_COLUMNS,
    rows: () => agg.all.documents.map((d) => {
      const c = (code: string) => d.findings.filter((f) => f.code === code).length;
      const grades = gradeList(d.meta.grades?.areas ?? {});
      const m = d.meta;
      return [d.id, agg.councilOf[d.id], m.onsCode, m.region, m.date, m.documentType, d.format, d.pageCount, agg.inspectionOf[d.id], m.grades?.overall ?? '', grades, d.findings.length, c('S'), c('I'), c('M'), c('N'), d.findings.length - c('N'), dupCount.get(d.id) ?? 0, agg.councilOf[d.id] === focus, m.framework, m.published, m.inspectionStart, m.inspectionEnd, agg.inWindow[d.id] ?? false] satisfies Cell[];
    }),
  };

  const inspections: CsvTable = {
    columns: INSPECTION_COLUMNS,
    rows: () => agg.inspections.map((r) => [
      r.id,
      r.council,
      r.onsCode,
      r.region,
      r.kind,
      r.framework,
      r.inspectionStart,
      r.inspectionEnd,
      r.published,
      r.overallGrade,
      gradeList(r.areaGrades),
      r.documents.length,
      r.documents.join(';'),
      r.sentences,
      r.strengths,
      r.improvements,
      r.mixed,
      r.neutral,
      r.strengths + r.improvements + r.mixed,
      r.duplicates,
      r.council === focus,
      agg.inWindow[r.documents[0]!] ?? false,
    ] satisfies Cell[]),
  };

  const rate = (k: number, n: number) => (n ? k / n : null);
  const councilThemes: CsvTable = {
    columns: COUNCIL_THEME_COLUMNS,
    rows: () => agg.councilThemes.map((r) => [
      r.council,
      r.onsCode,
      r.theme,
      themeName.get(r.theme) ?? r.theme,
      r.strengths,
      r.improvements,
      r.mixed,
      r.themeEvaluative,
      r.evaluative,
      fixed(r.improvementShare),
      fixed(r.netBalance),
      fixed(rate(r.strengths, r.evaluative)),
      fixed(rate(r.improvements + r.mixed, r.evaluative)),
      fixed(rate(r.themeEvaluative, r.evaluative)),
      r.documents.length,
      r.documents.join(';'),
      r.council === focus,
      peers.has(r.council),
      windowKey,
      fixed(r.improvementLow),
      fixed(r.improvementHigh),
      r.themeEvaluative < bench.minFindings,
    ] satisfies Cell[]),
  };

  const benchmarkCsv: CsvTable = {
    columns: BENCHMARK_COLUMNS,
    rows: () => bench.rows.map((r) => [
      r.theme,
      themeName.get(r.theme) ?? r.theme,
      r.council,
      r.onsCode,
      r.themeEvaluative,
      fixed(r.improvementShare),
      r.rank,
      r.councilsRanked,
      fixed(r.medianAll),
      fixed(diff(r.improvementShare, r.medianAll)),
      bench.peersSource ? (bench.neighbours[r.council]?.length ?? 0) : null,
      bench.peersSource ? r.peersWithData : null,
      fixed(r.peerMedian),
      fixed(diff(r.improvementShare, r.peerMedian)),
      r.isFocus,
      r.isPeer,
      windowKey,
      fixed(r.improvementLow),
      fixed(r.improvementHigh),
      r.lowCount,
      r.vsMedian,
      r.vsPeers,
    ] satisfies Cell[]),
  };

  const changes: CsvTable = {
    columns: CHANGE_COLUMNS,
    rows: () => mapRows(agg.changes, (r) => [
      r.council,
      r.onsCode,
      r.theme,
      themeName.get(r.theme) ?? r.theme,
      r.previous,
      r.previousDate,
      r.previousKind,
      r.current,
      r.currentDate,
      r.currentKind,
      r.previousFindings,
      fixed(r.previousShare),
      r.currentFindings,
      fixed(r.currentShare),
      fixed(r.change),
      fixed(r.changeLow),
      fixed(r.changeHigh),
      r.direction,
      r.previousSentences.join(';'),
      r.currentSentences.join(';'),
      r.council === focus,
    ] satisfies Cell[]),
  };

  const trends: CsvTable = {
    columns: TREND_COLUMNS,
    rows: () => agg.trends.map((r) => [
      r.by,
      r.group,
      r.theme,
      themeName.get(r.theme) ?? r.theme,
      r.inspections,
      r.raising,
      fixed(r.inspections ? r.raising / r.inspections : null),
      r.findings,
      r.improvements,
      fixed(r.improvementShare),
      fixed(r.improvementLow),
      fixed(r.improvementHigh),
    ] satisfies Cell[]),
  };

  const groups: CsvTable = {
    columns: GROUP_COLUMNS,
    rows: () => agg.groups.map((r) => [r.by, r.group, r.theme, themeName.get(r.theme) ?? r.theme, r.inspections, r.findings, r.improvements, fixed(r.share), fixed(r.low), fixed(r.high), windowKey] satisfies Cell[]),
  };

  const duplicates: CsvTable = {
    columns: DUPLICATE_COLUMNS,
    rows: () => mapRows(agg.all.duplicates, (d) => [d.council, d.inspection, d.sentenceId, d.doc, d.duplicateOf, d.duplicateOfDoc, d.label, d.text] satisfies Cell[]),
  };

  // Rising phrases look at every inspection; a council's phrases at the window (emergingTerms returns them sorted).
  const emergingCsv: CsvTable = { columns: EMERGING_COLUMNS, rows: () => emergingRows(emerging, windowKey) };

  return {
    'sentences.csv': sentences,
    'sentence_themes.csv': sentenceThemes,
    'documents.csv': documents,
    'inspections.csv': inspections,
    'council_themes.csv': councilThemes,
    'changes.csv': changes,
    'trends.csv': trends,
    'groups.csv': groups,
    'benchmark.csv': benchmarkCsv,
    'duplicates.csv': duplicates,
    'emerging_terms.csv': emergingCsv,
  };
}

/** Rows of emerging_terms.csv matching EMERGING_COLUMNS: rising phrases (window `all`), then each council's (the run's window). */
export function emergingRows(terms: readonly EmergingTerm[], windowKey: string): Cell[][] {
  const share = (x?: { inspections: number; of: number }) => (x ? fixed(x.inspections / x.of) : null);
  return terms.map((t) => [
    t.scope,
    t.scope === 'rising' ? 'all' : windowKey,
    t.council,
    t.term,
    t.term.split(' ').length,
    t.score.toFixed(2),
    t.logRatio.toFixed(2),
    t.sentences,
    t.councils,
    t.recent?.inspections ?? null,
    t.recent?.of ?? null,
    share(t.recent),
    t.earlier?.inspections ?? null,
    t.earlier?.of ?? null,
    share(t.earlier),
    fixed(t.change?.low ?? null),
    fixed(t.change?.high ?? null),
    t.recent?.from ?? null,
    t.firstYear ?? null,
    t.exampleText,
    t.examples.join(';'),
  ]);
}

/** Rows made one at a time from a list (the list of a large table is not copied whole). */
function* mapRows<T>(items: readonly T[], row: (item: T) => Cell[]): Generator<Cell[]> {
  for (const item of items) yield row(item);
}

/** Stage 6a: write the tidy CSV exports (streamed in pieces, each file atomically); returns the file names written. */
export async function writeCsvs(agg: Aggregates, codebook: Codebook, outDir: string, bench: Benchmark = computeBenchmark(agg), emerging: EmergingTerm[] = []): Promise<string[]> {
  const tables = csvTables(agg, codebook, bench, emerging);
  const names = Object.keys(tables) as (keyof CsvTables)[];
  for (const name of names) await writeFileAtomic(join(outDir, name), csvChunks(tables[name].columns, tables[name].rows()));
  return names;
}
