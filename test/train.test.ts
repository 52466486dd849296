/**
 * Training: `npm run train` reproduces the shipped models byte for byte from ../shared/eval (the
 * shipped models are current), and `inspection-themes train --annotations` adds a researcher's
 * coding to the training data and writes a model folder that `run --model` uses. Each training
 * runs in a child process (about a minute: every source document is read). Without ../shared the
 * tests are skipped, except in CI, where they fail.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { withoutShared } from './helpers.js';

const EVAL_DIR = resolve(process.cwd(), '../shared/eval');
const node = (args: string[]) =>
  new Promise<{ code: number | null; stderr: string }>((res) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, EVAL_DIR } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => res({ code, stderr }));
  });

describe.skipIf(withoutShared(join(EVAL_DIR, 'dev.jsonl')))('training on ../shared/eval', () => {
  it('npm run train reproduces the shipped models byte for byte (the shipped models are current)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-train-'));
    const r = await node([join(process.cwd(), 'dist/scripts/train.js'), join(dir, 'tagger.json'), join(dir, 'themes.json')]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of ['tagger.json', 'themes.json']) {
      const fresh = readFileSync(join(dir, f), 'utf8');
      const shipped = readFileSync(join(process.cwd(), 'models', f), 'utf8');
      // Compare bytes; on a difference say what changed rather than print megabytes.
      if (fresh !== shipped) {
        const a = JSON.parse(fresh);
        const b = JSON.parse(shipped);
        expect({ file: f, training: a.training, featureSet: a.featureSet }, `models/${f} is stale: run npm run train`).toEqual({ file: f, training: b.training, featureSet: b.featureSet });
      }
      expect(fresh === shipped, `models/${f} differs from a fresh training: run npm run train and commit it`).toBe(true);
    }
  }, 900_000);

  it('train --annotations adds the researcher\'s coding, and run --model uses the model folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-train-ann-'));
    const ann = join(dir, 'mine.csv');
    writeFileSync(
      ann,
      [
        'text,label,themes,section',
        '"Return conversations are offered to every child who goes missing, and most take them up.",S,return_home_interviews;missing_children,Children in care',
        'The council has agreed a new timetable for its scrutiny panel.,N,,Background',
      ].join('\n'),
    );
    const out = join(dir, 'model');
    const CLI = join(process.cwd(), 'dist/src/cli.js');
    const r = await node([CLI, 'train', '--annotations', ann, '--out', out, '--eval-dir', EVAL_DIR]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2 of them yours/);
    const model = JSON.parse(readFileSync(join(out, 'tagger.json'), 'utf8'));
    expect(model.training.annotations).toMatchObject({ file: ann, units: 2 });
    expect(model.training.annotations.sha256).toMatch(/^[0-9a-f]{64}$/);
    const shipped = JSON.parse(readFileSync(join(process.cwd(), 'models', 'tagger.json'), 'utf8'));
    expect(model.training.units).toBe(shipped.training.units + 2);
    const runOut = join(dir, 'out');
    const run = await node([CLI, 'run', 'corpus', '--out', runOut, '--model', out, '--quiet', '--no-cache']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(runOut, 'run_report.json'), 'utf8')).model).toBe(out);
    // a bad annotations file is refused with its line, before any training
    writeFileSync(ann, 'text,label\nPlans are reviewed.,great\n');
    const bad = await node([CLI, 'train', '--annotations', ann, '--out', out, '--eval-dir', EVAL_DIR]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/mine\.csv: line 2: label "great"/);
  }, 900_000);
});
