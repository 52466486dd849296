import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { runPipeline } from '../src/pipeline/run.js';
import { DEFAULT_CODEBOOK_PATH } from '../src/theme/codebook.js';

/**
 * A researcher adds a theme by editing a codebook file only: the default codebook plus a
 * `covid_pandemic` theme, run over the project corpus (council reports that mention COVID-19).
 */
describe('adding a theme through a codebook file alone', () => {
  let rows: Record<string, string>[];
  const mentions = (text: string) => /\b(covid|pandemic|lockdowns?)\b/i.test(text);

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-theme-add-'));
    const json = JSON.parse(readFileSync(DEFAULT_CODEBOOK_PATH, 'utf8'));
    json.categories.push({ id: 'context', name: 'Context' });
    json.themes.push({
      id: 'covid_pandemic',
      category: 'context',
      name: 'COVID-19 pandemic',
      description: 'the pandemic and its effect on services',
      phrases: ['covid', 'pandemic', 'lockdown'],
    });
    const codebookPath = join(dir, 'my.json');
    writeFileSync(codebookPath, JSON.stringify(json, null, 2));
    const outDir = join(dir, 'out');
    await runPipeline({ corpusDir: 'corpus', outDir, codebookPath, cacheDir: null, workers: 0 });
    rows = Papa.parse<Record<string, string>>(readFileSync(join(outDir, 'sentences.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  });

  it('tags the evaluative sentences that mention the pandemic with the new theme id', () => {
    const tagged = rows.filter((r) => r.themes.split(';').includes('covid_pandemic'));
    expect(tagged.length).toBeGreaterThan(0);
    for (const r of tagged) {
      expect(mentions(r.text)).toBe(true);
      expect(r.label).not.toBe('neutral');
    }
    const missed = rows.filter((r) => mentions(r.text) && r.label !== 'neutral' && !r.themes.split(';').includes('covid_pandemic'));
    expect(missed).toEqual([]);
  });

  it('keeps the default themes working alongside the new one', () => {
    const themes = new Set(rows.flatMap((r) => r.themes.split(';').filter(Boolean)));
    expect(themes.has('strategy_discussions')).toBe(true);
    expect(themes.has('covid_pandemic')).toBe(true);
  });
});
