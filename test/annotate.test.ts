/**
 * A researcher's own coding: the annotations file (parsed and refused with the line that is
 * wrong), `run --overrides` forcing it in every output, and `run --model` refusing a folder that is
 * not a model before any document is read. Sentences are written for this test.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { normaliseText, parseAnnotations } from '../src/annotate/annotations.js';
import { UserError } from '../src/util/errors.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
const IDS = ['supervision', 'supervision_recording', 'return_home_interviews', 'missing_children', 'workforce'];

describe('annotations file', () => {
  it('reads sentence ids or texts, label codes or names, and ;-joined themes', () => {
    const csv = [
      'sentence_id,text,label,themes,section',
      'doc-a#4,,improvement,supervision_recording;supervision,What needs to improve',
      ',"Return conversations are offered to every child, and most take them up.",S,return_home_interviews; missing_children,',
      'doc-b#0,,N,,',
    ].join('\n');
    const { rows } = parseAnnotations(csv, 'mine.csv', IDS);
    expect(rows.map((r) => r.code)).toEqual(['I', 'S', 'N']);
    expect(rows[0]).toMatchObject({ line: 2, sentenceId: 'doc-a#4', themes: ['supervision_recording', 'supervision'], sectionPath: ['What needs to improve'] });
    expect(rows[1]).toMatchObject({ line: 3, text: 'Return conversations are offered to every child, and most take them up.', themes: ['return_home_interviews', 'missing_children'] });
    expect(rows[2]!.themes).toEqual([]);
  });

  it('a file without a themes column keeps the tool\'s themes (themes undefined)', () => {
    expect(parseAnnotations('text,label\nPlans are reviewed monthly.,S\n', 'x.csv', IDS).rows[0]!.themes).toBeUndefined();
  });

  it.each([
    ['a bad label', 'sentence_id,label,themes\nd#1,S,\nd#2,good,\n', /x\.csv: line 3: label "good" is not one of S, I, M, N/],
    ['an unknown theme, with the closest id', 'sentence_id,label,themes\nd#1,I,supervison\n', /line 2: unknown theme "supervison" \(did you mean supervision\?\)/],
    ['themes on a neutral sentence', 'sentence_id,label,themes\nd#1,N,workforce\n', /line 2: a neutral \(N\) sentence takes no themes/],
    ['a row naming no sentence', 'sentence_id,text,label\n,,S\n', /line 2: neither sentence_id nor text/],
    ['no label column', 'sentence_id,code\nd#1,S\n', /no "label" column/],
    ['no sentence column', 'doc,label\nd,S\n', /needs a "sentence_id" or a "text" column/],
  ])('refuses %s, naming the line', (_name, csv, message) => {
    expect(() => parseAnnotations(csv, 'x.csv', IDS)).toThrow(UserError);
    expect(() => parseAnnotations(csv, 'x.csv', IDS)).toThrow(message);
  });

  it('counts lines across a quoted field with a line break', () => {
    const csv = 'text,label\n"Supervision is regular,\nbut not recorded.",M\nThis is fine.,bad\n';
    expect(() => parseAnnotations(csv, 'x.csv', IDS)).toThrow(/line 4: label "bad"/);
  });

  it('matches texts with case, spacing and curly quotes folded', () => {
    expect(normaliseText('  Children’s  plans are\nreviewed. ')).toBe(normaliseText("children's plans are reviewed."));
  });
});

describe('run --overrides and --model', () => {
  const corpus = mkdtempSync(join(tmpdir(), 'it-ovr-'));
  const text = [
    'Ofsted inspection of children\'s services',
    '',
    'Supervision is regular and reflective, and managers record the reasons for their decisions.',
    '',
    'Direct work with children could be better.',
    '',
    'Inspectors visited the council in March.',
  ].join('\n');
  writeFileSync(join(corpus, 'letter.txt'), text);
  const rowsOf = (out: string) => Papa.parse<Record<string, string>>(readFileSync(join(out, 'sentences.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  let plain: Record<string, string>[];
  let out: string;
  let stderr: string;
  beforeAll(() => {
    const o1 = join(mkdtempSync(join(tmpdir(), 'it-ovr-out-')), 'plain');
    expect(run(['run', corpus, '--out', o1, '--quiet']).status).toBe(0);
    plain = rowsOf(o1);
    const target = plain.find((r) => r.text.startsWith('Direct work'))!;
    const overrides = join(corpus, '..', `overrides-${process.pid}.csv`);
    writeFileSync(overrides, ['sentence_id,text,label,themes', `${target.sentence_id},,I,voice_of_child`, ',inspectors visited the council  in March.,N,', ',A sentence that is in no document.,S,workforce'].join('\n'));
    out = join(mkdtempSync(join(tmpdir(), 'it-ovr-out-')), 'forced');
    const r = run(['run', corpus, '--out', out, '--overrides', overrides]);
    expect(r.status).toBe(0);
    stderr = r.stderr;
  });

  it('forces the researcher\'s label and themes, marked as such in the evidence', () => {
    const rows = rowsOf(out);
    const forced = rows.find((r) => r.text.startsWith('Direct work'))!;
    expect(forced.label).toBe('improvement');
    expect(forced.themes).toBe('voice_of_child');
    expect(Number(forced.confidence)).toBe(1);
    expect(forced.evidence).toMatch(/override.*researcher coding .*line 2/);
    const byText = rows.find((r) => r.text.startsWith('Inspectors visited'))!;
    expect(byText.label).toBe('neutral');
    // the rest is as without overrides
    const untouched = rows.find((r) => r.text.startsWith('Supervision is regular'))!;
    expect(untouched.label).toBe(plain.find((r) => r.text.startsWith('Supervision is regular'))!.label);
  });

  it('reports rows that match no sentence (nothing silently dropped)', () => {
    const report = JSON.parse(readFileSync(join(out, 'run_report.json'), 'utf8'));
    expect(report.overrides).toMatchObject({ rows: 3, applied: 2 });
    expect(report.overrides.unmatched).toEqual([{ line: 4, text: 'A sentence that is in no document.' }]);
    expect(stderr).toMatch(/line 4 matches no sentence/);
  });

  it('a bad overrides file or model folder stops the run before any document is read', () => {
    const bad = join(corpus, '..', `bad-${process.pid}.csv`);
    writeFileSync(bad, 'sentence_id,label\nletter.txt#0,excellent\n');
    const o = join(tmpdir(), `it-never-${process.pid}`);
    const r1 = run(['run', corpus, '--out', o, '--overrides', bad]);
    expect(r1.status).toBe(2);
    expect(r1.stderr.trim()).toMatch(/line 2: label "excellent"/);
    const notModel = mkdtempSync(join(tmpdir(), 'it-nomodel-'));
    mkdirSync(join(notModel, 'sub'));
    const r2 = run(['run', corpus, '--out', o, '--model', notModel]);
    expect(r2.status).toBe(2);
    expect(r2.stderr.trim().split('\n')).toHaveLength(1);
    expect(r2.stderr).toMatch(/tagger\.json is missing \(retrain with: inspection-themes train --out/);
  });
});
