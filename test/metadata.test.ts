/**
 * Metadata: council, date, document type and grades for the 40 sample PDFs and the 5 seeds,
 * checked against the manifests and against the reports' own text; the gazetteer checked
 * against the public LA lookup in ../shared/reference.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { ingest } from '../src/ingest/index.js';
import { Gazetteer } from '../src/ingest/gazetteer.js';
import { normaliseCouncilName } from '../src/vocab/councils.js';
import { buildMeta, parseDate, parseInspectionDates } from '../src/ingest/metadata.js';
import { daysOnSite } from '../src/aggregate/inspections.js';
import { inspectionKindOf } from '../src/vocab/documents.js';
import type { Grade, IngestedDocument } from '../src/types.js';

const REPO = resolve(import.meta.dirname, '..');
const SHARED = resolve(REPO, '../shared');
const SAMPLE = join(SHARED, 'corpus-ofsted-sample');
const NATIONAL = join(SHARED, 'corpus-ofsted-national');

const readCsv = (path: string) =>
  Papa.parse<Record<string, string>>(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;

/**
 * Overall effectiveness of each sample report, read by hand from its first page (judgement
 * table, "The overall judgement is ...", or the 2013 "Grade n" line) in `pdftotext -layout`.
 */
const OVERALL: Record<string, Grade> = {
  'barnsley_2023-10-27.pdf': 'good',
  'bath-and-north-east-somerset_2017-07-07.pdf': 'good',
  'blackpool_2023-02-01.pdf': 'requires_improvement',
  'bromley_2024-01-12.pdf': 'outstanding',
  'coventry_2017-06-13.pdf': 'requires_improvement',
  'croydon_2017-09-04.pdf': 'inadequate',
  'darlington_2018-05-21.pdf': 'requires_improvement',
  'doncaster_2025-03-18.pdf': 'good',
  'east-riding-of-yorkshire_2020-03-13.pdf': 'inadequate',
  'gloucestershire_2022-04-01.pdf': 'requires_improvement',
  'hammersmith-and-fulham_2019-10-15.pdf': 'good',
  'hampshire_2019-06-11.pdf': 'outstanding',
  'hertfordshire_2023-03-10.pdf': 'outstanding',
  'isle-of-wight_2014-11-19.pdf': 'requires_improvement',
  'kent_2013-08-23.pdf': 'adequate',
  'kingston-upon-hull_2019-05-17.pdf': 'inadequate',
  'leeds_2015-03-27.pdf': 'good',
  'luton_2022-09-05.pdf': 'requires_improvement',
  'middlesbrough_2023-05-25.pdf': 'requires_improvement',
  'north-east-lincolnshire_2021-11-26.pdf': 'inadequate',
  'north-tyneside_2025-01-13.pdf': 'outstanding',
  'north-yorkshire_2014-06-30.pdf': 'good',
  'nottingham_2014-05-14.pdf': 'requires_improvement',
  'nottinghamshire_2019-12-19.pdf': 'good',
  'oxfordshire_2024-04-09.pdf': 'good',
  'peterborough_2024-01-30.pdf': 'inadequate',
  'rochdale_2018-03-12.pdf': 'requires_improvement',
  'rotherham_2018-01-29.pdf': 'good',
  'rutland_2017-02-13.pdf': 'requires_improvement',
  'sandwell_2013-08-02.pdf': 'inadequate',
  'sheffield_2019-08-27.pdf': 'good',
  'slough_2019-03-04.pdf': 'requires_improvement',
  'solihull_2023-01-13.pdf': 'inadequate',
  'southampton_2023-07-28.pdf': 'good',
  'stoke-on-trent_2019-03-18.pdf': 'inadequate',
  'suffolk_2019-05-21.pdf': 'outstanding',
  'surrey_2022-03-09.pdf': 'requires_improvement',
  'westminster_2016-03-29.pdf': 'outstanding',
  'westmorland-and-furness_2024-07-12.pdf': 'good',
  'york_2022-05-04.pdf': 'requires_improvement',
};

describe('gazetteer (data/local_authorities.csv)', () => {
  const gaz = Gazetteer.load();

  it('agrees with the public LA lookup on every authority: ONS code (current or former) and region', () => {
    const rows = readCsv(join(SHARED, 'reference/la_lookup.csv'));
    expect(rows.length).toBeGreaterThan(150);
    const problems: string[] = [];
    for (const r of rows) {
      const la = gaz.lookup(r.local_authority_ons_name!);
      const codes = [r.la_code_new, r.lad23cd, r.ltla23cd].filter(Boolean) as string[];
      if (!la) problems.push(`missing: ${r.local_authority_ons_name}`);
      else if (!(codes.includes(la.onsCode) || la.formerCodes.some((c) => codes.includes(c))) || la.region !== r.region_name) {
        problems.push(`${r.local_authority_ons_name}: ${la.onsCode}/${la.region} vs ${codes.join(',')}/${r.region_name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('holds current and historic names and resolves council-style spellings', () => {
    expect(gaz.lookup('Bournemouth, Christchurch and Poole')?.onsCode).toBe('E06000058');
    expect(gaz.lookup('Cumberland Council')?.region).toBe('North West');
    expect(gaz.lookup('Westmorland & Furness')?.name).toBe('Westmorland and Furness');
    expect(gaz.lookup('Cumbria County Council')?.successors).toEqual(['Cumberland', 'Westmorland and Furness']);
    expect(gaz.lookup('Northamptonshire')?.status).toBe('abolished');
    expect(gaz.lookup('West Northamptonshire')?.onsCode).toBe('E06000062');
    expect(gaz.byOnsCode('E10000023')?.name).toBe('North Yorkshire');
    expect(gaz.lookup('London Borough of Hammersmith & Fulham')?.name).toBe('Hammersmith and Fulham');
    expect(gaz.lookup('Kingston Upon Hull City Council')?.onsCode).toBe('E06000010');
    expect(gaz.lookup('Stoke-On-Trent')?.name).toBe('Stoke-on-Trent');
    expect(normaliseCouncilName('The Royal Borough of Kensington & Chelsea')).toBe('the kensington and chelsea');
    const current = gaz.authorities.filter((a) => a.status === 'current');
    expect(current.length).toBeGreaterThanOrEqual(153);
    expect(new Set(current.map((a) => a.onsCode)).size).toBe(current.length);
  });
});

describe('metadata of the 40 sample PDFs', () => {
  const manifest = readCsv(join(SAMPLE, 'manifest.csv'));
  const withManifest = new Map<string, IngestedDocument>();
  const textOnly = new Map<string, IngestedDocument>();
  beforeAll(async () => {
    for (const row of manifest) {
      const path = join(SAMPLE, row.file!);
      const d = await ingest({ file: row.file!, path, format: 'pdf', manifest: row });
      withManifest.set(row.file!, d);
      // Same document, no manifest: everything must come from the text.
      textOnly.set(row.file!, { ...d, meta: buildMeta({ blocks: d.blocks, head: d.blocks.slice(0, 80).map((b) => b.text).join('\n'), file: row.file!, warnings: [] }) });
    }
  });

  it('covers all 40 files of the manifest', () => {
    expect(manifest.length).toBe(40);
    expect(withManifest.size).toBe(40);
  });

  it('takes council and date from the manifest, with provenance, and resolves the council in the gazetteer', () => {
    const gaz = Gazetteer.load();
    for (const row of manifest) {
      const m = withManifest.get(row.file!)!.meta;
      expect(m.council, row.file).toBe(gaz.lookup(row.local_authority!)!.name);
      expect(m.onsCode, row.file).toMatch(/^E(06|08|09|10)\d{6}$/);
      expect(m.region, row.file).not.toBe('');
      expect(m.date, row.file).toBe(row.published);
      expect(m.provenance.council).toBe('manifest');
      expect(m.provenance.date).toBe('manifest');
      expect(m.extra.ofsted_urn, row.file).toBe(row.ofsted_urn);
      expect(withManifest.get(row.file!)!.warnings.filter((w) => w.includes('differs')), row.file).toEqual([]);
    }
  });

  it('infers the same council from the report text alone', () => {
    for (const row of manifest) {
      const m = textOnly.get(row.file!)!.meta;
      expect(normaliseCouncilName(m.council), row.file).toBe(normaliseCouncilName(row.local_authority!));
      expect(m.provenance.council).toMatch(/^text:/);
    }
  });

  it('infers from the text a date consistent with publication (published date, or the inspection end shortly before it)', () => {
    for (const row of manifest) {
      const m = textOnly.get(row.file!)!.meta;
      const published = Date.parse(row.published!);
      const inferred = Date.parse(m.date);
      expect(Number.isFinite(inferred), row.file).toBe(true);
      if (m.provenance.date === 'text:published') expect(m.date, row.file).toBe(row.published);
      else {
        expect(m.provenance.date, row.file).toBe('text:inspection_end');
        const days = (published - inferred) / 86_400_000;
        expect(days, row.file).toBeGreaterThanOrEqual(0);
        expect(days, row.file).toBeLessThan(200);
      }
    }
  });

  it('reads the overall grade of every report, and it agrees with the area judgements', () => {
    for (const row of manifest) {
      const m = withManifest.get(row.file!)!.meta;
      expect(m.documentType, row.file).toBe('full_inspection');
      expect(m.grades.overall, row.file).toBe(OVERALL[row.file!]);
      const areas = Object.values(m.grades.areas);
      // An overall judgement never sits outside the range of the area judgements.
      if (areas.length >= 3) {
        const rank: Record<Grade, number> = { outstanding: 1, good: 2, adequate: 3, requires_improvement: 3, inadequate: 4 };
        const ranks = areas.map((g) => rank[g]);
        expect(rank[m.grades.overall!], row.file).toBeGreaterThanOrEqual(Math.min(...ranks));
        expect(rank[m.grades.overall!], row.file).toBeLessThanOrEqual(Math.max(...ranks));
      }
    }
  });

  it('reads the ILACS area grades from the table and the graded section headings', () => {
    const m = withManifest.get('peterborough_2024-01-30.pdf')!.meta;
    expect(m.grades.areas).toEqual({
      impact_of_leaders: 'requires_improvement',
      help_and_protection: 'requires_improvement',
      children_in_care: 'requires_improvement',
      care_leavers: 'inadequate',
    });
    const h = withManifest.get('hampshire_2019-06-11.pdf')!.meta;
    expect(h.grades.areas.children_in_care_and_care_leavers).toBe('outstanding');
    // 2017-18 reports set the grade in a box beside the area heading: it joins the heading.
    const darlington = withManifest.get('darlington_2018-05-21.pdf')!;
    expect(darlington.blocks.filter((b) => b.kind === 'heading' && b.text.startsWith('The experiences and progress of')).map((b) => b.text)).toEqual([
      'The experiences and progress of children who need help and protection: Requires improvement to be good',
      'The experiences and progress of children looked after and achieving permanence: Requires improvement to be good',
    ]);
  });
});

describe('inspection records of national-corpus reports, against a table read by hand (test/fixtures/national-inspections.csv)', () => {
  // Each row was read from the report's first pages (title, "Inspection dates", judgement table).
  const table = readCsv(join(REPO, 'test/fixtures/national-inspections.csv'));
  const manifest = new Map(readCsv(join(NATIONAL, 'manifest.csv')).map((r) => [r.file!, r]));
  const got = new Map<string, IngestedDocument>();
  beforeAll(async () => {
    for (const row of table) got.set(row.file!, await ingest({ file: row.file!, path: join(NATIONAL, row.file!), format: 'pdf', manifest: manifest.get(row.file!) }));
  }, 120_000);

  it('types every report by its title (a full inspection that mentions an earlier focused visit stays one), with its framework', () => {
    expect(table.length).toBeGreaterThanOrEqual(25);
    for (const row of table) {
      const m = got.get(row.file!)!.meta;
      expect([row.file, m.documentType, m.framework]).toEqual([row.file, row.document_type, row.framework]);
    }
  });

  it('reads the days on site and keeps the publication date apart', () => {
    for (const row of table) {
      const m = got.get(row.file!)!.meta;
      expect([row.file, m.inspectionStart, m.inspectionEnd]).toEqual([row.file, row.inspection_start, row.inspection_end]);
      expect(m.published).toBe(manifest.get(row.file!)!.published);
      expect(m.inspectionEnd <= m.published).toBe(true);
    }
  });

  it('reads the overall grade, also where the layout sets it between the lines of its label', () => {
    for (const row of table) expect([row.file, got.get(row.file!)!.meta.grades.overall]).toEqual([row.file, row.overall_grade]);
  });

  it('tells an ILACS short inspection (one week on site) from a standard one (two)', () => {
    const kind = (f: string) => {
      const m = got.get(f)!.meta;
      return inspectionKindOf(m.documentType, m.framework || undefined, daysOnSite(m.inspectionStart, m.inspectionEnd));
    };
    expect(kind('enfield_2024-09-04.pdf')).toBe('ilacs_short');
    expect(kind('lancashire_2023-01-26.pdf')).toBe('ilacs_standard');
    expect(kind('wigan_2017-03-31.pdf')).toBe('sif_inspection');
    expect(kind('medway_2013-08-23.pdf')).toBe('earlier_inspection');
    expect(kind('surrey_2015-08-03.pdf')).toBe('lscb_review');
  });
});

describe('inspection dates', () => {
  it('reads the range styles of the reports', () => {
    const r = (t: string) => { const x = parseInspectionDates(t); return `${x.start}..${x.end}`; };
    expect(r('Inspection dates: 6 to 17 December 2021')).toBe('2021-12-06..2021-12-17');
    expect(r('Inspection dates: 28 November to 9 December 2022')).toBe('2022-11-28..2022-12-09');
    expect(r('Inspection dates: 30 December to 3 January 2020')).toBe('2019-12-30..2020-01-03');
    expect(r('Inspection date: 15 June 2015 – 17 June 2015')).toBe('2015-06-15..2015-06-17');
    expect(r('Inspection date: 16 January 2017–9 February 2017')).toBe('2017-01-16..2017-02-09');
    expect(r('Inspection date: 7 November 2017 to 30 November 2017 Report published: 29 January 2018')).toBe('2017-11-07..2017-11-30');
    expect(r('Inspection dates: 12 March 2024')).toBe('2024-03-12..2024-03-12');
    expect(r('Inspection date: 1/06/2015 – 25/06/2015')).toBe('2015-06-01..2015-06-25');
    expect(r('Inspection dates: to be confirmed')).toBe('..');
  });
});

describe('metadata of the seeds', () => {
  const seedDir = join(SHARED, 'seeds');
  const manifest = readCsv(join(REPO, 'corpus/manifest.csv'));
  const docs = new Map<string, { withManifest: IngestedDocument; textOnly: IngestedDocument }>();
  beforeAll(async () => {
    for (const row of manifest) {
      const path = join(seedDir, row.file!);
      docs.set(row.file!, {
        withManifest: await ingest({ file: row.file!, path, format: 'txt', manifest: row }),
        textOnly: await ingest({ file: row.file!, path, format: 'txt' }),
      });
    }
  });

  it('takes council, date and type from the manifest', () => {
    expect(manifest.length).toBe(5);
    for (const row of manifest) {
      const m = docs.get(row.file!)!.withManifest.meta;
      expect(m.council).toBe(row.local_authority);
      expect(m.date).toBe(row.date);
      expect(m.documentType).toBe(row.document_type);
      expect(m.extra.source).toBe(row.source);
      expect(m.grades.overall).toBeUndefined();
    }
  });

  it('infers the council and (where the text states one) the date from the text alone', () => {
    for (const row of manifest) {
      const m = docs.get(row.file!)!.textOnly.meta;
      expect(m.council, row.file).toBe(row.local_authority);
      expect(m.date, row.file).toBe(row.date); // the news article (001) states no date: '' both sides
    }
    const types = manifest.map((r) => docs.get(r.file!)!.textOnly.meta.documentType);
    expect(types).toEqual(['council_report', 'news', 'focused_visit', 'council_report', 'council_report']);
  });
});

describe('date parsing', () => {
  it('reads the date styles of reports and council papers', () => {
    expect(parseDate('Date: 18 April 2023')).toBe('2023-04-18');
    expect(parseDate('26 JANUARY 2023')).toBe('2023-01-26');
    expect(parseDate('09/11/2020')).toBe('2020-11-09');
    expect(parseDate('on 30th September 2020')).toBe('2020-09-30');
    expect(parseDate('Published: 5 Sept 2019')).toBe('2019-09-05');
    expect(parseDate('2024-07-12')).toBe('2024-07-12');
    expect(parseDate('45/13/2020')).toBe('');
    expect(parseDate('no date here')).toBe('');
  });
});
