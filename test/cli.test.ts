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

  it('has --help on every command', () => {
    expect(run(['--help']).stdout).toMatch(/Usage: inspection-themes/);
    expect(run(['run', '--help']).stdout).toMatch(/--out/);
  });
});
