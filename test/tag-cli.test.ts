/** `inspection-themes tag`: label a CSV of sentences (id,text[,section]). Uses the built CLI (dist/). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { tagCsv } from '../src/tag/csv.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const dir = mkdtempSync(join(tmpdir(), 'it-tag-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const INPUT = [
  'id,text,section',
  'f1,"Strategy discussions lead to the right action, but the rationale is not recorded.",Help and protection',
  'f2,Not all children who go missing are offered a return home interview.,Help and protection',
  'f3,The timeliness of initial health assessments.,What needs to improve',
  'f4,Social workers know their children well and visit them often.,Children in care',
  'f5,"=HYPERLINK(""http://example.org"")",Contact details',
].join('\n');

describe('tag CSV', () => {
  it('labels each row with label, code, confidence, evidence and clauses, in input order', () => {
    const rows = Papa.parse<Record<string, string>>(tagCsv(INPUT), { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => r.id)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(rows.map((r) => r.label)).toEqual(['mixed', 'improvement', 'improvement', 'strength', 'neutral']);
    for (const r of rows) {
      expect(Number(r.confidence)).toBeGreaterThanOrEqual(0);
      expect(Number(r.confidence)).toBeLessThanOrEqual(1);
      expect(r.evidence).not.toBe('');
    }
    expect(rows[0].clauses).toMatch(/^S: .* \| I: /);
    expect(rows[2].evidence).toMatch(/section:under: What needs to improve->I/);
    // spreadsheet formula injection is neutralised
    expect(rows[4].text.startsWith('=')).toBe(false);
  });

  it('accepts a file without the section column', () => {
    const rows = Papa.parse<Record<string, string>>(tagCsv('id,text\n1,Plans are not reviewed often enough.\n'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(1);
    expect(rows[0].label).toBe('improvement');
  });
});

describe('tag command', () => {
  it('writes CSV to stdout, or to --out', () => {
    const input = file('in.csv', INPUT);
    const r = run(['tag', input]);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('id,text,section,label,code,confidence,evidence,clauses');
    const out = join(dir, 'out.csv');
    const r2 = run(['tag', input, '--out', out]);
    expect(r2.status).toBe(0);
    expect(r2.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(r.stdout);
  });

  it.each([
    ['missing columns', 'a,b\n1,2\n', /needs columns id and text/],
    ['empty file', '', /empty CSV/],
    ['row without id', 'id,text\n,Some text.\n', /row 2 has no id/],
    ['duplicate ids', 'id,text\n1,One.\n1,Two.\n', /duplicate id/],
  ])('bad input (%s) gives a one-line error and a non-zero exit', (_name, text, re) => {
    const r = run(['tag', file(`bad-${_name.replace(/\W/g, '')}.csv`, text)]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
  });

  it('a missing file is a one-line error', () => {
    const r = run(['tag', join(dir, 'nope.csv')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
