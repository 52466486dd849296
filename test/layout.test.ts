/**
 * Any folder layout: subfolders are read (ids = relative paths), hidden folders and the run's own
 * cache folder are not, and the sector's scrape-tool layout
 * (export_data/inspection_reports/<urn>_<council>/<kind> - <date>.pdf) gives councils, URNs, kinds
 * and publication dates. The CLI runs on a nested copy of real sample reports.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { layoutMetadata } from '../src/ingest/layout.js';
import { discoverCorpus } from '../src/ingest/discover.js';
import { withoutShared } from './helpers.js';

const SAMPLE = resolve(process.cwd(), '../shared/corpus-ofsted-sample');
const CLI = join(process.cwd(), 'dist/src/cli.js');
const readCsv = (p: string) => Papa.parse<Record<string, string>>(readFileSync(p, 'utf8'), { header: true, skipEmptyLines: true }).data;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** 2023-10-27 -> "27 October 2023", as the scrape tool names its files. */
const spelled = (iso: string) => `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;

describe('layoutMetadata', () => {
  it("reads URN and council from the folder, kind and date from the file name", () => {
    expect(layoutMetadata("export_data/inspection_reports/2532283_dorset/Children's services inspection - 19 November 2021.pdf")).toEqual({
      ofsted_urn: '2532283',
      local_authority: 'dorset',
      document_type: 'full_inspection',
      published: '2021-11-19',
    });
    expect(layoutMetadata('80458_north_east_lincolnshire/Focused visit - 3 March 2020.pdf')).toMatchObject({ local_authority: 'north east lincolnshire', document_type: 'focused_visit', published: '2020-03-03' });
    expect(layoutMetadata('80458_rutland/Joint targeted area inspection – 2019-05-01.pdf')).toMatchObject({ document_type: 'jtai', published: '2019-05-01' });
  });

  it('says nothing of files outside that layout, and no impossible dates', () => {
    expect(layoutMetadata('hampshire_2019-06-11.pdf')).toBeUndefined();
    expect(layoutMetadata('reports/hampshire/report.pdf')).toBeUndefined();
    expect(layoutMetadata('80458_rutland/Monitoring visit - 31 February 2020.pdf')).toEqual({ ofsted_urn: '80458', local_authority: 'rutland', document_type: 'monitoring_visit' });
  });
});

describe.skipIf(withoutShared(join(SAMPLE, 'manifest.csv')))("the CLI on a nested corpus in the scrape tool's layout", () => {
  const picked = ['barnsley_2023-10-27.pdf', 'bath-and-north-east-somerset_2017-07-07.pdf', 'darlington_2018-05-21.pdf'];
  let root: string;
  let out: string;
  let rows: Record<string, string>[];
  let report: { skipped: { file: string; code: string; reason: string }[]; documents: number };
  let expected: { path: string; council: string; urn: string; published: string }[];

  beforeAll(() => {
    const manifest = new Map(readCsv(join(SAMPLE, 'manifest.csv')).map((r) => [r.file!, r]));
    root = mkdtempSync(join(tmpdir(), 'it-layout-'));
    const reports = join(root, 'export_data', 'inspection_reports');
    expected = picked.map((f) => {
      const m = manifest.get(f)!;
      const folder = `${m.ofsted_urn}_${m.local_authority!.toLowerCase().replace(/[^a-z]+/g, '_')}`;
      const name = `Children's services inspection - ${spelled(m.published!)}.pdf`;
      mkdirSync(join(reports, folder), { recursive: true });
      copyFileSync(join(SAMPLE, f), join(reports, folder, name));
      return { path: `export_data/inspection_reports/${folder}/${name}`, council: m.local_authority!, urn: m.ofsted_urn!, published: m.published! };
    });
    // An HTML error page saved as .pdf, in its own council folder.
    mkdirSync(join(reports, '80480_bradford'), { recursive: true });
    writeFileSync(join(reports, '80480_bradford', 'Focused visit - 1 May 2020.pdf'), '<!DOCTYPE html>\n<html><head><title>Page not found</title></head><body>Sorry</body></html>\n');
    // Hidden folders are not documents.
    mkdirSync(join(root, '.git', 'objects'), { recursive: true });
    copyFileSync(join(SAMPLE, picked[0]!), join(root, '.git', 'objects', 'pack.pdf'));
    out = mkdtempSync(join(tmpdir(), 'it-layout-out-'));
    // The cache folder inside the corpus tree (not hidden) is never read as part of the corpus.
    const r = spawnSync(process.execPath, [CLI, 'run', root, '--out', out, '--quiet', '--cache-dir', join(root, 'cache')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(3);
    rows = readCsv(join(out, 'documents.csv'));
    report = JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8'));
  }, 180_000);

  it('reads every report in the subfolders, with its relative path as its id', () => {
    expect(rows.map((r) => r.doc)).toEqual(expected.map((e) => e.path).sort());
  });

  it('takes council, URN, kind and publication date from the folder and file names', () => {
    for (const e of expected) {
      const r = rows.find((x) => x.doc === e.path)!;
      expect(r.council).toBe(e.council);
      expect(r.published).toBe(e.published);
      expect(r.date).toBe(e.published);
      expect(r.document_type).toBe('full_inspection');
    }
    const sentences = readCsv(join(out, 'sentences.csv'));
    expect(new Set(sentences.map((s) => s.doc))).toEqual(new Set(expected.map((e) => e.path)));
  });

  it('reports the HTML page named .pdf as such, and reads nothing from hidden or cache folders', () => {
    expect(report.skipped).toEqual([
      { file: 'export_data/inspection_reports/80480_bradford/Focused visit - 1 May 2020.pdf', code: 'wrong_format', reason: expect.stringMatching(/^an HTML page saved as \.pdf, not a PDF \(its title: "Page not found"\)/) },
    ]);
    expect(rows.some((r) => r.doc!.startsWith('.git') || r.doc!.startsWith('cache'))).toBe(false);
  });

  it("leaves the run's cache folder out of the listing (it would be listed otherwise)", async () => {
    const listing = await discoverCorpus(root, { exclude: [join(root, 'cache')] });
    expect(listing.files.map((f) => f.file)).toEqual([...expected.map((e) => e.path), 'export_data/inspection_reports/80480_bradford/Focused visit - 1 May 2020.pdf'].sort());
    expect(listing.unsupported).toEqual([]);
    const unexcluded = await discoverCorpus(root);
    expect(unexcluded.unsupported.length).toBeGreaterThan(0);
    for (const f of unexcluded.unsupported) expect(f.startsWith('cache/'), f).toBe(true);
  });
});
