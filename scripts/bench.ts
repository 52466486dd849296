/**
 * Benchmark: `npm run bench` (build + node dist/scripts/bench.js).
 *
 * 1. Times Debian's `pdftotext` extracting the sample PDFs one after another (single thread).
 * 2. Runs the whole pipeline (CLI-equivalent, including CSVs and charts) in a fresh child
 *    process per configuration: the sample (x1) and the sample repeated four times as distinct
 *    files (x4), each cold (empty cache folder) and warm (same cache folder again).
 * 3. Prints per-stage time, documents/s and sentences/s, peak memory, the ratio to pdftotext
 *    and the acceptance checks.
 *
 * Options: --corpus <dir> (default ../shared/corpus-ofsted-sample), --no-x4, --repeat <n>
 * (median of n runs per configuration).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, existsSync(join(here, '..', 'package.json')) ? '..' : '../..');

interface ChildResult {
  wallMs: number;
  analyseWallMs: number;
  stageMs: Record<string, number>;
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
  const a = JSON.parse(argsJson) as { corpus: string; out: string; cacheDir: string };
  const { runPipeline } = await import('../src/pipeline/run.js');
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
    progress: 'none',
    onStage: (s) => {
      sample();
      stage = s;
      sample();
    },
  });
  sample();
  clearInterval(timer);
  const res: ChildResult = {
    wallMs: r.stats.wallMs,
    analyseWallMs: r.stats.analyseWallMs,
    stageMs: r.stats.stageMs,
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

function runChild(corpus: string, out: string, cacheDir: string): Promise<{ processMs: number; r: ChildResult }> {
  return new Promise((resolvePromise, reject) => {
    const t = performance.now();
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify({ corpus, out, cacheDir })], {
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
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** pdftotext over the PDFs, one after another: wall-clock ms and CPU ms (user + system). */
function pdftotext(pdfs: string[]): { wall: number; cpu: number } {
  const probe = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' });
  if (probe.error) throw new Error(`pdftotext not available: ${probe.error.message} (Debian: apt-get install poppler-utils)`);
  const t = performance.now();
  // One shell loop, so that the shell's `times` reports the CPU used by all the pdftotext children.
  const r = spawnSync('sh', ['-c', 'for f in "$@"; do pdftotext -q "$f" /dev/null; done; times', 'sh', ...pdfs], { encoding: 'utf8' });
  const wall = performance.now() - t;
  const lines = r.stdout.trim().split('\n');
  const secs = (s: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(s);
    return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN;
  };
  const kids = (lines.at(-1) ?? '').split(/\s+/);
  return { wall, cpu: secs(kids[0] ?? '') + secs(kids[1] ?? '') };
}

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

async function main(argv: string[]): Promise<void> {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const corpus = resolve(arg('--corpus') ?? join(repoRoot, '..', 'shared', 'corpus-ofsted-sample'));
  const repeat = Number(arg('--repeat') ?? 1);
  const withX4 = !argv.includes('--no-x4');
  const work = mkdtempSync(join(tmpdir(), 'it-bench-'));
  try {
    const pdfs = readdirSync(corpus).filter((n) => n.toLowerCase().endsWith('.pdf')).sort().map((n) => join(corpus, n));
    console.log(`inspection-themes benchmark: ${pdfs.length} PDFs in ${corpus}`);
    console.log(`node ${process.version}, ${availableParallelism()} cores, repeat ${repeat} (median)\n`);

    const x4 = join(work, 'x4');
    if (withX4) {
      mkdirSync(x4);
      makeX4(corpus, x4);
    }
    const p1 = Array.from({ length: repeat }, () => pdftotext(pdfs));
    const ptt1 = median(p1.map((x) => x.wall));
    const pcpu1 = median(p1.map((x) => x.cpu));
    const x4pdfs = withX4 ? readdirSync(x4).filter((n) => n.endsWith('.pdf')).map((n) => join(x4, n)) : [];
    const p4 = withX4 ? Array.from({ length: repeat }, () => pdftotext(x4pdfs)) : [];
    const ptt4 = withX4 ? median(p4.map((x) => x.wall)) : NaN;
    console.log(
      `pdftotext (poppler), sequential, single thread: x1 ${f1(ptt1 / 1000)} s wall, ${f1(pcpu1 / 1000)} s CPU (${f1(pdfs.length / (ptt1 / 1000))} docs/s)` +
        (withX4 ? `; x4 ${f1(ptt4 / 1000)} s wall` : ''),
    );
    console.log(`load average before the pipeline runs: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (other processes on the machine inflate wall times)\n`);

    const configs: { name: string; corpus: string; warm: boolean }[] = [
      { name: 'x1 cold', corpus, warm: false },
      { name: 'x1 warm', corpus, warm: true },
    ];
    if (withX4) configs.push({ name: 'x4 cold', corpus: x4, warm: false }, { name: 'x4 warm', corpus: x4, warm: true });
    const results = new Map<string, { processMs: number; r: ChildResult }>();
    for (const c of configs) {
      const runs: { processMs: number; r: ChildResult }[] = [];
      for (let i = 0; i < repeat; i++) {
        const cacheDir = join(work, `cache-${c.name.split(' ')[0]}-${i}`);
        if (!c.warm) rmSync(cacheDir, { recursive: true, force: true });
        runs.push(await runChild(c.corpus, join(work, `out-${c.name.replace(' ', '-')}-${i}`), cacheDir));
      }
      runs.sort((a, b) => a.processMs - b.processMs);
      results.set(c.name, runs[Math.floor(runs.length / 2)]);
    }

    // Per-stage table.
    const stages = ['discover', 'hash', 'ingest', 'segment', 'limits', 'tag', 'theme', 'aggregate', 'export'];
    for (const c of configs) {
      const { processMs, r } = results.get(c.name)!;
      console.log(
        `== ${c.name}: ${r.documents} documents, ${f0(r.sentences)} sentences, ${r.skipped} skipped, ${r.workers} workers; ` +
          `cache ${r.cache.analysed} reused / ${r.cache.extract} re-tagged / ${r.cache.misses} read`,
      );
      console.log(`   stage        time (ms)      docs/s   sentences/s   peak RSS`);
      for (const s of stages) {
        const ms = r.stageMs[s] ?? 0;
        const perDoc = ['ingest', 'segment', 'limits', 'tag', 'theme'].includes(s);
        const rss = perDoc ? r.stagePeakRss.analyse : r.stagePeakRss[s];
        const rate = (n: number) => (ms > 0.5 ? f0(n / (ms / 1000)) : '-');
        console.log(`   ${s.padEnd(10)} ${f0(ms).padStart(11)} ${rate(r.documents).padStart(11)} ${rate(r.sentences).padStart(13)}   ${rss ? mb(rss) : '-'}`);
      }
      const nlpMs = (r.stageMs.segment ?? 0) + (r.stageMs.limits ?? 0) + (r.stageMs.tag ?? 0) + (r.stageMs.theme ?? 0);
      console.log(
        `   analyse phase (parallel, wall) ${f0(r.analyseWallMs)} ms; pipeline in-process ${f0(r.wallMs)} ms; ` +
          `whole process ${f0(processMs)} ms = ${f1(r.documents / (processMs / 1000))} docs/s, ${f0(r.sentences / (processMs / 1000))} sentences/s`,
      );
      if (nlpMs > 0) console.log(`   NLP (segment+limits+tag+theme) per core: ${f0(r.sentences / (nlpMs / 1000))} sentences/s`);
      console.log(`   CPU time (all threads): ${f1(r.cpuMs / 1000)} s; peak memory (max RSS, process incl. worker threads): ${mb(r.maxRssBytes)}\n`);
    }

    // Summary + acceptance.
    const c1 = results.get('x1 cold')!;
    const w1 = results.get('x1 warm')!;
    const c4 = results.get('x4 cold');
    const nlp1 = ['segment', 'limits', 'tag', 'theme'].reduce((a, s) => a + (c1.r.stageMs[s] ?? 0), 0);
    const nlpRate = c1.r.sentences / (nlp1 / 1000);
    const ratio = c1.processMs / ptt1;
    const checks: [string, boolean, string][] = [
      [`x1 cold whole pipeline <= 1.5 x pdftotext`, ratio <= 1.5, `${f1(c1.processMs / 1000)} s vs ${f1(ptt1 / 1000)} s = ${ratio.toFixed(2)}x`],
      [`NLP stages >= 5,000 sentences/s per core`, nlpRate >= 5000, `${f0(nlpRate)} sentences/s`],
      [`warm x1 >= 10 x faster than cold x1`, c1.processMs / w1.processMs >= 10, `${f1(c1.processMs / 1000)} s / ${f1(w1.processMs / 1000)} s = ${f1(c1.processMs / w1.processMs)}x`],
    ];
    if (c4) {
      checks.push([`x4 cold <= 4.5 x x1 cold`, c4.processMs / c1.processMs <= 4.5, `${f1(c4.processMs / 1000)} s / ${f1(c1.processMs / 1000)} s = ${(c4.processMs / c1.processMs).toFixed(2)}x (pdftotext x4/x1 = ${(ptt4 / ptt1).toFixed(2)}x)`]);
    }
    const peak = Math.max(...[...results.values()].map((x) => x.r.maxRssBytes));
    checks.push([`peak memory < 1 GB`, peak < 1024 ** 3, mb(peak)]);
    console.log('== acceptance');
    for (const [name, ok, detail] of checks) console.log(`   ${ok ? 'PASS' : 'FAIL'}  ${name.padEnd(42)} ${detail}`);
    console.log(`\n   pipeline / pdftotext wall: x1 cold ${ratio.toFixed(2)}x, x1 warm ${(w1.processMs / ptt1).toFixed(2)}x` + (c4 ? `, x4 cold ${(c4.processMs / ptt4).toFixed(2)}x` : ''));
    console.log(`   pipeline / pdftotext CPU:  x1 cold ${(c1.r.cpuMs / pcpu1).toFixed(2)}x (pipeline CPU over ${availableParallelism()} cores would be ${(c1.r.cpuMs / availableParallelism() / pcpu1).toFixed(2)}x)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') await child(process.argv[3]);
else await main(process.argv.slice(2));
