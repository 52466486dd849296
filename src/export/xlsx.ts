/**
 * `inspection-themes.xlsx`: the tables analysts benchmark with, as one Excel workbook (ExcelJS):
 * council × theme, benchmark, changes, trends, inspections and documents, each a sheet built from
 * the same rows as its CSV, plus a notes sheet saying how each figure is computed.
 *
 * - Cells are typed: counts and shares are numbers, dates are dates (shown yyyy-mm-dd), flags are
 *   booleans, text is text. A text cell is always written as a string, never as a formula, so a
 *   sentence starting with "=" cannot run in Excel (the CSVs prefix such cells with ' instead).
 * - Each sheet has a frozen header row and a filter; shares get a colour scale (green low, red
 *   high improvement share); the focus council's rows are bold on yellow, its statistical
 *   neighbours' on light blue.
 * - Deterministic: the workbook's dates are the corpus's newest document date, and the zip is
 *   re-packed with fixed entry time stamps (ExcelJS stamps entries with the clock).
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import type { Aggregates } from '../aggregate/index.js';
import type { Benchmark } from '../aggregate/benchmark.js';
import type { EmergingTerm } from '../aggregate/emerging.js';
import type { Codebook } from '../theme/codebook.js';
import { writeFileAtomic } from '../util/fs.js';
import { Fixed, type Cell } from './csv.js';
import { csvTables, type CsvTables } from './index.js';
import { TOOL_NAME, VERSION } from '../version.js';
import { zipFiles } from './zip-entry.js';

export const XLSX_FILE = 'inspection-themes.xlsx';

/** Sheets in workbook order: name, the CSV whose rows it holds, what it is. */
export const XLSX_SHEETS = [
  { name: 'Council x theme', table: 'council_themes.csv', about: 'One row per council and theme in the comparison window: counts, improvement share with its 95% Wilson interval, rates.' },
  { name: 'Benchmark', table: 'benchmark.csv', about: "Each council's improvement share per theme against the median of all councils and of its statistical neighbours, with rank and interval-based verdicts." },
  { name: 'Changes', table: 'changes.csv', about: "Per council and theme, each inspection against the one before: shares, the change and its 95% interval, direction." },
  { name: 'Trends', table: 'trends.csv', about: 'Per theme, by year and by framework of the full inspections: inspections raising the theme and the improvement share.' },
  { name: 'Inspections', table: 'inspections.csv', about: 'One row per inspection event (the Ofsted report and the council papers about it), with grades and label counts.' },
  { name: 'Documents', table: 'documents.csv', about: 'One row per document read, with its metadata, grades and label counts.' },
] as const satisfies readonly { name: string; table: keyof CsvTables; about: string }[];

/** Columns holding dates (ISO text in the CSVs, date cells here). */
const DATE_COLUMNS = new Set(['date', 'inspection_start', 'inspection_end', 'published', 'previous_date']);
/** Columns coloured on a green (low) to red (high) scale. */
const SHARE_COLUMNS = new Set(['improvement_share', 'share', 'previous_share']);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const FOCUS_FILL = 'FFFFF2CC';
const PEER_FILL = 'FFDDEBF7';

/** How each figure is computed (the notes sheet). */
const NOTES: readonly [string, string][] = [
  ['Evaluative finding', 'A sentence labelled strength (S), area for improvement (I) or mixed (M); neutral (N) sentences are not counted. Labels come from the learned model with the rule outcomes as features (README, Accuracy); every sentence and its evidence is in sentences.csv.'],
  ['improvement_share', '(areas for improvement + mixed) / evaluative findings of the council on the theme, after de-duplication (a finding repeated in a council paper about the same inspection is counted once).'],
  ['improvement_share_low / _high', "95% Wilson score interval of the improvement share: the range the share would plausibly take with other sentences of the same kind. Cells with fewer than --min-findings (default 5) findings are marked low_count and left out of ranks and medians."],
  ['net_balance', '(strengths - areas for improvement) / evaluative findings on the theme.'],
  ['strength_rate, improvement_rate, theme_rate', "Per evaluative finding of the council across all themes: strengths, areas for improvement + mixed, and findings on the theme."],
  ['median_all, peer_median', 'Median improvement share on the theme over the councils with at least --min-findings findings; of the focus council\'s statistical neighbours in the corpus (--peers).'],
  ['vs_median, vs_peers', "higher / lower when the council's 95% interval lies wholly above / below the median; else similar (a difference inside the interval is noise)."],
  ['change, change_low / _high', 'Share at an inspection minus share at the one before, with a 95% Newcombe interval; direction deteriorated / improved only when the interval excludes 0.'],
  ['Comparison window', 'By default each council\'s latest full inspection and the visits since (--period, --framework); the window is in the window column and run_report.json.'],
  ['Colours', "Improvement shares run green (low) to red (high). The focus council's rows are yellow, its statistical neighbours' light blue."],
  ['Sentences', 'The sentences behind every figure are in sentences.csv and sentence_themes.csv (ids in changes.csv), in report.html (click a cell) and in project.qdpx for QDA software.'],
];

/** An Excel cell value from a CSV cell: Fixed numbers as numbers, ISO dates as dates (UTC midnight). */
function value(c: Cell, column: string): ExcelJS.CellValue {
  if (c === null || c === '') return null;
  if (c instanceof Fixed) return c.text === '' ? null : Number(c.text);
  if (typeof c === 'string' && DATE_COLUMNS.has(column)) {
    const m = ISO_DATE.exec(c);
    if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }
  // Strings stay strings: ExcelJS writes them as text, never as formulas.
  return c;
}

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * The workbook for a run's tables as xlsx bytes. Written with ExcelJS's streaming writer, each row
 * committed as it is made, so the workbook is never held as cell objects (the national corpus's
 * 370,000 cells took about 300 MB that way); the stored zip it writes is re-packed in entry order
 * with fixed time stamps (byte-identical for the same tables).
 */
export async function xlsxBytes(agg: Aggregates, codebook: Codebook, bench: Benchmark, emerging: EmergingTerm[] = []): Promise<Uint8Array> {
  const tables = csvTables(agg, codebook, bench, emerging);
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      parts.push(chunk);
      done();
    },
  });
  const newest = agg.all.documents.map((d) => d.meta.date).filter((d) => ISO_DATE.test(d)).sort().at(-1) ?? '2000-01-01';
  const stamp = new Date(`${newest}T00:00:00Z`);
  const creator = `${TOOL_NAME} ${VERSION}`;
  // Stored, not deflated: the entries are compressed once, when re-packed.
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: true, zip: { store: true }, created: stamp, modified: stamp, creator, lastModifiedBy: creator } as Partial<ExcelJS.stream.xlsx.WorkbookWriterOptions>);
  wb.title = 'Inspection themes';
  const peers = new Set(bench.focusPeers);
  for (const s of XLSX_SHEETS) {
    const t = tables[s.table];
    const ws = wb.addWorksheet(s.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    const cols = [...t.columns];
    ws.columns = cols.map((c) => ({ header: c, key: c, width: Math.min(40, Math.max(10, c.length + 2)), ...(DATE_COLUMNS.has(c) ? { style: { numFmt: 'yyyy-mm-dd' } } : SHARE_COLUMNS.has(c) ? { style: { numFmt: '0.000' } } : {}) }));
    const header = ws.getRow(1);
    header.font = { bold: true };
    header.commit();
    const councilAt = cols.indexOf('council');
    const focusAt = cols.indexOf('is_focus');
    const peerAt = cols.indexOf('is_peer');
    let rows = 0;
    for (const r of t.rows()) {
      const row = ws.addRow(r.map((c, k) => value(c, cols[k]!)));
      rows++;
      const isFocus = focusAt >= 0 && r[focusAt] === true;
      const isPeer = !isFocus && (peerAt >= 0 ? r[peerAt] === true : councilAt >= 0 && peers.has(String(r[councilAt])));
      if (isFocus || isPeer) {
        row.eachCell({ includeEmpty: true }, (cell) => {
          cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: isFocus ? FOCUS_FILL : PEER_FILL } };
        });
        if (isFocus) row.font = { bold: true };
      }
      row.commit();
    }
    const last = columnLetter(cols.length);
    ws.autoFilter = { from: 'A1', to: `${last}${Math.max(1, rows + 1)}` };
    if (rows) {
      cols.forEach((c, k) => {
        if (!SHARE_COLUMNS.has(c)) return;
        const col = columnLetter(k + 1);
        ws.addConditionalFormatting({
          ref: `${col}2:${col}${rows + 1}`,
          rules: [{ type: 'colorScale', priority: 1, cfvo: [{ type: 'num', value: 0 }, { type: 'num', value: 0.5 }, { type: 'num', value: 1 }], color: [{ argb: 'FF1A9850' }, { argb: 'FFFFFFBF' }, { argb: 'FFD73027' }] }],
        });
      });
    }
    ws.commit();
  }
  const notes = wb.addWorksheet('Notes', { views: [{ state: 'frozen', ySplit: 1 }] });
  notes.columns = [
    { header: 'item', key: 'item', width: 34 },
    { header: 'how it is computed', key: 'how', width: 120, style: { alignment: { wrapText: true, vertical: 'top' } } },
  ];
  notes.getRow(1).font = { bold: true };
  const noteRows: [string, string][] = [
    ...XLSX_SHEETS.map((s): [string, string] => [`Sheet "${s.name}"`, `${s.about} Same rows and columns as ${s.table}.`]),
    ...NOTES,
    ['Focus council', bench.focus ?? '(none: run with --focus <council>)'],
    ['Statistical neighbours', bench.focus ? bench.focusPeers.join('; ') || '(none in the table)' : '(none)'],
    ['Comparison window', `${agg.window.label} (${agg.window.key})`],
  ];
  for (const r of noteRows) notes.addRow(r);
  notes.autoFilter = { from: 'A1', to: `B${noteRows.length + 1}` };
  notes.commit();
  await wb.commit();
  return repack(Buffer.concat(parts));
}

/** A stored zip re-packed deflated (zip-entry.ts), in entry order with [Content_Types].xml first, as Excel expects. */
function repack(raw: Uint8Array): Promise<Uint8Array> {
  const entries = unzipSync(raw);
  const names = Object.keys(entries).sort((a, b) => (a === '[Content_Types].xml' ? -1 : b === '[Content_Types].xml' ? 1 : 0));
  return zipFiles(names.map((name) => [name, entries[name]!] as const));
}

/** Stage 6d: write inspection-themes.xlsx into outDir (atomically); returns its name. */
export async function writeXlsx(agg: Aggregates, codebook: Codebook, bench: Benchmark, outDir: string, emerging: EmergingTerm[] = []): Promise<string> {
  await writeFileAtomic(join(outDir, XLSX_FILE), await xlsxBytes(agg, codebook, bench, emerging));
  return XLSX_FILE;
}
