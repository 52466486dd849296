import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runPipeline, type RunResult } from '../src/pipeline/run.js';
import { CP1252_TEXT, HOSTILE_CASES, QUOTED_NAME, SAMPLE_DIR, UTF16_TEXT, writeHostileSet } from './hostile-fixtures.js';

const GOOD_PDFS = ['barnsley_2023-10-27.pdf', 'southampton_2023-07-28.pdf'];

describe('hostile input: each bad document is reported and skipped, the run goes on', () => {
  let dir: string;
  let corpus: string;
  let out: string;
  let result: RunResult;
  const logged: string[] = [];
  const csv = (name: string) => Papa.parse<Record<string, string>>(readFileSync(join(out, name), 'utf8'), { header: true, skipEmptyLines: true }).data;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'it-hostile-'));
    corpus = join(dir, 'corpus');
    out = join(dir, 'out');
    writeHostileSet(corpus);
    for (const f of GOOD_PDFS) copyFileSync(join(SAMPLE_DIR, f), join(corpus, f));
    const manifest = readFileSync(join(SAMPLE_DIR, 'manifest.csv'), 'utf8').split('\n');
    writeFileSync(join(corpus, 'manifest.csv'), [manifest[0], ...manifest.filter((l) => GOOD_PDFS.some((f) => l.startsWith(f + ',')))].join('\n') + '\n');
    result = await runPipeline({ corpusDir: corpus, outDir: out, cacheDir: join(dir, 'cache'), log: (l) => logged.push(l) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = () => JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8'));

  it.each(HOSTILE_CASES.filter((c) => c.skip).map((c) => [c.what, c.file, c.skip!] as const))('reports %s as skipped (file, code, reason) and warns on stderr', (_what, file, code) => {
    const entry = report().skipped.find((s: { file: string }) => s.file === file);
    expect(entry).toBeDefined();
    expect(entry.code).toBe(code);
    expect(entry.reason.length).toBeGreaterThan(5);
    expect(logged.some((l) => l.includes(file) && l.includes(code))).toBe(true);
    expect(csv('documents.csv').some((r) => r.doc === file)).toBe(false);
  });

  it('does not read a file over the size limit (the 50 MB file is skipped by its size, limit named)', () => {
    const entry = report().skipped.find((s: { file: string }) => s.file === 'huge-50mb.txt');
    expect(entry.reason).toMatch(/50\.0 MB.*limit.*40\.0 MB/);
    expect(report().limits.maxFileBytes).toBe(40 * 1024 * 1024);
  });

  it('reads UTF-16 text with a byte-order mark', () => {
    const doc = result.aggregates.documents.find((d) => d.file === 'utf16-bom.txt')!;
    expect(doc).toBeDefined();
    expect(doc.encoding).toBe('utf-16le');
    const text = csv('sentences.csv').filter((r) => r.doc === 'utf16-bom.txt').map((r) => r.text).join(' ');
    expect(text).toContain('Thresholds are well understood by partners.');
    expect(text).not.toMatch(/\u0000|\ufffd/);
    expect(text.replace(/\s+/g, ' ')).toBe(UTF16_TEXT);
  });

  it('reads Windows-1252 text (curly quotes, pound sign, accents)', () => {
    const doc = result.aggregates.documents.find((d) => d.file === 'windows-1252.txt')!;
    expect(doc.encoding).toBe('windows-1252');
    const text = csv('sentences.csv').filter((r) => r.doc === 'windows-1252.txt').map((r) => r.text).join(' ');
    expect(text).toContain('council’s corporate parenting board');
    expect(text).toContain('£250');
    expect(text).toContain('café');
    expect(text).not.toContain('\ufffd');
    expect(text.replace(/\s+/g, ' ')).toBe(CP1252_TEXT);
  });

  it('keeps a file name with spaces and quotes intact as the doc id through the CSVs', () => {
    const rows = csv('sentences.csv').filter((r) => r.doc === QUOTED_NAME);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0].sentence_id.startsWith(QUOTED_NAME + '#')).toBe(true);
    expect(csv('documents.csv').map((r) => r.doc)).toContain(QUOTED_NAME);
  });

  it('puts every good document in the outputs and every bad one in the run report', () => {
    const good = [...GOOD_PDFS, ...HOSTILE_CASES.filter((c) => !c.skip).map((c) => c.file)].sort();
    const bad = HOSTILE_CASES.filter((c) => c.skip).map((c) => c.file).sort();
    expect(csv('documents.csv').map((r) => r.doc).sort()).toEqual(good);
    expect(report().skipped.map((s: { file: string }) => s.file).sort()).toEqual(bad);
    expect(report().documents).toBe(good.length);
    expect(new Set(csv('sentences.csv').map((r) => r.doc))).toEqual(new Set(good));
  });

  it('leaves no temporary folder next to the output', () => {
    expect(readdirSync(dir).filter((n) => n.startsWith('out.'))).toEqual([]);
  });

  it('answers bad documents from the cache on a re-run without reading them again', async () => {
    const again = await runPipeline({ corpusDir: corpus, outDir: join(dir, 'out2'), cacheDir: join(dir, 'cache') });
    expect(again.stats.cache.misses).toBe(1); // only the over-size file, which is never read or cached
    expect(again.stats.stageMs.ingest).toBe(0);
    expect(readFileSync(join(dir, 'out2', 'run_report.json'), 'utf8')).toBe(readFileSync(join(out, 'run_report.json'), 'utf8'));
  });
});
