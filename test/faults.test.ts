/**
 * Faults a hostile tester found (the reliability issue): one test per finding. Each failed on the
 * code before the fix. The documents are written by the tests, in the style of inspection reports.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runPipeline } from '../src/pipeline/run.js';
import { loadCodebook, validateCodebook } from '../src/theme/codebook.js';
import { themeFindings } from '../src/theme/index.js';
import { PROJECT_CODEBOOK } from '../src/util/paths.js';
import { UserError } from '../src/util/errors.js';
import { finding } from './helpers.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
// A run that hangs fails the test instead of blocking it (a timed-out child has no exit status).
const cli = (args: string[], cwd?: string) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd, timeout: 60_000 });

const A = [
  'Leaders have a clear understanding of the strengths and weaknesses of services for care leavers.',
  'Personal advisers keep in touch with young people and know them well.',
  'However, pathway plans are not always updated when circumstances change.',
].join(' ');
const B = [
  'Strategy meetings are timely and well attended by police and health partners.',
  'Return home interviews are not always offered to children who go missing.',
].join(' ');
const C = 'Managers do not consistently record the reasons for their decisions in supervision.\n';

const dirs: string[] = [];
const tmp = (prefix = 'it-faults-') => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A corpus of text documents, in a new folder. */
function corpus(docs: Record<string, string> = { 'a.txt': A, 'b.txt': B, 'c.txt': C }): string {
  const d = tmp();
  for (const [f, t] of Object.entries(docs)) writeFileSync(join(d, f), t + '\n');
  return d;
}

const sentences = (out: string) => Papa.parse<Record<string, string>>(readFileSync(join(out, 'sentences.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
const listAll = (d: string): string[] => readdirSync(d, { recursive: true, encoding: 'utf8' }).sort();

describe('1. the tool never deletes a user\'s files', () => {
  it('refuses --out that is the corpus folder, even when the corpus holds a run_report.json; the corpus is untouched', () => {
    const c = corpus();
    writeFileSync(join(c, 'run_report.json'), '{}\n');
    const before = listAll(c);
    const r = cli(['run', c, '--out', c, '--no-cache']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/it is the corpus folder/);
    expect(listAll(c)).toEqual(before);
    expect(readFileSync(join(c, 'a.txt'), 'utf8')).toBe(A + '\n');
  });

  it('refuses --out R for a corpus R/corpus inside a previous output R; R/corpus is untouched', () => {
    const r0 = tmp();
    const c = corpus();
    expect(cli(['run', c, '--out', join(r0, 'out'), '--no-cache', '-q']).status).toBe(0);
    const R = join(r0, 'out');
    mkdirSync(join(R, 'corpus'));
    writeFileSync(join(R, 'corpus', 'a.txt'), A + '\n');
    const r = cli(['run', join(R, 'corpus'), '--out', R, '--no-cache']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/contains the corpus folder/);
    expect(readFileSync(join(R, 'corpus', 'a.txt'), 'utf8')).toBe(A + '\n');
  });

  it('keeps a file the user added to a previous output folder, and says so', () => {
    const c = corpus();
    const out = join(tmp(), 'out');
    expect(cli(['run', c, '--out', out, '--no-cache', '-q']).status).toBe(0);
    writeFileSync(join(out, 'my_notes.xlsx'), 'precious');
    mkdirSync(join(out, 'charts', 'mine'), { recursive: true });
    writeFileSync(join(out, 'charts', 'mine', 'sketch.png'), 'drawn by hand');
    const r = cli(['run', c, '--out', out, '--no-cache']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'my_notes.xlsx'), 'utf8')).toBe('precious');
    expect(readFileSync(join(out, 'charts', 'mine', 'sketch.png'), 'utf8')).toBe('drawn by hand');
    expect(r.stderr).toMatch(/kept my_notes\.xlsx/);
    expect(JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8')).kept).toEqual(['charts/mine/sketch.png', 'my_notes.xlsx']);
  });

  it('keeps an output file the user edited (under a new name) instead of overwriting it', () => {
    const c = corpus();
    const out = join(tmp(), 'out');
    expect(cli(['run', c, '--out', out, '--no-cache', '-q']).status).toBe(0);
    const original = readFileSync(join(out, 'sentences.csv'), 'utf8');
    writeFileSync(join(out, 'sentences.csv'), original + 'my corrections\n');
    const r = cli(['run', c, '--out', out, '--no-cache']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(out, 'sentences.csv'), 'utf8')).toBe(original);
    expect(readFileSync(join(out, 'sentences.kept.csv'), 'utf8')).toBe(original + 'my corrections\n');
    expect(r.stderr).toMatch(/kept sentences\.csv .*changed since this tool wrote it.* as sentences\.kept\.csv/);
  });
});

describe('2-4. the cache never serves a result that does not match the input', () => {
  it('2. a file that changes while a run reads it does not leave outputs under the key of its old content', async () => {
    const c = corpus();
    const cacheDir = join(tmp(), 'cache');
    const base = tmp();
    const first = await runPipeline({
      corpusDir: c,
      outDir: join(base, 'o1'),
      cacheDir,
      workers: 0,
      onStage: (s) => {
        // Listed and hashed with content A; changed to B before it is read.
        if (s === 'analyse') writeFileSync(join(c, 'a.txt'), B + '\n');
      },
    });
    expect(first.report.warnings.some((w) => w.file === 'a.txt' && /changed while this run was reading it/.test(w.message))).toBe(true);
    writeFileSync(join(c, 'a.txt'), A + '\n');
    await runPipeline({ corpusDir: c, outDir: join(base, 'o2'), cacheDir, workers: 0 });
    const texts = sentences(join(base, 'o2')).filter((r) => r.doc === 'a.txt').map((r) => r.text).join(' ');
    expect(texts).toContain('Personal advisers keep in touch');
    expect(texts).not.toContain('Strategy meetings');
  });

  it('3. a file truncated during a run is not skipped forever once it is restored', async () => {
    const c = corpus();
    const cacheDir = join(tmp(), 'cache');
    const base = tmp();
    const first = await runPipeline({ corpusDir: c, outDir: join(base, 'o1'), cacheDir, workers: 0, onStage: (s) => s === 'analyse' && truncateSync(join(c, 'b.txt'), 0) });
    expect(first.report.skipped.map((s) => `${s.file}:${s.code}`)).toEqual(['b.txt:empty']);
    writeFileSync(join(c, 'b.txt'), B + '\n');
    const second = await runPipeline({ corpusDir: c, outDir: join(base, 'o2'), cacheDir, workers: 0 });
    expect(second.report.skipped).toEqual([]);
    expect(sentences(join(base, 'o2')).some((r) => r.doc === 'b.txt' && r.text.startsWith('Strategy meetings'))).toBe(true);
  });

  it('4. a damaged outputs entry in the cache is a miss: the next run writes every file again', () => {
    const c = corpus();
    const cwd = tmp();
    expect(cli(['run', c, '--out', 'o1', '-q'], cwd).status).toBe(0);
    const entries = join(cwd, '.cache', 'inspection-themes', 'v1', 'outputs');
    const [key] = readdirSync(entries).filter((n) => !n.startsWith('.'));
    rmSync(join(entries, key!, 'files', 'sentences.csv'));
    writeFileSync(join(entries, key!, 'files', 'documents.csv'), 'doc\nwrong\n');
    const r = cli(['run', c, '--out', 'o2'], cwd);
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/outputs reused/);
    for (const f of ['sentences.csv', 'documents.csv', 'report.html']) expect(readFileSync(join(cwd, 'o2', f), 'utf8')).toBe(readFileSync(join(cwd, 'o1', f), 'utf8'));
    // The damaged entry was replaced by a good one: the next run reuses it.
    expect(cli(['run', c, '--out', 'o3'], cwd).stderr).toMatch(/outputs reused/);
    expect(readFileSync(join(cwd, 'o3', 'sentences.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'o1', 'sentences.csv'), 'utf8'));
  });
});

describe('5. cleaning takes time linear in the text; a time budget bounds each document', () => {
  it('reads a 1 MB line with no spaces and 200,000 dashes in an unclosed HTML comment within a 5 s budget each', () => {
    const c = corpus({ 'report.txt': A });
    writeFileSync(join(c, 'one-line.txt'), 'x'.repeat(1 << 20) + '\n');
    writeFileSync(join(c, 'comment.html'), `<html><body><p>${B}</p><!-- ${'-'.repeat(200_000)}\n</body></html>\n`);
    writeFileSync(join(c, 'dots.txt'), `Contents\n${'.'.repeat(1 << 20)}\n${A}\n`);
    const out = join(tmp(), 'out');
    const r = cli(['run', c, '--out', out, '--no-cache', '--workers', '0', '--max-seconds-per-doc', '5']);
    expect(r.stderr).not.toMatch(/timeout/);
    expect(r.status).toBe(0);
    const docs = Papa.parse<Record<string, string>>(readFileSync(join(out, 'documents.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data.map((d) => d.doc);
    expect(docs.sort()).toEqual(['comment.html', 'dots.txt', 'one-line.txt', 'report.txt']);
    expect(sentences(out).some((s) => s.doc === 'comment.html' && s.text.startsWith('Strategy meetings'))).toBe(true);
  });

  it('a document over the budget is skipped with code timeout, the others are analysed, and the timeout is not cached', () => {
    const c = corpus({ 'report.txt': A });
    // Thousands of short paragraphs: far more than a budget of a millisecond allows.
    writeFileSync(join(c, 'long.txt'), `${B}\n\n`.repeat(3000));
    const cwd = tmp();
    const r = cli(['run', c, '--out', 'out', '--workers', '0', '--max-seconds-per-doc', '0.001'], cwd);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/skipped long\.txt \(timeout\): took longer than 0\.001 s \(--max-seconds-per-doc\)/);
    const again = cli(['run', c, '--out', 'out'], cwd);
    expect(again.status).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'run_report.json'), 'utf8')).skipped).toEqual([]);
  });
});

describe('6. codebook patterns have a bounded cost', () => {
  const base = () => JSON.parse(readFileSync(PROJECT_CODEBOOK, 'utf8'));

  it('refuses a phrase with more gaps than the matcher allows, naming the theme', () => {
    const cb = base();
    cb.themes[0].phrases.push(['plan', ...Array.from({ length: 16 }, () => '* review')].join(' '));
    expect(() => validateCodebook(cb, 'my.json')).toThrow(UserError);
    expect(() => validateCodebook(cb, 'my.json')).toThrow(new RegExp(`themes\\[0\\] \\(id "${cb.themes[0].id}"\\).*16 gaps`));
  });

  it('runs a catastrophic-backtracking section pattern in linear time (RE2), and refuses look-behind', () => {
    const cb = base();
    cb.themes[0].sections = ['^(a+)+$'];
    const dir = tmp();
    writeFileSync(join(dir, 'cb.json'), JSON.stringify(cb));
    const codebook = loadCodebook(join(dir, 'cb.json'));
    const heading = 'a'.repeat(5000) + '!';
    const f = finding('x.txt', 0, { text: 'Leaders are effective.', code: 'S', sectionPath: [heading] });
    const [themed] = themeFindings([f], codebook);
    expect(themed!.themes.map((t) => t.theme)).not.toContain(cb.themes[0].id);
    const f2 = finding('x.txt', 1, { text: 'Leaders are effective.', code: 'S', sectionPath: ['aaaa'] });
    expect(themeFindings([f2], codebook)[0]!.themes.map((t) => t.theme)).toContain(cb.themes[0].id);
    cb.themes[0].sections = ['(?<=a)b'];
    expect(() => validateCodebook(cb, 'my.json')).toThrow(/bad section pattern.*RE2/);
  });
});

describe('7. parallel runs into one --out', () => {
  it('one run writes, the others stop at once with exit 2 "another run is writing"; never exit 1', async () => {
    const c = corpus();
    const cwd = tmp();
    expect(cli(['run', c, '--out', 'ref', '-q'], cwd).status).toBe(0);
    const ref = readFileSync(join(cwd, 'ref', 'sentences.csv'), 'utf8');
    for (let round = 0; round < 4; round++) {
      const runs = Array.from({ length: 8 }, () =>
        new Promise<{ code: number | null; stderr: string }>((res) => {
          const p = spawn(process.execPath, [CLI, 'run', c, '--out', 'shared', '-q'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          p.stderr.on('data', (d) => (stderr += d));
          p.on('close', (code) => res({ code, stderr }));
        }),
      );
      const results = await Promise.all(runs);
      for (const r of results) {
        expect([0, 2], r.stderr).toContain(r.code);
        if (r.code === 2) expect(r.stderr).toMatch(/another run is writing shared/);
      }
      expect(results.some((r) => r.code === 0)).toBe(true);
      // The first run holds the lock for its whole run: those that start meanwhile are turned away.
      expect(results.filter((r) => r.code === 2).length).toBeGreaterThanOrEqual(1);
      expect(readFileSync(join(cwd, 'shared', 'sentences.csv'), 'utf8')).toBe(ref);
      expect(readdirSync(cwd).sort()).toEqual(['.cache', 'ref', 'shared']);
    }
  }, 240_000);
});

describe('8-9. arguments and folders are checked before any document is read', () => {
  it('8. --out "" exits 2 with a message and writes nothing', () => {
    const cwd = tmp();
    const r = cli(['run', corpus(), '--out', ''], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/output folder is empty.*--out/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.each([
    ['a file', (d: string) => (writeFileSync(join(d, 'out'), 'x'), join(d, 'out')), /not a folder/],
    ['someone else\'s folder', (d: string) => (mkdirSync(join(d, 'out')), writeFileSync(join(d, 'out', 'thesis.docx'), 'x'), join(d, 'out')), /not empty and was not written by this tool/],
    ['the root folder', () => '/', /root folder/],
  ])('9. an output path that is %s is refused before any document is read', async (_what, make, message) => {
    const stages: string[] = [];
    await expect(runPipeline({ corpusDir: corpus(), outDir: make(tmp()), cacheDir: null, onStage: (s) => stages.push(s) })).rejects.toThrow(message);
    expect(stages).not.toContain('hash');
    expect(stages).not.toContain('analyse');
  });

  it('9. a dangling link, a link loop and a FIFO are listed as skipped with their reason', () => {
    const c = corpus();
    symlinkSync(join(c, 'gone.txt'), join(c, 'dangling.txt'));
    symlinkSync(join(c, 'loop-b.txt'), join(c, 'loop-a.txt'));
    symlinkSync(join(c, 'loop-a.txt'), join(c, 'loop-b.txt'));
    execFileSync('mkfifo', [join(c, 'pipe.txt')]);
    const out = join(tmp(), 'out');
    const r = cli(['run', c, '--out', out, '--no-cache']);
    expect(r.status).toBe(3);
    const skipped = JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8')).skipped as { file: string; code: string; reason: string }[];
    expect(skipped.map((s) => `${s.file}:${s.code}`)).toEqual(['dangling.txt:unreadable', 'loop-a.txt:unreadable', 'loop-b.txt:unreadable', 'pipe.txt:unreadable']);
    expect(skipped[0]!.reason).toMatch(/does not exist/);
    expect(skipped[1]!.reason).toMatch(/loop/);
    expect(skipped[3]!.reason).toMatch(/FIFO/);
    expect(r.stderr).toMatch(/skipped pipe\.txt \(unreadable\)/);
  });

  it('9. a link to a file outside the corpus is skipped like a ../ path in the manifest, unless --follow-symlinks', () => {
    const elsewhere = corpus({ 'outside.txt': B });
    const c = corpus();
    symlinkSync(join(elsewhere, 'outside.txt'), join(c, 'linked.txt'));
    symlinkSync(join(c, 'a.txt'), join(c, 'inside-link.txt'));
    const out = join(tmp(), 'out');
    const r = cli(['run', c, '--out', out, '--no-cache']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/skipped linked\.txt \(outside_corpus\): a symbolic link to .*outside\.txt, outside the corpus folder/);
    expect(sentences(out).some((s) => s.doc === 'inside-link.txt')).toBe(true);
    const followed = cli(['run', c, '--out', out, '--no-cache', '--follow-symlinks']);
    expect(followed.status).toBe(0);
    expect(sentences(out).some((s) => s.doc === 'linked.txt' && s.text.startsWith('Strategy meetings'))).toBe(true);
  });

  it('9. a symlinked --out stays a link; the folder it points to gets the outputs', () => {
    const d = tmp();
    mkdirSync(join(d, 'real'));
    symlinkSync(join(d, 'real'), join(d, 'link'));
    const c = corpus();
    expect(cli(['run', c, '--out', join(d, 'link'), '--no-cache', '-q']).status).toBe(0);
    expect(cli(['run', c, '--out', join(d, 'link'), '--no-cache', '-q']).status).toBe(0);
    expect(lstatSync(join(d, 'link')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(d, 'link'))).toBe(join(d, 'real'));
    expect(existsSync(join(d, 'real', 'sentences.csv'))).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['link', 'real']);
  });

  it('9. temporary folders left by killed runs are removed by the next run (whatever their pid now is)', () => {
    const c = corpus();
    const cwd = tmp();
    expect(cli(['run', c, '--out', 'out', '-q'], cwd).status).toBe(0);
    // pid 1 is always alive (init): a killed run's pid can be reused like this.
    mkdirSync(join(cwd, 'out.tmp-1'));
    writeFileSync(join(cwd, 'out.tmp-1', 'sentences.csv'), 'half');
    const dead = 2 ** 22 + 4321;
    const outputsLayer = join(cwd, '.cache', 'inspection-themes', 'v1', 'outputs');
    mkdirSync(join(outputsLayer, `.abc123.tmp-${dead}`, 'files'), { recursive: true });
    const layerDir = readdirSync(join(cwd, '.cache', 'inspection-themes', 'v1', 'extract'))[0]!;
    writeFileSync(join(cwd, '.cache', 'inspection-themes', 'v1', 'extract', layerDir, `.x.bin.${dead}.abcd1234.tmp`), 'half');
    writeFileSync(join(cwd, 'out.lock'), JSON.stringify({ pid: dead, host: hostname(), started: '' }));
    // Killed while taking the lock: its half-made lock file, and one put aside while taking over a stale lock.
    writeFileSync(join(cwd, `out.lock.${dead}.tmp`), '{');
    writeFileSync(join(cwd, `out.lock.stale-${dead}`), '{}');
    expect(cli(['run', c, '--out', 'out', '-q'], cwd).status).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['.cache', 'out']);
    expect(readdirSync(outputsLayer).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(readdirSync(join(cwd, '.cache', 'inspection-themes', 'v1', 'extract', layerDir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('9. thousands of manifest rows naming missing files print a few warnings and a summary; the run report has them all', () => {
    const c = corpus();
    const rows = ['file,local_authority', 'a.txt,Kent', ...Array.from({ length: 9995 }, (_, i) => `missing-${i}.pdf,Kent`)];
    writeFileSync(join(c, 'manifest.csv'), rows.join('\n') + '\n');
    const out = join(tmp(), 'out');
    const r = cli(['run', c, '--out', out, '--no-cache']);
    expect(r.status).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('warning:'));
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(r.stderr).toMatch(/and 9,990 more manifest warnings/);
    expect(JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8')).warnings.filter((w: { file: string }) => w.file === 'manifest.csv')).toHaveLength(9995);
  });
});
