/**
 * CSV exports: RFC 4180 quoting, formula-injection neutralising, stable columns, counts that
 * agree across files, --focus/--peers, and byte-identical output on a second run.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { aggregate } from '../src/aggregate/index.js';
import { benchmark } from '../src/aggregate/benchmark.js';
import { buildCsvs, BENCHMARK_COLUMNS, COUNCIL_THEME_COLUMNS, DOCUMENT_COLUMNS, DUPLICATE_COLUMNS, EMERGING_COLUMNS, SENTENCE_COLUMNS, SENTENCE_THEME_COLUMNS } from '../src/export/index.js';
import { fixed, safeCell, toCsv } from '../src/export/csv.js';
import { loadCodebook } from '../src/theme/codebook.js';
import { analysedDoc, themed } from './helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const LA_LOOKUP = resolve('../shared/reference/la_lookup.csv');
const codebook = loadCodebook(resolve('codebook/codebook.json'));
type Row = Record<string, string>;
const parse = (text: string) => Papa.parse<Row>(text, { header: true, skipEmptyLines: true });
const readCsv = (p: string) => parse(readFileSync(p, 'utf8')).data;

describe('CSV writing', () => {
  it('neutralises cells that a spreadsheet would run as a formula, and only those', () => {
    for (const bad of ['=HYPERLINK("http://example.invalid","click")', '+44 1234', '-2+3', '@SUM(A1:A2)', '\tcmd', '\rcmd']) expect(safeCell(bad)).toBe(`'${bad}`);
    for (const ok of ['Supervision is regular.', ' =not at start', "'quoted", '']) expect(safeCell(ok)).toBe(ok);
  });

  it('quotes per RFC 4180 and round-trips commas, quotes and line breaks; numbers are never escaped', () => {
    const text = 'Plans are "SMART", mostly;\nsome are not';
    const csv = toCsv(['text', 'n', 'share', 'net'], [[text, 3, fixed(0.5), fixed(-0.25)], ['=1+1', 0, fixed(null), fixed(-0)]]);
    expect(csv).toBe('text,n,share,net\n"Plans are ""SMART"", mostly;\nsome are not",3,0.5000,-0.2500\n\'=1+1,0,,0.0000\n');
    expect(parse(csv).data[0]).toEqual({ text, n: '3', share: '0.5000', net: '-0.2500' });
  });

  it('escapes every text cell of every export, including names taken from documents', () => {
    const doc = analysedDoc(
      '=doc.txt',
      { council: '@Council', date: '2024-01-01', documentType: 'ofsted_letter' },
      ['=HYPERLINK("http://example.invalid") Supervision is not regular.', '-Supervision is not always recorded in case files.'].map((text, index) =>
        themed('=doc.txt', index, { text, code: 'I', themes: ['supervision'], sectionPath: ['+Findings'], confidence: 0.8, evidence: [{ kind: 'cue', value: 'not', points: 'I', weight: 1 }] }),
      ),
    );
    const agg = aggregate([doc], codebook);
    const tables = buildCsvs(agg, codebook, benchmark(agg, { focus: '@Council' }));
    for (const [name, text] of Object.entries(tables)) {
      for (const row of parse(text).data) {
        for (const [col, v] of Object.entries(row)) {
          if (/^-\d/.test(v) && /share|balance|median|diff|rate/.test(col)) continue; // numbers
          expect(v, `${name} ${col}`).not.toMatch(/^[=+\-@\t\r]/);
        }
      }
    }
    const s = parse(tables['sentences.csv']).data;
    expect(s[0]).toMatchObject({ doc: "'=doc.txt", council: "'@Council", section: "'+Findings", is_focus: 'true' });
    expect(s[0].text).toBe('\'=HYPERLINK("http://example.invalid") Supervision is not regular.');
    expect(s[1].text).toBe("'-Supervision is not always recorded in case files.");
    const ct = parse(tables['council_themes.csv']).data.find((r) => r.theme === 'supervision')!;
    expect(ct).toMatchObject({ improvements: '2', net_balance: '-1.0000', improvement_share: '1.0000' });
  });
});

describe('CSV exports of a run', () => {
  let outA: string;
  let outB: string;
  beforeAll(() => {
    outA = mkdtempSync(join(tmpdir(), 'it-export-a-'));
    outB = mkdtempSync(join(tmpdir(), 'it-export-b-'));
    for (const out of [outA, outB]) execFileSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--quiet', '--focus', 'Hampshire', '--peers', LA_LOOKUP]);
  });

  const files = (dir: string, sub = ''): string[] =>
    readdirSync(join(dir, sub))
      .flatMap((f) => (statSync(join(dir, sub, f)).isDirectory() ? files(dir, join(sub, f)) : [join(sub, f)]))
      .sort();

  it('writes every output, with a fixed header row', () => {
    const names = files(outA);
    for (const f of ['sentences.csv', 'sentence_themes.csv', 'documents.csv', 'council_themes.csv', 'benchmark.csv', 'duplicates.csv', 'emerging_terms.csv', 'report.html', 'project.qdpx', 'inspection-themes.xlsx', 'briefing-hampshire.html']) expect(names).toContain(f);
    // run_report.json lists every file the run wrote, itself last.
    const listed = JSON.parse(readFileSync(join(outA, 'run_report.json'), 'utf8')).outputs as string[];
    expect(listed.at(-1)).toBe('run_report.json');
    expect([...listed].sort()).toEqual(names.filter((f) => f !== '.inspection-themes-files.json'));
    for (const c of ['heatmap', 'balance', 'prevalence', 'profile']) for (const ext of ['vl.json', 'svg', 'png']) expect(names).toContain(join('charts', `${c}.${ext}`));
    const header = (f: string) => readFileSync(join(outA, f), 'utf8').split('\n')[0];
    expect(header('sentences.csv')).toBe(SENTENCE_COLUMNS.join(','));
    expect(header('documents.csv')).toBe(DOCUMENT_COLUMNS.join(','));
    expect(header('council_themes.csv')).toBe(COUNCIL_THEME_COLUMNS.join(','));
    expect(header('benchmark.csv')).toBe(BENCHMARK_COLUMNS.join(','));
    expect(header('duplicates.csv')).toBe(DUPLICATE_COLUMNS.join(','));
    expect(header('emerging_terms.csv')).toBe(EMERGING_COLUMNS.join(','));
    expect(header('sentence_themes.csv')).toBe(SENTENCE_THEME_COLUMNS.join(','));
  });

  it('sentence_themes.csv is the long form of the themes column of sentences.csv: one row per sentence and theme, with its page and terms', () => {
    const sentences = readCsv(join(outA, 'sentences.csv'));
    const long = readCsv(join(outA, 'sentence_themes.csv'));
    const expected = sentences.flatMap((r) => r.themes.split(';').filter(Boolean).map((t) => `${r.sentence_id}|${t}|${r.label}|${r.page}|${r.council}|${r.duplicate_of}`));
    expect(expected.length).toBeGreaterThan(50);
    expect(long.map((r) => `${r.sentence_id}|${r.theme}|${r.label}|${r.page}|${r.council}|${r.duplicate_of}`)).toEqual(expected);
    const codebook = JSON.parse(readFileSync('codebook/codebook.json', 'utf8')) as { themes: { id: string; name: string; category: string }[] };
    const byId = new Map(codebook.themes.map((t) => [t.id, t]));
    for (const r of long) {
      expect(r.theme_name, r.theme).toBe(byId.get(r.theme)!.name);
      expect(r.category, r.theme).toBe(byId.get(r.theme)!.category);
    }
    // The terms are those theme_evidence gives for that sentence and theme.
    const bySentence = new Map(sentences.map((r) => [r.sentence_id, r]));
    for (const r of long.slice(0, 40)) expect(bySentence.get(r.sentence_id)!.theme_evidence.split('; ')).toContain(`${r.theme}: ${r.terms}`);
    // Pages: every sentence has one, from 1 up to its document's page count.
    const pages = new Map(readCsv(join(outA, 'documents.csv')).map((d) => [d.doc, Number(d.pages)]));
    for (const r of sentences) {
      expect(Number(r.page), r.sentence_id).toBeGreaterThanOrEqual(1);
      expect(Number(r.page), r.sentence_id).toBeLessThanOrEqual(pages.get(r.doc)!);
    }
  });

  it('is byte-identical when run twice', () => {
    const a = files(outA);
    expect(files(outB)).toEqual(a);
    for (const f of a) expect(readFileSync(join(outB, f)).equals(readFileSync(join(outA, f))), f).toBe(true);
  });

  it('counts council x theme findings from the de-duplicated sentences, and ranks against the median', () => {
    const sentences = readCsv(join(outA, 'sentences.csv'));
    const ct = readCsv(join(outA, 'council_themes.csv'));
    const docs = readCsv(join(outA, 'documents.csv'));
    expect(docs.map((d) => d.doc)).toEqual([...new Set(sentences.map((s) => s.doc))].sort());
    for (const d of docs) expect(Number(d.sentences)).toBe(sentences.filter((s) => s.doc === d.doc).length);
    const counted = sentences.filter((s) => s.duplicate_of === '' && s.label !== 'neutral');
    for (const r of ct) {
      const mine = counted.filter((s) => s.council === r.council && s.themes.split(';').includes(r.theme));
      const n = (l: string) => mine.filter((s) => s.label === l).length;
      expect([r.strengths, r.improvements, r.mixed].map(Number), `${r.council} ${r.theme}`).toEqual([n('strength'), n('improvement'), n('mixed')]);
      expect(Number(r.council_evaluative)).toBe(counted.filter((s) => s.council === r.council).length);
      const total = mine.length;
      expect(r.improvement_share).toBe(total ? ((n('improvement') + n('mixed')) / total).toFixed(4) : '');
      expect(r.is_focus).toBe(r.council === 'Hampshire' ? 'true' : 'false');
    }
    const bench = readCsv(join(outA, 'benchmark.csv'));
    expect(bench).toHaveLength(ct.length);
    // Ranks and medians over the cells with at least 5 findings (the default --min-findings).
    for (const theme of new Set(bench.map((b) => b.theme))) {
      const shares = ct.filter((r) => r.theme === theme && Number(r.theme_evaluative) >= 5).map((r) => Number(r.improvement_share)).sort((x, y) => x - y);
      const mid = shares.length % 2 ? shares[(shares.length - 1) / 2] : (shares[shares.length / 2 - 1] + shares[shares.length / 2]) / 2;
      for (const b of bench.filter((x) => x.theme === theme)) {
        if (shares.length) expect(Math.abs(Number(b.median_all) - mid)).toBeLessThanOrEqual(1e-4);
        else expect(b.median_all).toBe('');
        expect(Number(b.councils_ranked)).toBe(shares.length);
        expect(b.low_count).toBe(Number(b.theme_evaluative) < 5 ? 'true' : 'false');
        if (b.low_count === 'false') expect(Number(b.rank)).toBe(1 + shares.filter((v) => v > Number(b.improvement_share)).length);
        else expect(b.rank).toBe('');
        if (b.improvement_share !== '') {
          expect(Number(b.improvement_share_low)).toBeLessThanOrEqual(Number(b.improvement_share));
          expect(Number(b.improvement_share_high)).toBeGreaterThanOrEqual(Number(b.improvement_share));
        }
      }
    }
    expect(bench.some((b) => b.low_count === 'false')).toBe(true);
    const focusRows = bench.filter((b) => b.is_focus === 'true');
    expect(new Set(focusRows.map((b) => b.council))).toEqual(new Set(['Hampshire']));
    expect(focusRows.every((b) => b.peers_in_corpus !== '')).toBe(true);
  });

  it('lists every duplicate with the sentence counted in its place', () => {
    const sentences = readCsv(join(outA, 'sentences.csv'));
    const dups = readCsv(join(outA, 'duplicates.csv'));
    const flagged = sentences.filter((s) => s.duplicate_of !== '');
    expect(dups.map((d) => d.sentence_id).sort()).toEqual(flagged.map((s) => s.sentence_id).sort());
    const byId = new Map(sentences.map((s) => [s.sentence_id, s]));
    for (const d of dups) {
      expect(byId.get(d.duplicate_of)!.duplicate_of).toBe('');
      expect(byId.get(d.duplicate_of)!.council).toBe(d.council);
    }
  });

  it('fails with one line for an unknown focus council or a malformed peers file', () => {
    const out = join(tmpdir(), `it-export-never-${process.pid}`);
    // No such council: refused before reading (test/cli.test.ts). A real council none of the documents is about: after the analysis.
    const r1 = spawnSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--quiet', '--focus', 'Kent'], { encoding: 'utf8' });
    expect(r1.status).toBe(2);
    expect(r1.stderr.trim().split('\n')).toHaveLength(1);
    expect(r1.stderr).toMatch(/--focus "Kent" matches no council in the corpus \(councils: .*Hampshire/);
    expect(existsSync(out)).toBe(false);
    const bad = join(mkdtempSync(join(tmpdir(), 'it-peers-')), 'peers.csv');
    writeFileSync(bad, 'council,neighbours\nHampshire,"Kent, Surrey"\n');
    const r2 = spawnSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--quiet', '--peers', bad], { encoding: 'utf8' });
    expect(r2.status).toBe(2);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(r2.stderr).toMatch(/peers file .* has no la_code, stat_neighbours column/);
  });
});
