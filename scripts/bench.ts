/**
 * Benchmark: `npm run bench` (build + node dist/scripts/bench.js).
 *
 * 1. Times Debian's `pdftotext` extracting the sample PDFs one after another (single thread).
 * 2. Runs the whole pipeline (CLI-equivalent, including CSVs and charts) in a fresh child
 *    process per configuration: the sample (x1) and the sample repeated four times as distinct
 *    files (x4), each cold (empty cache folder) and warm (same cache folder again).
 * 3. Prints per-stage time, documents/s and sentences/s, peak memory, the ratio to pdftotext
 *    and the acceptance checks.
 * 4. When ../shared/corpus-ofsted-national is there: pdftotext over its PDFs, the pipeline cold
 *    and warm once, peak memory and the size of report.html, with their targets; then one long
 *    text document (every national PDF as `pdftotext -layout` writes it, one after another: about
 *    26 MB and 190,000 sentences), cold, and its peak memory.
 *
 * Options: --corpus <dir> (default ../shared/corpus-ofsted-sample), --no-x4, --no-national,
 * --no-long (skip the long text document), --workers <n> (pool
 * size, as the CLI option; default the pipeline's), --repeat <n>
 * (default 3; each repetition runs pdftotext and the pipeline back to back, and the repetition
 * with the median pipeline/pdftotext ratio is reported, so that drifting machine load affects
 * both sides of a ratio alike).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdftotext } from './pdftotext.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, existsSync(join(here, '..', 'package.json')) ? '..' : '../..');
const NATIONAL = join(repoRoot, '..', 'shared', 'corpus-ofsted-national');

interface ChildResult {
  wallMs: number;
  analyseWallMs: number;
  stageMs: Record<string, number>;
  stageCpuMs: Partial<Record<string, number>>;
  exportMs: Record<string, number>;
  stagePeakRss: Record<string, number>;
  maxRssBytes: number;
  /** CPU time of the whole child process (all threads), ms. */
  cpuMs: number;
  documents: number;
  sentences: number;
  skipped: number;
  workers: number;
  cache: { analysed: number; extract: number; misses: number };
}

// ---------------------------------------------------------------- child mode
async function child(argsJson: string): Promise<void> {
  const a = JSON.parse(argsJson) as { corpus: string; out: string; cacheDir: string; workers?: number; maxPages?: number };
  const { runPipeline } = await import('../src/pipeline/run.js');
  // As the CLI's `run` does.
  const heap = await import('../src/util/heap.js');
  heap.boundHeapGrowth();
  const stagePeakRss: Record<string, number> = {};
  let stage = 'startup';
  const sample = () => {
    const rss = process.memoryUsage.rss();
    stagePeakRss[stage] = Math.max(stagePeakRss[stage] ?? 0, rss);
  };
  const timer = setInterval(sample, 20);
  const r = await runPipeline({
    corpusDir: a.corpus,
    outDir: a.out,
    cacheDir: a.cacheDir,
    workers: a.workers,
    ...(a.maxPages ? { limits: { maxPages: a.maxPages } } : {}),
    progress: 'none',
    onStage: (s) => {
      sample();
      stage = s;
      heap.boundHeapGrowthForStage(s);
      sample();
    },
  });
  sample();
  clearInterval(timer);
  const res: ChildResult = {
    wallMs: r.stats.wallMs,
    analyseWallMs: r.stats.analyseWallMs,
    stageMs: r.stats.stageMs,
    stageCpuMs: r.stats.stageCpuMs,
    exportMs: r.stats.exportMs,
    stagePeakRss,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    cpuMs: (process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1000,
    documents: r.stats.documents,
    sentences: r.stats.sentences,
    skipped: r.report.skipped.length,
    workers: r.stats.workers,
    cache: r.stats.cache,
  };
  process.stdout.write('BENCH_RESULT ' + JSON.stringify(res) + '\n');
}

function runChild(corpus: string, out: string, cacheDir: string, workers?: number, maxPages?: number): Promise<{ processMs: number; r: ChildResult }> {
  return new Promise((resolvePromise, reject) => {
    const t = performance.now();
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify({ corpus, out, cacheDir, workers, maxPages })], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, DOTENV_CONFIG_QUIET: 'true' },
    });
    let stdout = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.on('error', reject);
    p.on('close', (code) => {
      const processMs = performance.now() - t;
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`bench child failed (exit ${code})`));
      resolvePromise({ processMs, r: JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult });
    });
  });
}

// ---------------------------------------------------------------- parent

/** The sample repeated four times as distinct files (bytes appended after %%EOF keep PDFs valid). */
function makeX4(src: string, dest: string): void {
  const manifest = existsSync(join(src, 'manifest.csv')) ? readFileSync(join(src, 'manifest.csv'), 'utf8').trim().split(/\r?\n/) : [];
  const rows: string[] = manifest.length ? [manifest[0]] : [];
  for (const name of readdirSync(src).filter((n) => n.toLowerCase().endsWith('.pdf')).sort()) {
    for (let k = 1; k <= 4; k++) {
      const copy = name.replace(/\.pdf$/i, `_copy${k}.pdf`);
      copyFileSync(join(src, name), join(dest, copy));
      appendFileSync(join(dest, copy), `\n% benchmark copy ${k}\n`);
      const row = manifest.find((l) => l.startsWith(name + ','));
      if (row) rows.push(copy + row.slice(name.length));
    }
  }
  if (rows.length) writeFileSync(join(dest, 'manifest.csv'), rows.join('\n') + '\n');
}

const f1 = (x: number) => x.toFixed(1);
const f0 = (x: number) => Math.round(x).toLocaleString('en-GB');
const mb = (b: number) => `${Math.round(b / 1024 / 1024)} MB`;

const NLP_STAGES = ['segment', 'limits', 'tag', 'theme'];
const PER_DOC = ['ingest', 'segment', 'limits', 'tag', 'theme', 'terms'];
const STAGES = ['discover', 'hash', ...PER_DOC, 'aggregate', 'export'];

/** Sentences per second of the NLP stages per core: on thread CPU time where known, else on summed wall time. */
function nlpRate(r: ChildResult): { rate: number; basis: 'CPU' | 'wall' } {
  const cpu = NLP_STAGES.map((s) => r.stageCpuMs[s]);
  if (cpu.every((x) => x !== undefined)) return { rate: r.sentences / ((cpu as number[]).reduce((a, b) => a + b, 0) / 1000), basis: 'CPU' };
  return { rate: r.sentences / (NLP_STAGES.reduce((a, s) => a + (r.stageMs[s] ?? 0), 0) / 1000), basis: 'wall' };
}

interface Rep {
  ptt: { wall: number; cpu: number };
  cold: { processMs: number; r: ChildResult };
  warm: { processMs: number; r: ChildResult };
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const corpus = resolve(arg('--corpus') ?? join(repoRoot, '..', 'shared', 'corpus-ofsted-sample'));
  const repeat = Math.max(1, Number(arg('--repeat') ?? 3));
  const withX4 = !argv.includes('--no-x4');
  const workers = arg('--workers') === undefined ? undefined : Number(arg('--workers'));
  const work = mkdtempSync(join(tmpdir(), 'it-bench-'));
  try {
    const pdfs = readdirSync(corpus).filter((n) => n.toLowerCase().endsWith('.pdf')).sort().map((n) => join(corpus, n));
    console.log(`inspection-themes benchmark: ${pdfs.length} PDFs in ${corpus}`);
    console.log(`node ${process.version}, ${availableParallelism()} cores, ${repeat} repetition(s); each repetition times pdftotext and then the pipeline (cold, then warm) back to back, and ratios are taken within a repetition`);
    console.log(`load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other processes on the machine inflate wall times)\n`);

    const x4 = join(work, 'x4');
    if (withX4) {
      mkdirSync(x4);
      makeX4(corpus, x4);
    }
    const x4pdfs = withX4 ? readdirSync(x4).filter((n) => n.endsWith('.pdf')).sort().map((n) => join(x4, n)) : [];
    const sizes = withX4 ? ([['x1', corpus, pdfs], ['x4', x4, x4pdfs]] as const) : ([['x1', corpus, pdfs]] as const);
    const reps = new Map<string, Rep[]>(sizes.map(([name]) => [name, []]));
    for (let i = 0; i < repeat; i++) {
      for (const [name, dir, files] of sizes) {
        const ptt = pdftotext([...files]);
        const cacheDir = join(work, `cache-${name}-${i}`);
        const cold = await runChild(dir, join(work, `out-${name}-cold-${i}`), cacheDir, workers);
        const warm = await runChild(dir, join(work, `out-${name}-warm-${i}`), cacheDir, workers);
        rmSync(cacheDir, { recursive: true, force: true });
        reps.get(name)!.push({ ptt, cold, warm });
        console.log(
          `   repetition ${i + 1} ${name}: pdftotext ${f1(ptt.wall / 1000)} s, pipeline cold ${f1(cold.processMs / 1000)} s (${(cold.processMs / ptt.wall).toFixed(2)}x), warm ${f1(warm.processMs / 1000)} s`,
        );
      }
    }
    console.log('');
    /** The repetition with the median cold/pdftotext ratio (its figures are printed). */
    const pick = (name: string): Rep => {
      const rs = [...reps.get(name)!].sort((a, b) => a.cold.processMs / a.ptt.wall - b.cold.processMs / b.ptt.wall);
      return rs[Math.floor(rs.length / 2)]!;
    };

    for (const [name] of sizes) {
      const rep = pick(name);
      console.log(`pdftotext (poppler), sequential, single thread, ${name}: ${f1(rep.ptt.wall / 1000)} s wall, ${f1(rep.ptt.cpu / 1000)} s CPU (${f1((name === 'x1' ? pdfs.length : x4pdfs.length) / (rep.ptt.wall / 1000))} docs/s)`);
      for (const [kind, { processMs, r }] of [['cold', rep.cold], ['warm', rep.warm]] as const) {
        console.log(
          `== ${name} ${kind}: ${r.documents} documents, ${f0(r.sentences)} sentences, ${r.skipped} skipped, ${r.workers} workers; ` +
            `cache ${r.cache.analysed} reused / ${r.cache.extract} re-tagged / ${r.cache.misses} read`,
        );
        console.log(`   stage      wall (ms)   CPU (ms)      docs/s   sentences/s   peak RSS`);
        for (const s of STAGES) {
          const ms = r.stageMs[s] ?? 0;
          const cpu = r.stageCpuMs[s];
          const perDoc = PER_DOC.includes(s);
          const basis = perDoc && cpu !== undefined ? cpu : ms;
          const rss = perDoc ? r.stagePeakRss.analyse : r.stagePeakRss[s];
          const rate = (n: number) => (basis > 0.5 ? f0(n / (basis / 1000)) : '-');
          console.log(
            `   ${s.padEnd(9)} ${f0(ms).padStart(10)} ${(perDoc && cpu !== undefined ? f0(cpu) : '').padStart(10)} ${rate(r.documents).padStart(11)} ${rate(r.sentences).padStart(13)}   ${rss ? mb(rss) : '-'}`,
          );
        }
        const steps = Object.entries(r.exportMs);
        if (steps.length) console.log(`   export steps (wall ms): ${steps.map(([k, v]) => `${k} ${f0(v)}`).join(', ')}`);
        console.log(
          `   analyse phase (parallel, wall) ${f0(r.analyseWallMs)} ms; pipeline in-process ${f0(r.wallMs)} ms; ` +
            `whole process ${f0(processMs)} ms = ${f1(r.documents / (processMs / 1000))} docs/s, ${f0(r.sentences / (processMs / 1000))} sentences/s`,
        );
        if (kind === 'cold') {
          const { rate, basis } = nlpRate(r);
          console.log(`   NLP (segment+limits+tag+theme) per core: ${f0(rate)} sentences/s (on ${basis} time)`);
        }
        console.log(`   CPU time (all threads): ${f1(r.cpuMs / 1000)} s; peak memory (max RSS, process incl. worker threads): ${mb(r.maxRssBytes)}\n`);
      }
    }
    console.log('   per-document stages: wall = summed over documents and threads; CPU = the analysing thread\'s own CPU time');
    console.log('   (Linux schedstat; excludes time spent waiting for a core, and zlib work pdfjs hands to libuv threads). Rates use CPU where shown.\n');

    // Acceptance, on the median repetition.
    const r1 = pick('x1');
    const ratios = reps.get('x1')!.map((r) => r.cold.processMs / r.ptt.wall);
    const ratio = r1.cold.processMs / r1.ptt.wall;
    const nlp = nlpRate(r1.cold.r);
    const checks: [string, boolean, string][] = [
      [`x1 cold whole pipeline <= 1.2 x pdftotext`, ratio <= 1.2, `${f1(r1.cold.processMs / 1000)} s vs ${f1(r1.ptt.wall / 1000)} s = ${ratio.toFixed(2)}x (median; all: ${ratios.map((x) => x.toFixed(2)).join(', ')})`],
      [`NLP stages >= 5,000 sentences/s per core`, nlp.rate >= 5000, `${f0(nlp.rate)} sentences/s (${nlp.basis} time)`],
      [`warm x1 >= 10 x faster than cold x1`, r1.cold.processMs / r1.warm.processMs >= 10, `${f1(r1.cold.processMs / 1000)} s / ${f1(r1.warm.processMs / 1000)} s = ${f1(r1.cold.processMs / r1.warm.processMs)}x`],
    ];
    if (withX4) {
      const r4 = pick('x4');
      const lin = reps.get('x4')!.map((r, i) => r.cold.processMs / reps.get('x1')![i]!.cold.processMs).sort((a, b) => a - b);
      const g = lin[Math.floor(lin.length / 2)]!;
      checks.push([`x4 cold <= 4.5 x x1 cold`, g <= 4.5, `${g.toFixed(2)}x (median over repetitions; pdftotext x4/x1 = ${(r4.ptt.wall / r1.ptt.wall).toFixed(2)}x)`]);
    }
    const peak = Math.max(...[...reps.values()].flat().flatMap((x) => [x.cold.r.maxRssBytes, x.warm.r.maxRssBytes]));
    checks.push([`peak memory < 1 GB`, peak < 1024 ** 3, `${mb(peak)} (largest of all runs)`]);
    console.log('== acceptance');
    for (const [name, ok, detail] of checks) console.log(`   ${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(42)} ${detail}`);
    console.log(`\n   pipeline / pdftotext CPU: x1 cold ${(r1.cold.r.cpuMs / r1.ptt.cpu).toFixed(2)}x (the pipeline's CPU time spread over ${availableParallelism()} cores would be ${(r1.cold.r.cpuMs / availableParallelism() / r1.ptt.cpu).toFixed(2)}x)`);
    if (existsSync(join(NATIONAL, 'manifest.csv')) && !argv.includes('--no-national')) {
      await national(work, workers);
      if (!argv.includes('--no-long')) await longDocument(work, workers);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The national corpus (../shared/corpus-ofsted-national, 430 reports), once: pdftotext over its
 * PDFs, then the pipeline cold and warm; time, ratio to pdftotext, peak memory and report size.
 */
async function national(work: string, workers?: number): Promise<void> {
  const pdfs = readdirSync(NATIONAL).filter((n) => n.toLowerCase().endsWith('.pdf')).sort().map((n) => join(NATIONAL, n));
  console.log(`\n== national corpus: ${pdfs.length} PDFs in ${NATIONAL} (one repetition)`);
  const ptt = pdftotext(pdfs);
  const cacheDir = join(work, 'cache-national');
  const out = join(work, 'out-national');
  const cold = await runChild(NATIONAL, out, cacheDir, workers);
  const report = statSync(join(out, 'report.html')).size;
  const warm = await runChild(NATIONAL, out, cacheDir, workers);
  rmSync(cacheDir, { recursive: true, force: true });
  const peak = Math.max(cold.r.maxRssBytes, warm.r.maxRssBytes);
  console.log(`   pdftotext ${f1(ptt.wall / 1000)} s wall (${f1(ptt.cpu / 1000)} s CPU); pipeline cold ${f1(cold.processMs / 1000)} s (${cold.r.documents} documents, ${f0(cold.r.sentences)} sentences, ${cold.r.skipped} skipped), warm ${f1(warm.processMs / 1000)} s`);
  const steps = Object.entries(cold.r.exportMs);
  if (steps.length) console.log(`   cold export steps (wall ms): ${steps.map(([k, v]) => `${k} ${f0(v)}`).join(', ')}`);
  const checks: [string, boolean, string][] = [
    ['national cold <= 0.5 x pdftotext', cold.processMs <= 0.5 * ptt.wall, `${f1(cold.processMs / 1000)} s vs ${f1(ptt.wall / 1000)} s = ${(cold.processMs / ptt.wall).toFixed(2)}x`],
    ['national warm re-run <= 5 s', warm.processMs <= 5000, `${f1(warm.processMs / 1000)} s`],
    ['national peak memory <= 1 GB', peak <= 1024 ** 3, `${mb(peak)} (cold ${mb(cold.r.maxRssBytes)}, warm ${mb(warm.r.maxRssBytes)})`],
    ['national report.html <= 25 MB', report <= 25 * 1e6, `${f1(report / 1e6)} MB`],
  ];
  for (const [name, ok, detail] of checks) console.log(`   ${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(42)} ${detail}`);
}

/** `pdftotext -layout` of PDFs one after another into one file, in two parallel halves (then joined in order). */
async function layoutText(pdfs: string[], dest: string): Promise<void> {
  const half = Math.ceil(pdfs.length / 2);
  const parts = [pdfs.slice(0, half), pdfs.slice(half)].map((list, k) => ({ list, file: `${dest}.${k}` }));
  await Promise.all(
    parts.map(
      ({ list, file }) =>
        new Promise<void>((done, fail) => {
          const p = spawn('sh', ['-c', 'out=$1; shift; for f in "$@"; do pdftotext -q -layout "$f" -; done > "$out"', 'sh', file, ...list], { stdio: 'ignore' });
          p.on('error', fail);
          p.on('close', (code) => (code === 0 ? done() : fail(new Error(`pdftotext -layout failed (exit ${code})`))));
        }),
    ),
  );
  writeFileSync(dest, Buffer.concat(parts.map(({ file }) => readFileSync(file))));
  for (const { file } of parts) rmSync(file);
}

/**
 * One long text document: every national PDF as `pdftotext -layout` writes it, one after another
 * in one .txt file (about 26 MB, 190,000 sentences), analysed cold. Memory must not grow with the
 * number of sentences of a document: peak RSS <= 1 GB, as for the whole corpus.
 */
async function longDocument(work: string, workers?: number): Promise<void> {
  const pdfs = readdirSync(NATIONAL).filter((n) => n.toLowerCase().endsWith('.pdf')).sort().map((n) => join(NATIONAL, n));
  const dir = join(work, 'long');
  mkdirSync(dir);
  const file = join(dir, 'national-layout.txt');
  await layoutText(pdfs, file);
  const size = statSync(file).size;
  console.log(`\n== one long text document: the ${pdfs.length} national PDFs as pdftotext -layout text in one file (${f1(size / 1e6)} MB)`);
  const cold = await runChild(dir, join(work, 'out-long'), join(work, 'cache-long'), workers, 100_000);
  rmSync(join(work, 'cache-long'), { recursive: true, force: true });
  console.log(`   pipeline cold ${f1(cold.processMs / 1000)} s (${f0(cold.r.sentences)} sentences, ${cold.r.skipped} skipped)`);
  const peaks = Object.entries(cold.r.stagePeakRss);
  if (peaks.length) console.log(`   peak RSS by step: ${peaks.map(([k, v]) => `${k} ${mb(v)}`).join(', ')}`);
  const ok = cold.r.maxRssBytes <= 1024 ** 3 && cold.r.skipped === 0;
  console.log(`   ${ok ? 'PASS' : 'FAIL'}  ${'long document peak memory <= 1 GB'.padEnd(42)} ${mb(cold.r.maxRssBytes)}${cold.r.skipped ? ` (${cold.r.skipped} skipped!)` : ''}`);
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main(process.argv.slice(2));
