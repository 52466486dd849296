/**
 * The Jupyter notebooks in notebooks/: committed with outputs cleared, and executed
 * headless on the Deno kernel (scripts/run-notebooks.py, Debian's nbclient) without
 * a cell error, their charts coming out as Vega-Lite display outputs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import * as vl from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));
const NB_DIR = join(REPO, 'notebooks');
const EXECUTOR = join(REPO, 'scripts', 'run-notebooks.py');
/** Debian's python, where python3-nbclient is installed (a pyenv/venv python3 may come first on PATH). */
const PYTHON = '/usr/bin/python3';
const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
const SAMPLE = resolve(REPO, '../shared/corpus-ofsted-sample');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
interface Cell {
  cell_type: string;
  id: string;
  source: string | string[];
  metadata: { tags?: string[] };
  execution_count?: number | null;
  outputs?: Output[];
}
interface Notebook {
  nbformat: number;
  metadata: { kernelspec?: { name: string; language?: string } };
  cells: Cell[];
}

const readNotebook = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Notebook;
const joined = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));
const codeCells = (nb: Notebook) => nb.cells.filter((c) => c.cell_type === 'code');
const cell = (nb: Notebook, id: string) => {
  const c = nb.cells.find((x) => x.id === id);
  if (!c) throw new Error(`no cell with id ${id}`);
  return c;
};
/** Text of the plain-text displays (nb.ts `say`) of a cell, one per line. */
const sayText = (c: Cell) =>
  (c.outputs ?? []).filter((o) => o.output_type === 'display_data' && o.data && Object.keys(o.data).join() === 'text/plain').map((o) => joined(o.data!['text/plain'] as string | string[]) + '\n').join('');
/** Text fallbacks of the tables (nb.ts `showTable`) a cell displayed. */
const tableTexts = (c: Cell) =>
  (c.outputs ?? []).filter((o) => o.output_type === 'display_data' && o.data && 'text/html' in o.data).map((o) => joined(o.data!['text/plain'] as string | string[]));
const displays = (c: Cell, mime: string) =>
  (c.outputs ?? []).filter((o) => (o.output_type === 'display_data' || o.output_type === 'execute_result') && o.data && mime in o.data).map((o) => o.data![mime]);
const readCsv = (path: string) => Papa.parse<Record<string, string>>(readFileSync(path, 'utf8'), { header: true, skipEmptyLines: true }).data;

type VlLogger = NonNullable<NonNullable<Parameters<typeof vl.compile>[1]>['logger']>;
/** A Vega-Lite compile logger that keeps warnings and errors instead of printing them. */
function collectingLogger(sink: string[]): VlLogger {
  const keep = (...m: unknown[]) => {
    sink.push(m.map(String).join(' '));
    return logger;
  };
  const logger = { level: () => logger, info: () => logger, debug: () => logger, warn: keep, error: keep } as unknown as VlLogger;
  return logger;
}

function runExecutor(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(PYTHON, [EXECUTOR, ...args], { cwd: REPO, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const committed = readdirSync(NB_DIR)
  .filter((f) => f.endsWith('.ipynb') && !f.endsWith('.nbconvert.ipynb'))
  .sort();

describe('committed notebooks', () => {
  it('include the two researcher notebooks', () => {
    expect(committed).toEqual(expect.arrayContaining(['compare-councils.ipynb', 'bring-your-own-corpus.ipynb']));
  });

  it.each(committed)('%s is saved with outputs cleared, on the Deno kernel', (file) => {
    const nb = readNotebook(join(NB_DIR, file));
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec?.name).toBe('deno');
    expect(codeCells(nb).length).toBeGreaterThan(2);
    for (const c of codeCells(nb)) {
      expect({ id: c.id, outputs: c.outputs, execution_count: c.execution_count }).toEqual({ id: c.id, outputs: [], execution_count: null });
    }
  });

  it.each(committed)('%s runs the pipeline through the library, not a copy of it', (file) => {
    const source = codeCells(readNotebook(join(NB_DIR, file))).map((c) => joined(c.source)).join('\n');
    expect(source).toContain('from "../dist/src/index.js"');
    expect(source).toMatch(/await runPipeline\(\{ corpusDir, outDir/);
  });
});

describe('notebooks executed headless on the Deno kernel', () => {
  let out: string;
  let run: { code: number; stdout: string; stderr: string };
  const executed = (name: string) => readNotebook(join(out, `${name}.ipynb`));

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'it-notebooks-'));
    run = await runExecutor(['--out', out]);
    // The executor's per-notebook timings, for the CI log.
    process.stdout.write(run.stdout);
  }, 1_200_000);

  it('executes every notebook without a cell error', () => {
    expect(run.code, run.stderr).toBe(0);
    for (const file of committed) expect(run.stdout).toContain(`ok    notebooks/${file}`);
    for (const file of committed) {
      const nb = executed(file.replace(/\.ipynb$/, ''));
      for (const c of codeCells(nb)) {
        expect(c.execution_count, `cell ${c.id} of ${file} did not run`).toEqual(expect.any(Number));
        expect((c.outputs ?? []).filter((o) => o.output_type === 'error')).toEqual([]);
        // The executor's output fences (see run-notebooks.py) leave nothing behind.
        expect(JSON.stringify(c.outputs)).not.toContain('nbfence-');
      }
    }
  });

  it.each(committed)('%s: every chart cell renders as a valid Vega-Lite output', (file) => {
    const nb = executed(file.replace(/\.ipynb$/, ''));
    const chartCells = nb.cells.filter((c) => c.metadata.tags?.includes('chart'));
    expect(chartCells.length).toBeGreaterThan(0);
    for (const c of chartCells) {
      const specs = displays(c, VEGA_LITE_MIME) as TopLevelSpec[];
      expect(specs.length, `cell ${c.id} shows no Vega-Lite chart`).toBeGreaterThan(0);
      for (const spec of specs) {
        const values = (spec as { data?: { values?: unknown[] } }).data?.values ?? [];
        expect(values.length, `chart in cell ${c.id} has no data`).toBeGreaterThan(0);
        const warnings: string[] = [];
        const compiled = vl.compile(spec, { logger: collectingLogger(warnings) }).spec;
        expect(compiled.marks?.length).toBeGreaterThan(0);
        expect(warnings, `Vega-Lite warnings for the chart in cell ${c.id}`).toEqual([]);
      }
    }
  });

  it('compare-councils shows the run\'s heatmap and lists the chosen theme\'s sentences for each council that has them', () => {
    const nb = executed('compare-councils');
    const runDir = join(out, 'compare-councils');
    const heatmap = JSON.parse(readFileSync(join(runDir, 'charts', 'heatmap.vl.json'), 'utf8'));
    expect(displays(cell(nb, 'heatmap'), VEGA_LITE_MIME)).toEqual([heatmap]);

    expect(tableTexts(cell(nb, 'benchmark')).length).toBe(1);

    const theme = /^theme: (\S+)/m.exec(sayText(cell(nb, 'theme-pick')))?.[1];
    expect(theme).toBeTruthy();
    const sentences = readCsv(join(runDir, 'sentences.csv')).filter((r) => r.themes.split(';').includes(theme!));
    expect(sentences.length).toBeGreaterThan(0);
    const councilsWithTheme = [...new Set(sentences.map((r) => r.council))].sort();
    const tables = tableTexts(cell(nb, 'theme-sentences'));
    const captioned = tables.map((t) => t.split(':')[0]).sort();
    expect(captioned).toEqual(councilsWithTheme);
    // Each listed sentence is one of the run's sentences on that theme.
    // sentences.csv guards cells against formula injection with a leading ' (see safeCell).
    const texts = new Set(sentences.map((r) => r.text.replace(/^'(?=[=+\-@\t\r])/, '').replace(/\s+/g, ' ').trim()));
    for (const t of tables) {
      const rows = t.split('\n').slice(2);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(texts.has(row.split('\t')[1]), row).toBe(true);
    }
  });

  it('bring-your-own-corpus reads the Ofsted sample by default and reports every document', () => {
    const nb = executed('bring-your-own-corpus');
    const runDir = join(out, 'bring-your-own-corpus');
    const expected = existsSync(SAMPLE) ? SAMPLE : join(REPO, 'corpus');
    expect(sayText(cell(nb, 'setup'))).toContain(`corpus: ${expected}\n`);
    const report = JSON.parse(readFileSync(join(runDir, 'run_report.json'), 'utf8')) as { documents: number; corpus: string };
    expect(report.corpus).toBe(expected);
    const docs = readCsv(join(runDir, 'documents.csv'));
    expect(docs.length).toBe(report.documents);
    const reportTable = tableTexts(cell(nb, 'report'))[0];
    expect(reportTable).toContain(`documents analysed\t${report.documents}`);

    expect(tableTexts(cell(nb, 'emerging')).length).toBe(1);

    // The profile is the run's own chart, narrowed to one council of the corpus.
    const councils = new Set(docs.map((d) => d.council || 'Unknown'));
    const runProfile = JSON.parse(readFileSync(join(runDir, 'charts', 'profile.vl.json'), 'utf8')) as { data: unknown };
    const shown = displays(cell(nb, 'profile'), VEGA_LITE_MIME);
    expect(shown.length).toBe(1);
    const profile = shown[0] as { data: unknown; transform: { filter: { field: string; equal: string } }[] };
    expect(profile.data).toEqual(runProfile.data);
    const council = profile.transform[0].filter.equal;
    expect(profile.transform[0].filter.field).toBe('council');
    expect(councils.has(council)).toBe(true);
    const table = tableTexts(cell(nb, 'profile'))[0];
    expect(table.startsWith(`${council} against the median council`)).toBe(true);
    const bench = readCsv(join(runDir, 'benchmark.csv')).filter((r) => r.council === council && Number(r.theme_evaluative) > 0);
    expect(table.split('\n').length - 2).toBe(Math.min(bench.length, 40));
  });
});

describe('the notebook executor', () => {
  it('fails, names the error and keeps the executed notebook when a cell throws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'it-nb-fail-'));
    const nbPath = join(dir, 'broken.ipynb');
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'deno', display_name: 'Deno', language: 'typescript' } },
      cells: [
        { cell_type: 'code', id: 'ok', metadata: {}, execution_count: null, outputs: [], source: 'const n: number = 6 * 7;\nconsole.log("logged");\nawait Deno.jupyter.display({ "text/plain": `n = ${n}` }, { raw: true });' },
        { cell_type: 'code', id: 'boom', metadata: {}, execution_count: null, outputs: [], source: 'throw new Error("deliberate failure in cell 2");' },
        { cell_type: 'code', id: 'after', metadata: {}, execution_count: null, outputs: [], source: 'console.log("not reached");' },
      ],
    };
    writeFileSync(nbPath, JSON.stringify(nb));
    const r = await runExecutor(['--out', join(dir, 'out'), nbPath]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('deliberate failure in cell 2');
    expect(r.stdout).toContain('0 notebooks ran, 1 failed');
    const done = readNotebook(join(dir, 'out', 'broken.ipynb'));
    // Outputs the Deno kernel publishes just after a cell's "idle" are kept (the executor's fence).
    expect(sayText(cell(done, 'ok'))).toBe('n = 42\n');
    expect(cell(done, 'ok').outputs?.filter((o) => o.output_type === 'stream').map((o) => joined(o.text))).toEqual(['logged\n']);
    expect(cell(done, 'boom').outputs?.some((o) => o.output_type === 'error')).toBe(true);
    expect(cell(done, 'after').execution_count).toBeNull();
  }, 120_000);
});
