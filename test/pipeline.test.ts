import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Papa from 'papaparse';
import { runPipeline } from '../src/pipeline/run.js';
import { applySentenceLimit, splitLongText } from '../src/segment/long-sentences.js';
import { documentText } from '../src/segment/text.js';
import { OUTPUT_MANIFEST, stageOutput } from '../src/pipeline/output.js';
import { createProgress } from '../src/pipeline/progress.js';
import type { SegmentedDocument, Sentence } from '../src/types.js';
import { UserError } from '../src/util/errors.js';
import { makePdf, REPORT_TEXT, SAMPLE_DIR } from './hostile-fixtures.js';
import * as nlp from '../src/nlp/tokens.js';
import { analyseTask, finishTask, type AnalyseTask } from '../src/pipeline/analyse.js';
import { DEFAULT_LIMITS } from '../src/limits.js';
import { codeFingerprints, sha256 } from '../src/pipeline/cache.js';
import { discoverCorpus } from '../src/ingest/discover.js';
import { loadCodebook } from '../src/theme/codebook.js';
import { PROJECT_CODEBOOK } from '../src/util/paths.js';

const dirs: string[] = [];
const tmp = (p = 'it-pipe-') => {
  const d = mkdtempSync(join(tmpdir(), p));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A run-on "sentence" as produced by a flattened table: no full stop for hundreds of words. */
const RUN_ON =
  'Area of practice; Timeliness of initial child protection conferences; Quality of child protection plans, ' +
  Array.from({ length: 40 }, (_, i) => `team ${i + 1} caseloads and supervision frequency recorded monthly`).join(', ') +
  ' and the local authority designated officer arrangements';

describe('sentence length limit (between segment and tag)', () => {
  it('splits over-long text at clause boundaries into pieces no longer than the limit, losing no words', () => {
    const pieces = splitLongText(RUN_ON, 300);
    expect(pieces.length).toBeGreaterThan(5);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(300);
    expect(pieces.join(' ').split(/\s+/)).toEqual(RUN_ON.split(/\s+/));
    expect(pieces.slice(0, -1).every((p) => /[;,]$/.test(p))).toBe(true);
  });

  it('cuts a string with no spaces at the limit', () => {
    const pieces = splitLongText('x'.repeat(2500), 1000);
    expect(pieces.map((p) => p.length)).toEqual([1000, 1000, 500]);
  });

  it('renumbers sentence ids and re-tokenises the pieces; short documents are returned untouched', () => {
    let at = 0;
    const s = (index: number, text: string): Sentence => {
      const start = index ? at + 2 : 0;
      at = start + text.length;
      return {
        id: `d.txt#${index}`, doc: 'd.txt', index, text, sectionPath: ['Findings'], blockKind: 'paragraph', block: index + 1, start, end: at,
        isListItem: false, isQuote: false, isHeading: false, page: 1, tokens: text.toLowerCase().split(/\W+/).filter(Boolean), stems: [],
      };
    };
    const doc = { id: 'd.txt', file: 'd.txt', sentences: [s(0, 'Leaders know their services well.'), s(1, RUN_ON), s(2, 'Plans are not specific enough.')] } as unknown as SegmentedDocument;
    const before = documentText(doc.sentences);
    expect(applySentenceLimit(doc, 5000, nlp).doc).toBe(doc);
    const { doc: out, hit } = applySentenceLimit(doc, 400, nlp);
    expect(hit).toMatchObject({ file: 'd.txt', limit: 'maxSentenceChars', count: 1, longest: RUN_ON.length });
    expect(out.sentences.length).toBe(2 + hit!.pieces);
    expect(out.sentences.map((x) => x.index)).toEqual(out.sentences.map((_, i) => i));
    expect(out.sentences.map((x) => x.id)).toEqual(out.sentences.map((_, i) => `d.txt#${i}`));
    expect(out.sentences.at(-1)!.text).toBe('Plans are not specific enough.');
    const piece = out.sentences[1];
    expect(piece.tokens.length).toBe(piece.stems.length);
    expect(piece.tokens[0]).toBe('area');
    expect(piece.sectionPath).toEqual(['Findings']);
    // The pieces keep their places: the text rebuilt from them is the text before, and each cuts out of it.
    const after = documentText(out.sentences);
    expect(after).toBe(before);
    for (const x of out.sentences) expect(after.slice(x.start, x.end)).toBe(x.text);
  });
});

describe('limits in a run', () => {
  it('reports a document whose sentences were split, and tags every piece', async () => {
    const c = tmp();
    writeFileSync(join(c, 'table.txt'), `${REPORT_TEXT}\n\n${RUN_ON}.\n`);
    const r = await runPipeline({ corpusDir: c, cacheDir: null, limits: { maxSentenceChars: 250 } });
    expect(r.report.limitsHit).toEqual([expect.objectContaining({ file: 'table.txt', limit: 'maxSentenceChars', count: 1 })]);
    expect(r.report.limits.maxSentenceChars).toBe(250);
    expect(Math.max(...r.aggregates.findings.map((f) => f.text.length))).toBeLessThanOrEqual(250);
    expect(r.aggregates.findings.map((f) => f.text).join(' ')).toContain('designated officer arrangements');
  });

  it('skips a PDF over the page limit, naming the limit, and reads it under a higher one', async () => {
    const c = tmp();
    const pages = [
      REPORT_TEXT,
      'Children in care live in stable homes and most attend good schools. Independent reviewing officers know children well.',
      'The virtual school is effective. However, personal education plans are not always updated after a change of school.',
    ];
    writeFileSync(join(c, 'three-pages.pdf'), makePdf(pages));
    writeFileSync(join(c, 'notes.txt'), REPORT_TEXT);
    const low = await runPipeline({ corpusDir: c, cacheDir: null, limits: { maxPages: 2 } });
    expect(low.report.skipped).toEqual([expect.objectContaining({ file: 'three-pages.pdf', code: 'too_many_pages' })]);
    expect(low.report.skipped[0].reason).toMatch(/3 pages.*2/);
    const high = await runPipeline({ corpusDir: c, cacheDir: null, limits: { maxPages: 3 } });
    expect(high.report.skipped).toEqual([]);
    expect(high.aggregates.documents.find((d) => d.file === 'three-pages.pdf')!.pageCount).toBe(3);
  });

  it('skips a file over the size limit without reading it', async () => {
    const c = tmp();
    writeFileSync(join(c, 'big.txt'), REPORT_TEXT.repeat(100));
    writeFileSync(join(c, 'small.txt'), REPORT_TEXT);
    const r = await runPipeline({ corpusDir: c, cacheDir: null, limits: { maxFileBytes: 5000 } });
    expect(r.report.skipped).toEqual([expect.objectContaining({ file: 'big.txt', code: 'too_large' })]);
    expect(r.report.documents).toBe(1);
  });

  it('reports unsupported files in the folder as skipped', async () => {
    const c = tmp();
    writeFileSync(join(c, 'report.txt'), REPORT_TEXT);
    writeFileSync(join(c, 'minutes.docx'), 'PK\u0003\u0004');
    const r = await runPipeline({ corpusDir: c, cacheDir: null });
    expect(r.report.skipped).toEqual([expect.objectContaining({ file: 'minutes.docx', code: 'unsupported' })]);
  });
});

describe('atomic output folder', () => {
  const corpus = () => {
    const c = tmp();
    writeFileSync(join(c, 'a.txt'), REPORT_TEXT);
    return c;
  };

  it('replaces what it wrote before and keeps everything else: files it did not write, README, dotfiles; no temp folder is left', async () => {
    const parent = tmp();
    const out = join(parent, 'out');
    const c = corpus();
    await runPipeline({ corpusDir: c, outDir: out, cacheDir: null });
    // A file this tool wrote last time but does not write now goes.
    const manifest = JSON.parse(readFileSync(join(out, OUTPUT_MANIFEST), 'utf8'));
    writeFileSync(join(out, 'briefing-old.html'), 'old');
    manifest.files.push({ path: 'briefing-old.html', size: 3, sha256: sha256('old') });
    writeFileSync(join(out, OUTPUT_MANIFEST), JSON.stringify(manifest));
    writeFileSync(join(out, 'my_notes.csv'), 'x\n');
    writeFileSync(join(out, 'README.md'), '# my notes\n');
    writeFileSync(join(out, '.gitkeep'), '');
    const r = await runPipeline({ corpusDir: c, outDir: out, cacheDir: null });
    const names = readdirSync(out);
    expect(names).toContain('sentences.csv');
    expect(names).toContain('run_report.json');
    expect(names).not.toContain('briefing-old.html');
    expect(readFileSync(join(out, 'my_notes.csv'), 'utf8')).toBe('x\n');
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toBe('# my notes\n');
    expect(names).toContain('.gitkeep');
    expect(r.report.kept).toEqual(['.gitkeep', 'README.md', 'my_notes.csv']);
    expect(readdirSync(parent)).toEqual(['out']);
  });

  it('refuses to replace a non-empty folder it did not write, and leaves it alone', async () => {
    const out = tmp();
    writeFileSync(join(out, 'thesis.docx'), 'precious');
    await expect(runPipeline({ corpusDir: corpus(), outDir: out, cacheDir: null })).rejects.toThrow(UserError);
    expect(readdirSync(out)).toEqual(['thesis.docx']);
  });

  it('a failed write leaves the previous outputs untouched and removes the temporary folder', async () => {
    const parent = tmp();
    const out = join(parent, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'run_report.json'), '{"previous":true}\n');
    const staged = await stageOutput(out);
    writeFileSync(join(staged.tmp, 'sentences.csv'), 'doc,text\na.txt,"half a ro');
    await staged.abort();
    expect(readdirSync(parent)).toEqual(['out']);
    expect(readFileSync(join(out, 'run_report.json'), 'utf8')).toBe('{"previous":true}\n');
  });

  it('cleans up after a killed run: removes its temp folder, restores a half-swapped previous output', async () => {
    const parent = tmp();
    const out = join(parent, 'out');
    const dead = 2 ** 22 + 12345; // beyond Linux's default pid_max, so no such process
    mkdirSync(join(parent, `out.tmp-${dead}`));
    writeFileSync(join(parent, `out.tmp-${dead}`, 'sentences.csv'), 'half');
    mkdirSync(join(parent, `out.old-${dead}`));
    writeFileSync(join(parent, `out.old-${dead}`, 'run_report.json'), '{"previous":true}\n');
    const staged = await stageOutput(out);
    expect(readFileSync(join(out, 'run_report.json'), 'utf8')).toBe('{"previous":true}\n');
    await staged.commit();
    expect(readdirSync(parent).sort()).toEqual(['out']);
  });

  it('an interrupted CLI run (SIGKILL while writing) never leaves half-written files in the output folder', async () => {
    const cli = join(process.cwd(), 'dist/src/cli.js');
    const c = tmp();
    for (const f of ['barnsley_2023-10-27.pdf', 'southampton_2023-07-28.pdf']) copyFileSync(join(SAMPLE_DIR, f), join(c, f));
    const parent = tmp();
    const out = join(parent, 'out');
    const cache = join(parent, 'cache');
    const runCli = () => spawn(process.execPath, [cli, 'run', c, '--out', out, '--cache-dir', cache, '--quiet'], { stdio: 'ignore' });
    await new Promise((res) => runCli().on('close', res));
    const before = readFileSync(join(out, 'sentences.csv'), 'utf8');
    // Second run: kill it as soon as its temporary folder appears (it is writing outputs then).
    const p = runCli();
    const tmpDir = join(parent, `out.tmp-${p.pid}`);
    await new Promise<void>((res) => {
      const iv = setInterval(() => {
        if (existsSync(tmpDir) || p.exitCode !== null) {
          p.kill('SIGKILL');
          clearInterval(iv);
          res();
        }
      }, 2);
    });
    await new Promise((res) => (p.exitCode !== null || p.signalCode !== null ? res(null) : p.on('close', res)));
    expect(readFileSync(join(out, 'sentences.csv'), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8')).documents).toBe(2);
    // The next run removes the dead run's temporary folder.
    await new Promise((res) => runCli().on('close', res));
    expect(readdirSync(parent).sort()).toEqual(['cache', 'out']);
  });
});

describe('worker pool', () => {
  it('gives the same documents, in file order, as an in-process run', async () => {
    const c = tmp();
    const texts = [
      'Leaders have a clear understanding of the quality of practice. Social workers know their children well.',
      'Too many children wait too long for an initial health assessment. Managers do not always record their oversight.',
      'The local authority designated officer arrangements are effective. Partners understand thresholds well.',
      'Care leavers are supported well by personal advisers. However, pathway plans are not always updated.',
      'The front door is timely and effective. Strategy meetings are not always attended by health partners.',
    ];
    texts.forEach((t, i) => writeFileSync(join(c, `doc_${String.fromCharCode(101 - i)}.txt`), `${t}\n`));
    copyFileSync(join(SAMPLE_DIR, 'southampton_2023-07-28.pdf'), join(c, 'southampton_2023-07-28.pdf'));
    const inproc = await runPipeline({ corpusDir: c, cacheDir: null, workers: 0 });
    const pooled = await runPipeline({ corpusDir: c, cacheDir: null, workers: 2 });
    expect(inproc.stats.workers).toBe(0);
    expect(pooled.stats.workers).toBe(2);
    expect(pooled.aggregates.documents.map((d) => d.file)).toEqual(inproc.aggregates.documents.map((d) => d.file));
    expect(pooled.aggregates.findings).toEqual(inproc.aggregates.findings);
    expect(pooled.aggregates.documents.map((d) => d.terms)).toEqual(inproc.aggregates.documents.map((d) => d.terms));
    expect(pooled.report).toEqual(inproc.report);
  });

  it('a document read by a worker and finished on the main thread equals one analysed whole', async () => {
    const cacheDir = tmp();
    const codebook = loadCodebook(PROJECT_CODEBOOK);
    const listing = await discoverCorpus(SAMPLE_DIR);
    const src = listing.files.find((f) => f.file === 'southampton_2023-07-28.pdf')!;
    const bytes = readFileSync(src.path);
    const task = (mode: 'full' | 'extract', cache: string | null): AnalyseTask => ({ src, limits: DEFAULT_LIMITS, cacheDir: cache, fp: codeFingerprints(), codebookHash: codebook.hash, listedSha256: sha256(bytes), mode });
    const whole = await analyseTask(task('full', null), codebook);
    const read = await analyseTask(task('extract', join(cacheDir, 'c')), codebook);
    expect(read.doc).toBeUndefined();
    expect(read.extracted?.doc.sentences.length).toBeGreaterThan(100);
    expect(read.ms.tag).toBe(0);
    const finished = await finishTask(task('extract', join(cacheDir, 'c')), read, codebook);
    expect(finished.extracted).toBeUndefined();
    expect(finished.doc).toEqual(whole.doc);
    expect(finished.doc!.findings.every((f) => !('tokens' in f) && !('stems' in f))).toBe(true);
    expect(finished.ms.ingest).toBe(read.ms.ingest);
    expect(finished.ms.tag).toBeGreaterThan(0);
    // The main thread filled the analysed layer: the next run of the same task is answered from it.
    const again = await analyseTask(task('full', join(cacheDir, 'c')), codebook);
    expect(again.cache).toBe('analysed');
    expect(again.doc).toEqual(whole.doc);
  });
});

describe('progress', () => {
  const sink = () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) }) as unknown as NodeJS.WriteStream;
    return { stream, text: () => chunks.join('') };
  };

  it('prints plain periodic lines when not on a terminal, and always the last one', async () => {
    const s = sink();
    const p = await createProgress({ mode: 'auto', stream: s.stream, everyDocs: 2, everySeconds: 3600 });
    p.start('analysing', 5);
    for (let i = 0; i < 5; i++) p.tick(10);
    p.stop();
    expect(s.text().trim().split('\n')).toEqual(['analysing: 2/5 documents, 20 sentences', 'analysing: 4/5 documents, 40 sentences', 'analysing: 5/5 documents, 50 sentences']);
  });

  it('prints nothing in none mode (--quiet)', async () => {
    const s = sink();
    const p = await createProgress({ mode: 'none', stream: s.stream });
    p.start('analysing', 3);
    p.tick(1);
    p.log('x');
    p.stop();
    expect(s.text()).toBe('');
  });

  it('draws a bar on a terminal', async () => {
    const s = sink();
    (s.stream as { isTTY?: boolean }).isTTY = true;
    const p = await createProgress({ mode: 'auto', stream: s.stream });
    p.start('analysing', 4);
    p.tick(3);
    p.stop();
    expect(s.text()).toMatch(/analysing\s+\[.*\] \d\/4 documents/);
  });
});

describe('run_report.json counts', () => {
  it('counts every sentence read, and the comparison window apart', async () => {
    // Two full inspections of one council: the default window ("latest") compares the later one only.
    const national = join(process.cwd(), '../shared/corpus-ofsted-national');
    const c = tmp();
    for (const f of ['barking-and-dagenham_2014-07-07.pdf', 'barking-and-dagenham_2019-04-01.pdf']) copyFileSync(join(national, f), join(c, f));
    const out = join(tmp(), 'out');
    const r = await runPipeline({ corpusDir: c, outDir: out, cacheDir: null, workers: 0, progress: 'none', qdpx: false, xlsx: false });
    const report = JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8'));
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(out, 'sentences.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(report.documents).toBe(2);
    expect(report.sentences).toBe(rows.length);
    expect(Object.values(report.labelCounts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(report.window.documents).toBe(1);
    expect(report.window.sentences).toBe(rows.filter((x) => x.in_window === 'true').length);
    expect(report.window.sentences).toBeGreaterThan(0);
    expect(report.window.sentences).toBeLessThan(report.sentences);
    expect(r.stats.sentences).toBe(report.sentences);
  });
});
