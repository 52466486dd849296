/**
 * Fault test: CLI runs killed with SIGKILL at 24 points spread over reading, tagging and writing
 * (half with the cache, half without). After each kill the output folder holds either the previous
 * outputs or the complete new ones; the next run leaves no temporary folder, lock or cache temp
 * file behind and writes outputs byte-identical to a clean run's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DIR } from './hostile-fixtures.js';

const CLI = join(process.cwd(), 'dist/src/cli.js');
const POINTS = 24;

/** Files of a folder, relative, with their bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const p = join(dir, rel);
    try {
      out.set(rel, readFileSync(p));
    } catch {
      // a folder
    }
  }
  return out;
}

/** The files that differ between two snapshots ('' when none), to say what went wrong. */
function differ(a: Map<string, Buffer>, b: Map<string, Buffer>): string {
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.filter((k) => !a.get(k) || !b.get(k) || !a.get(k)!.equals(b.get(k)!)).join(', ');
}

function same(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  return differ(a, b) === '';
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so the kill points are the same every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function runCli(args: string[], cwd: string): { done: Promise<number | null>; kill: () => void } {
  const p = spawn(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore' });
  return { done: new Promise((res) => p.on('close', (code) => res(code))), kill: () => p.kill('SIGKILL') };
}

describe('SIGKILL at random points', () => {
  let dir: string;
  let corpus: string;
  let ref: Map<string, Buffer>;
  let coldMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'it-kill-'));
    corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    for (const f of ['barnsley_2023-10-27.pdf', 'southampton_2023-07-28.pdf']) copyFileSync(join(SAMPLE_DIR, f), join(corpus, f));
    for (const f of readdirSync('corpus')) copyFileSync(join('corpus', f), join(corpus, f));
    const t = performance.now();
    expect(await runCli(['run', corpus, '--out', 'ref', '--no-cache', '-q'], dir).done).toBe(0);
    coldMs = performance.now() - t;
    ref = snapshot(join(dir, 'ref'));
    // The folder the killed runs write into starts as a complete previous output.
    expect(await runCli(['run', corpus, '--out', 'out', '--no-cache', '-q'], dir).done).toBe(0);
    expect(same(snapshot(join(dir, 'out')), ref)).toBe(true);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`leaves previous or complete outputs after each of ${POINTS} kills, and the next run cleans up and matches a clean run`, async () => {
    const rnd = random(20261201);
    const states = { previous: 0, halfSwapped: 0, finishedFirst: 0 };
    // How long a run with the (filling) cache takes: the last completed one's time.
    let warmMs = coldMs;
    let kills = 0;
    for (let k = 0; kills < POINTS && k < POINTS * 2; k++) {
      const cached = k % 2 === 0;
      const args = ['run', corpus, '--out', 'out', '-q', ...(cached ? ['--cache-dir', 'cache'] : ['--no-cache']), ...(k % 3 === 0 ? ['--workers', '0'] : [])];
      // Spread over the whole run: a cold run's time without the cache, a warm one's with it
      // (after the first kills most documents are cached and such a run is mostly writing).
      const delay = Math.round(rnd() * (cached ? warmMs : coldMs) * 0.95);
      const run = runCli(args, dir);
      const timer = setTimeout(run.kill, delay);
      const code = await run.done;
      clearTimeout(timer);
      if (code !== null) {
        // Finished before the kill: a normal, complete run.
        expect(code, `run ${k}`).toBe(0);
        states.finishedFirst++;
      } else kills++;
      // After the kill: the previous outputs (identical to a clean run's), or, killed between the
      // two renames of the swap, no folder and the previous outputs whole in out.old-<pid>.
      if (existsSync(join(dir, 'out'))) {
        expect(differ(snapshot(join(dir, 'out')), ref), `kill ${k} after ${delay} ms: files of out that differ from a clean run's`).toBe('');
        if (code === null) states.previous++;
      } else {
        const old = readdirSync(dir).filter((n) => n.startsWith('out.old-'));
        expect(old, `kill ${k}: no out and no out.old-*`).toHaveLength(1);
        expect(same(snapshot(join(dir, old[0]!)), ref)).toBe(true);
        states.halfSwapped++;
      }
      // The next run completes, cleans up after the killed one and writes what a clean run writes.
      const t = performance.now();
      expect(await runCli(['run', corpus, '--out', 'out', '-q', '--cache-dir', 'cache'], dir).done, `run after kill ${k}`).toBe(0);
      warmMs = performance.now() - t;
      expect(readdirSync(dir).sort().join(' '), `after kill ${k}`).toBe('cache corpus out ref');
      expect(differ(snapshot(join(dir, 'out')), ref), `run after kill ${k}: files that differ from a clean run's`).toBe('');
      const leftovers = readdirSync(join(dir, 'cache'), { recursive: true, encoding: 'utf8' }).filter((n) => /\.tmp(-\d+)?$/.test(n));
      expect(leftovers, `cache temp files after kill ${k}`).toEqual([]);
    }
    expect(kills).toBe(POINTS);
    console.log(`${kills} kills (cold run ${Math.round(coldMs)} ms, warm ${Math.round(warmMs)} ms): ${JSON.stringify(states)}`);
  }, 900_000);
});
