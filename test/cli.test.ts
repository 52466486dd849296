import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('CLI', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'it-cli-'));
    execFileSync(process.execPath, [CLI, 'run', 'corpus', '--out', out, '--quiet']);
  });

  it('writes one sentences.csv row per sentence with doc, council, label and themes', () => {
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(out, 'sentences.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows.length).toBeGreaterThan(300);
    const docs = new Set(rows.map((r) => r.doc));
    expect([...docs].sort()).toEqual(readFileSync('corpus/manifest.csv', 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[0]).sort());
    for (const r of rows) {
      expect(['strength', 'improvement', 'mixed', 'neutral']).toContain(r.label);
      expect(r.council).not.toBe('');
      expect(r).toHaveProperty('themes');
    }
    expect(rows.some((r) => r.council === 'Southampton')).toBe(true);
  });

  it('writes charts', () => {
    expect(existsSync(join(out, 'charts', 'heatmap.vl.json'))).toBe(true);
    expect(readFileSync(join(out, 'charts', 'heatmap.svg'), 'utf8')).toContain('<svg');
  });

  it('prints nothing on stdout with --quiet (no dotenv tips)', () => {
    const o2 = mkdtempSync(join(tmpdir(), 'it-cli-'));
    const r = run(['run', 'corpus', '--out', o2, '--quiet']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
  });

  it.each([
    ['a missing folder', () => join(tmpdir(), 'does-not-exist-' + process.pid), /not found/],
    ['an empty folder', () => mkdtempSync(join(tmpdir(), 'it-empty-')), /empty/],
    [
      'a folder whose only document is in a hidden subfolder',
      () => {
        const d = mkdtempSync(join(tmpdir(), 'it-hidden-'));
        mkdirSync(join(d, '.drafts'));
        writeFileSync(join(d, '.drafts', 'report.txt'), readFileSync('corpus/002_c69c48fbe66e34e8.txt'));
        return d;
      },
      /corpus folder is empty: .*; not looked into: \.drafts\/ \(hidden\)\n/,
    ],
    [
      'a folder with no supported files',
      () => {
        const d = mkdtempSync(join(tmpdir(), 'it-nosup-'));
        writeFileSync(join(d, 'data.xlsx'), 'x');
        mkdirSync(join(d, 'sub'));
        return d;
      },
      /no supported documents/,
    ],
  ])('fails with a one-line message on %s', (_name, make, pattern) => {
    const r = run(['run', make(), '--out', join(tmpdir(), 'it-never')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('rejects bad arguments with a one-line error and non-zero exit', () => {
    const r = run(['run']);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const r2 = run(['frobnicate']);
    expect(r2.status).not.toBe(0);
  });

  it('keeps commander\'s suggestion for a mistyped option or command on its one line', () => {
    const r = run(['run', 'corpus', '--out', join(tmpdir(), 'it-never'), '--foccus', 'Hampshire']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown option '--foccus' \(Did you mean --focus\?\)/);
    const r2 = run(['runn', 'corpus']);
    expect(r2.status).toBe(2);
    expect(r2.stderr.trim()).toMatch(/unknown command 'runn' \(Did you mean run\?\)$/);
  });

  it('has --help on every command', () => {
    expect(run(['--help']).stdout).toMatch(/Usage: inspection-themes/);
    expect(run(['run', '--help']).stdout).toMatch(/--out/);
  });
});

describe('CLI: exit codes, limits, cache and progress', () => {
  const REPORT = 'Leaders know their services well. Social workers visit children regularly. However, plans are too variable.\n';
  const runIn = (cwd: string, args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });

  it('exits 3 and says "completed with N documents skipped" when documents are skipped, still writing outputs', () => {
    const d = mkdtempSync(join(tmpdir(), 'it-cli-skip-'));
    writeFileSync(join(d, 'good.txt'), REPORT);
    writeFileSync(join(d, 'empty.txt'), '');
    writeFileSync(join(d, 'broken.pdf'), '%PDF-1.4\n1 0 obj\n<< /Type /Catalog');
    const out = `${d}-out`;
    const r = run(['run', d, '--out', out, '--no-cache']);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/completed with 2 documents skipped/);
    expect(r.stderr).toMatch(/skipped empty\.txt \(empty\)/);
    expect(r.stderr).toMatch(/skipped broken\.pdf \(corrupt\)/);
    expect(r.stdout).toBe('');
    const report = JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8'));
    expect(report.skipped.map((s: { file: string; code: string }) => `${s.file}:${s.code}`)).toEqual(['broken.pdf:corrupt', 'empty.txt:empty']);
    expect(readFileSync(join(out, 'sentences.csv'), 'utf8')).toContain('good.txt');
  });

  it('exits 2 on a bad manifest, naming the line, and writes nothing', () => {
    const d = mkdtempSync(join(tmpdir(), 'it-cli-man-'));
    writeFileSync(join(d, 'a.txt'), REPORT);
    writeFileSync(join(d, 'manifest.csv'), 'file,local_authority\na.txt,Kent\n../../etc/passwd,Nowhere\n');
    const out = join(mkdtempSync(join(tmpdir(), 'it-cli-man-out-')), 'out');
    const r = run(['run', d, '--out', out]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 3: file \.\.\/\.\.\/etc\/passwd is outside the corpus folder/);
    expect(existsSync(out)).toBe(false);
  });

  it.each([['--max-pages', '0'], ['--max-file-mb', 'lots'], ['--max-sentence-chars', '-5'], ['--workers', '1.5']])('exits 2 on a bad value: %s %s', (opt, v) => {
    const r = run(['run', 'corpus', '--out', join(tmpdir(), 'it-never'), opt, v]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/expected a/);
  });

  it('applies --max-file-mb and reports the limit', () => {
    const d = mkdtempSync(join(tmpdir(), 'it-cli-lim-'));
    writeFileSync(join(d, 'a.txt'), REPORT);
    writeFileSync(join(d, 'big.txt'), REPORT.repeat(20000));
    const out = `${d}-out`;
    const r = run(['run', d, '--out', out, '--no-cache', '--max-file-mb', '1', '--quiet']);
    expect(r.status).toBe(3);
    const report = JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8'));
    expect(report.limits.maxFileBytes).toBe(1024 * 1024);
    expect(report.skipped).toEqual([expect.objectContaining({ file: 'big.txt', code: 'too_large' })]);
  });

  it('caches under .cache/inspection-themes in the current folder, or --cache-dir; --no-cache writes none', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'it-cli-cache-'));
    const corpusDir = join(process.cwd(), 'corpus');
    expect(runIn(cwd, ['run', corpusDir, '--out', 'o1', '--no-cache', '--quiet']).status).toBe(0);
    expect(existsSync(join(cwd, '.cache'))).toBe(false);
    expect(runIn(cwd, ['run', corpusDir, '--out', 'o2', '--quiet']).status).toBe(0);
    expect(existsSync(join(cwd, '.cache', 'inspection-themes'))).toBe(true);
    const r = runIn(cwd, ['run', corpusDir, '--out', 'o3', '--cache-dir', 'my-cache']);
    expect(existsSync(join(cwd, 'my-cache'))).toBe(true);
    expect(r.stderr).toMatch(/cache: 0 reused/);
    const warm = runIn(cwd, ['run', corpusDir, '--out', 'o4', '--cache-dir', 'my-cache']);
    expect(warm.stderr).toMatch(/cache: 5 reused, 0 re-tagged, 0 read, outputs reused/);
    expect(readFileSync(join(cwd, 'o4', 'sentences.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'o1', 'sentences.csv'), 'utf8'));
  });

  it('leaves out project.qdpx and inspection-themes.xlsx with --no-qdpx and --no-xlsx, and says in run_report.json what it wrote', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'it-cli-noout-'));
    const corpusDir = join(process.cwd(), 'corpus');
    const outputs = () => JSON.parse(readFileSync(join(cwd, 'o', 'run_report.json'), 'utf8')).outputs as string[];
    expect(runIn(cwd, ['run', corpusDir, '--out', 'o', '--cache-dir', 'c', '--quiet']).status).toBe(0);
    const full = outputs();
    expect(full).toEqual(expect.arrayContaining(['project.qdpx', 'inspection-themes.xlsx', 'sentences.csv', 'report.html']));
    const qdpx = readFileSync(join(cwd, 'o', 'project.qdpx'));
    const csv = readFileSync(join(cwd, 'o', 'council_themes.csv'), 'utf8');
    // Into the same folder, from the same cache: the outputs cache must not answer with the full set.
    expect(runIn(cwd, ['run', corpusDir, '--out', 'o', '--cache-dir', 'c', '--quiet', '--no-qdpx', '--no-xlsx']).status).toBe(0);
    expect(existsSync(join(cwd, 'o', 'project.qdpx'))).toBe(false);
    expect(existsSync(join(cwd, 'o', 'inspection-themes.xlsx'))).toBe(false);
    expect(outputs()).toEqual(full.filter((f) => f !== 'project.qdpx' && f !== 'inspection-themes.xlsx'));
    expect(readFileSync(join(cwd, 'o', 'council_themes.csv'), 'utf8')).toBe(csv);
    expect(runIn(cwd, ['run', corpusDir, '--out', 'o', '--cache-dir', 'c', '--quiet', '--no-xlsx']).status).toBe(0);
    expect(outputs()).toEqual(full.filter((f) => f !== 'inspection-themes.xlsx'));
    expect(readFileSync(join(cwd, 'o', 'project.qdpx')).equals(qdpx)).toBe(true);
  });

  it('prints plain progress lines on stderr when it is not a terminal, nothing on stdout', () => {
    const r = run(['run', 'corpus', '--out', mkdtempSync(join(tmpdir(), 'it-cli-prog-')), '--no-cache']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^analysing: 5\/5 documents, \d+ sentences$/m);
    expect(r.stderr).toMatch(/5 documents, \d+ sentences -> /);
  });
});

describe('CLI: bad arguments are refused before any document is read', () => {
  const NATIONAL = '../shared/corpus-ofsted-national';
  const corpusDir = existsSync(NATIONAL) ? NATIONAL : 'corpus';
  /** Runs the CLI with a fresh cache folder: a refusal before reading leaves it (and --out) uncreated. */
  const refuse = (args: string[]) => {
    const base = mkdtempSync(join(tmpdir(), 'it-early-'));
    const cache = join(base, 'cache');
    const r = run(['run', corpusDir, '--cache-dir', cache, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(cache)).toBe(false);
    return { stderr: r.stderr, base };
  };

  it('a --focus that is no council the corpus can hold, with the nearest council suggested', () => {
    const { stderr, base } = refuse(['--out', join(tmpdir(), `it-never-${process.pid}`), '--focus', 'Hamshire']);
    expect(stderr).toMatch(/^inspection-themes: --focus "Hamshire" names no English council and no council of the manifest or folder names; did you mean --focus "Hampshire"\?\n$/);
    expect(existsSync(join(tmpdir(), `it-never-${process.pid}`))).toBe(false);
    expect(refuse(['--out', join(base, 'o'), '--focus', 'Zzyzx Qqq']).stderr).toMatch(/give a council name or ONS code/);
  });

  it.each([
    ['the root folder', () => '/', /it is the root folder/],
    ['the corpus folder', () => corpusDir, /it is the corpus folder/],
    ['a folder inside the corpus', () => join(corpusDir, 'outputs-here'), /lies inside the corpus folder/],
    ['a file', () => 'package.json', /exists and is not a folder/],
  ])('--out that is %s', (_name, out, pattern) => {
    expect(refuse(['--out', out()]).stderr).toMatch(pattern);
  });
});

