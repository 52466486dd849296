/**
 * inspection-themes.xlsx read back twice, by the library that wrote it (ExcelJS) and by Python's
 * openpyxl (Debian's python3-openpyxl): sheet names, frozen headers, filters, typed cells that
 * agree with the CSVs of the same run, the colour scale, the focus and peer highlights, and no
 * formula anywhere, even for text that starts with "=".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { aggregate } from '../src/aggregate/index.js';
import { benchmark } from '../src/aggregate/benchmark.js';
import { parsePeers } from '../src/aggregate/peers.js';
import { safeCell } from '../src/export/csv.js';
import { xlsxBytes, XLSX_SHEETS } from '../src/export/xlsx.js';
import { loadCodebook } from '../src/theme/codebook.js';
import type { AnalysedDocument, DocumentMeta, LabelCode } from '../src/types.js';
import { analysedDoc, themed } from './helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const LA_LOOKUP = resolve('../shared/reference/la_lookup.csv');
const PYTHON = '/usr/bin/python3';
const codebook = loadCodebook(resolve('codebook/codebook.json'));
type Row = Record<string, string>;
const readCsv = (p: string) => Papa.parse<Row>(readFileSync(p, 'utf8'), { header: true, skipEmptyLines: true }).data;

/** The sheet names analysts find, in order (README, "inspection-themes.xlsx"). */
const SHEETS = ['Council x theme', 'Benchmark', 'Changes', 'Trends', 'Inspections', 'Documents', 'Notes'];
const DATE_COLUMNS = new Set(['date', 'inspection_start', 'inspection_end', 'published', 'previous_date']);

/** What openpyxl sees in a workbook: per sheet, its view, filter, formats and every cell as [type, value, fill, bold]. */
const OPENPYXL = String.raw`
import json, sys, datetime
from openpyxl import load_workbook
wb = load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "detail": {}}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        cells = []
        for c in row:
            v = c.value
            if isinstance(v, (datetime.datetime, datetime.date)):
                v = v.isoformat()[:10]
            fill = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
            cells.append([c.data_type, v, fill, bool(c.font is not None and c.font.b)])
        rows.append(cells)
    cf = [[str(r.sqref), [rule.type for rule in r.rules]] for r in ws.conditional_formatting]
    out["detail"][ws.title] = {"freeze": ws.freeze_panes, "filter": ws.auto_filter.ref, "rows": rows, "cf": cf}
json.dump(out, sys.stdout)
`;

interface PyCell extends Array<unknown> {
  0: string;
  1: unknown;
  2: string | null;
  3: boolean;
}
interface PySheet {
  freeze: string | null;
  filter: string | null;
  rows: PyCell[][];
  cf: [string, string[]][];
}
const openpyxl = (path: string): { sheets: string[]; detail: Record<string, PySheet> } => JSON.parse(execFileSync(PYTHON, ['-c', OPENPYXL, path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));

describe('inspection-themes.xlsx of the default corpus', () => {
  let out: string;
  let py: ReturnType<typeof openpyxl>;
  const wb = new ExcelJS.Workbook();

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'it-xlsx-'));
    execFileSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--no-cache', '--quiet', '--focus', 'Hampshire', '--peers', LA_LOOKUP]);
    await wb.xlsx.readFile(join(out, 'inspection-themes.xlsx'));
    py = openpyxl(join(out, 'inspection-themes.xlsx'));
  });

  it('has the sheets in order, each with a frozen header row and a filter over its rows (ExcelJS and openpyxl)', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual(SHEETS);
    expect(py.sheets).toEqual(SHEETS);
    for (const name of SHEETS) {
      const ws = wb.getWorksheet(name)!;
      expect(ws.views[0], name).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(py.detail[name]!.freeze, name).toBe('A2');
      expect(py.detail[name]!.filter, name).toMatch(new RegExp(`^A1:[A-Z]+${ws.rowCount}$`));
      expect(py.detail[name]!.rows[0]!.every((c) => c[3]), `${name} header is bold`).toBe(true);
    }
  });

  it('holds the same rows as the CSVs, typed: numbers as numbers, dates as dates, flags as booleans, text as text', () => {
    let dates = 0;
    let numbers = 0;
    let flags = 0;
    for (const s of XLSX_SHEETS) {
      const csv = Papa.parse<string[]>(readFileSync(join(out, s.table), 'utf8'), { skipEmptyLines: true }).data;
      const rows = py.detail[s.name]!.rows;
      expect(rows.map((r) => r[0]![1]).length, s.name).toBe(csv.length);
      const header = csv[0]!;
      expect(rows[0]!.map((c) => c[1])).toEqual(header);
      for (let i = 1; i < csv.length; i++) {
        header.forEach((col, k) => {
          const want = csv[i]![k]!;
          const [type, value] = rows[i]![k] ?? ['n', null];
          const where = `${s.name} row ${i + 1} ${col}`;
          if (want === '') return expect(value, where).toBeNull();
          if (DATE_COLUMNS.has(col) && /^\d{4}-\d{2}-\d{2}$/.test(want)) {
            dates++;
            expect([type, value], where).toEqual(['d', want]);
          } else if (want === 'true' || want === 'false') {
            flags++;
            expect([type, value], where).toEqual(['b', want === 'true']);
          } else if (/^-?\d+(\.\d+)?$/.test(want) && !/^0\d/.test(want)) {
            numbers++;
            expect(type, where).toBe('n');
            expect(value, where).toBe(Number(want));
          } else {
            expect(type, where).toBe('s');
            expect(safeCell(String(value)), where).toBe(want);
          }
        });
      }
    }
    expect(dates).toBeGreaterThanOrEqual(5);
    expect(Math.min(numbers, flags)).toBeGreaterThan(100);
  });

  it('gives known cells of the default corpus: a document row and a council x theme row, as typed values', () => {
    const docs = readCsv(join(out, 'documents.csv'));
    const letter = docs.find((d) => d.document_type === 'ofsted_letter')!;
    const ws = wb.getWorksheet('Documents')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const at = (col: string) => header.indexOf(col) + 1;
    const row = [...Array(ws.rowCount).keys()].map((i) => ws.getRow(i + 1)).find((r) => r.getCell(at('doc')).value === letter.doc)!;
    expect(row.getCell(at('council')).value).toBe('Hampshire');
    expect(row.getCell(at('date')).value).toEqual(new Date(`${letter.date}T00:00:00Z`));
    expect(row.getCell(at('date')).numFmt).toBe('yyyy-mm-dd');
    expect(row.getCell(at('sentences')).value).toBe(Number(letter.sentences));
    expect(row.getCell(at('is_focus')).value).toBe(true);

    const ct = readCsv(join(out, 'council_themes.csv'));
    const busiest = [...ct].sort((a, b) => Number(b.theme_evaluative) - Number(a.theme_evaluative) || (a.council! + a.theme < b.council! + b.theme ? -1 : 1))[0]!;
    const sheet = wb.getWorksheet('Council x theme')!;
    const h = (sheet.getRow(1).values as unknown[]).slice(1);
    const r = [...Array(sheet.rowCount).keys()].map((i) => sheet.getRow(i + 1)).find((x) => x.getCell(h.indexOf('council') + 1).value === busiest.council && x.getCell(h.indexOf('theme') + 1).value === busiest.theme)!;
    expect(r.getCell(h.indexOf('theme_evaluative') + 1).value).toBe(Number(busiest.theme_evaluative));
    expect(r.getCell(h.indexOf('improvement_share') + 1).value).toBeCloseTo(Number(busiest.improvement_share), 4);
    expect(r.getCell(h.indexOf('low_count') + 1).value).toBe(busiest.low_count === 'true');
  });

  it('colours the improvement share on a scale, highlights the focus council, and explains each figure on the notes sheet', () => {
    const sheet = py.detail['Council x theme']!;
    const header = sheet.rows[0]!.map((c) => c[1]);
    const col = String.fromCharCode(65 + header.indexOf('improvement_share'));
    expect(sheet.cf).toContainEqual([`${col}2:${col}${sheet.rows.length}`, ['colorScale']]);
    const councilAt = header.indexOf('council');
    for (const r of sheet.rows.slice(1)) {
      const focus = r[councilAt]![1] === 'Hampshire';
      expect(r.every((c) => c[3] === focus), `${r[councilAt]![1]} bold`).toBe(true);
      expect(r[0]![2], `${r[councilAt]![1]} fill`).toBe(focus ? 'FFFFF2CC' : null);
    }
    const notes = py.detail.Notes!.rows.map((r) => r.map((c) => c[1]));
    for (const item of ['improvement_share', 'improvement_share_low / _high', 'vs_median, vs_peers']) expect(notes.map((r) => r[0])).toContain(item);
    expect(notes.find((r) => r[0] === 'Focus council')![1]).toBe('Hampshire');
  });
});

describe('inspection-themes.xlsx of documents written for the test', () => {
  const doc = (id: string, meta: Partial<DocumentMeta>, sentences: [string, LabelCode, string[]][]): AnalysedDocument =>
    analysedDoc(id, meta, sentences.map(([text, code, themes], index) => themed(id, index, { text, code, themes })));
  const mk = (council: string, id = `${council}.txt`) =>
    doc(id, { council, documentType: 'ofsted_letter', date: '2023-01-01' }, [
      ['Care leavers are well supported by their personal advisers.', 'S', ['care_leavers']],
      ['Care leavers do not always receive timely help with housing.', 'I', ['care_leavers']],
    ]);
  const docs = [mk('Barnsley', '=HYPERLINK("http://example.invalid","click").txt'), mk('Doncaster'), mk('Rotherham'), mk('Leeds')];
  const peers = parsePeers(['la_code,local_authority_ons_name,stat_neighbours', '370,Barnsley,"371, 372"', '371,Doncaster,"370"', '372,Rotherham,"370"', '383,Leeds,"371"'].join('\n'), 'peers.csv');

  it('writes text that starts with "=" as text, never as a formula, and fills the peers light blue', async () => {
    const agg = aggregate(docs, codebook);
    const bench = benchmark(agg, { focus: 'Barnsley', peers, minFindings: 1 });
    const path = join(mkdtempSync(join(tmpdir(), 'it-xlsx-unit-')), 'w.xlsx');
    writeFileSync(path, await xlsxBytes(agg, codebook, bench));
    const py = openpyxl(path);
    const all = Object.values(py.detail).flatMap((s) => s.rows.flat());
    expect(all.filter((c) => c[0] === 'f')).toEqual([]);
    const docsSheet = py.detail.Documents!;
    const docAt = docsSheet.rows[0]!.findIndex((c) => c[1] === 'doc');
    expect(docsSheet.rows.slice(1).map((r) => r[docAt]!.slice(0, 2))).toContainEqual(['s', docs[0]!.id]);
    const bm = py.detail.Benchmark!;
    const councilAt = bm.rows[0]!.findIndex((c) => c[1] === 'council');
    const fills = new Map(bm.rows.slice(1).map((r) => [r[councilAt]![1], r[0]![2]]));
    expect(Object.fromEntries(fills)).toEqual({ Barnsley: 'FFFFF2CC', Doncaster: 'FFDDEBF7', Rotherham: 'FFDDEBF7', Leeds: null });
    // The same tables give the same bytes.
    const again = await xlsxBytes(aggregate(docs, codebook), codebook, benchmark(aggregate(docs, codebook), { focus: 'Barnsley', peers, minFindings: 1 }));
    expect(Buffer.from(again).equals(readFileSync(path))).toBe(true);
  });
});
