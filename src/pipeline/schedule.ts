/**
 * Who analyses which document: the per-document stages run on a worker pool (piscina) or in this
 * thread. With a pool, the workers read and segment (the first stages of STAGES) and this thread
 * tags and themes what they return (finishTask), so each thread compiles only its own slice of the
 * stage list; when this thread falls behind (many cores) the next documents go to the workers
 * whole. Results are handed back in any order, each with its index.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Codebook } from '../theme/codebook.js';
import { timeoutError } from '../util/deadline.js';
import { analyseTask, fatal, finishTask, zeroTimes, type AnalyseOutcome, type AnalyseTask } from './analyse.js';

/** A document the caches did not answer. */
export interface PendingDocument {
  /** Position in the corpus listing. */
  i: number;
  task: AnalyseTask;
  /** File size in bytes (largest go first). */
  size: number;
}

/**
 * Segmented documents waiting for this thread to tag them before new reads go to the workers whole
 * (read, segment, tag and theme) instead of as reads only.
 */
const MAX_BACKLOG = 2;

/**
 * A worker task not done at this multiple of the time budget after it was handed to the pool is
 * stopped by ending its thread (the worker's own checks between steps normally stop it at the
 * budget). A task may first wait in the pool's queue behind one other (at most 1.2 x the budget),
 * hence 2 x 1.2.
 */
const HARD_TIMEOUT_FACTOR = 2.4;

/** Compiled worker entry: next to this module in dist; from src (vitest) the built copy in dist. */
export function workerPath(name: 'worker' | 'chart-worker' = 'worker'): string | undefined {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL(`../../dist/src/pipeline/${name}.js`, here) : new URL(`./${name}.js`, here);
  const p = fileURLToPath(url);
  return existsSync(p) ? p : undefined;
}

/**
 * Worker threads for `pending` documents: the number asked for (default one per core), none when
 * the compiled worker is missing, and in-process by default when fewer than 4 documents need
 * reading or when running from source.
 */
export function workerCount(pending: number, asked: number | undefined, cores: number): number {
  let workers = Math.max(0, Math.min(asked ?? cores, pending));
  if (!workerPath() || (asked === undefined && (pending < 4 || import.meta.url.endsWith('.ts')))) workers = 0;
  return workers;
}

export interface ScheduleOptions {
  workers: number;
  codebook: Codebook;
  /** Called with each document's outcome as it is done. */
  settle: (i: number, o: AnalyseOutcome) => void;
  /** Called once the last document has gone to the workers (the chart thread may start). */
  onLastDispatched?: () => void;
}

/** Analyse every pending document; resolves when all are settled. */
export async function analysePending(pending: PendingDocument[], opts: ScheduleOptions): Promise<void> {
  const { workers, codebook, settle } = opts;
  if (workers === 0) {
    for (const { i, task } of pending) settle(i, await analyseTask(task, codebook));
    opts.onLastDispatched?.();
    return;
  }
  // Largest files first, so that no worker is left with a big PDF at the end while the others
  // idle; results still go back to their place in file order.
  const order = [...pending].sort((a, b) => b.size - a.size || a.i - b.i);
  const { Piscina } = await import('piscina');
  const pool = new Piscina<AnalyseTask, AnalyseOutcome>({
    filename: workerPath()!,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 500,
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
    workerData: { codebook },
  });
  const backlog: { i: number; task: AnalyseTask; o: AnalyseOutcome }[] = [];
  const failed = (task: AnalyseTask, err: Error): AnalyseOutcome => ({ file: task.src.file, messages: [fatal('error', `worker failed: ${err.message}`, 'worker')], limitsHit: [], cache: 'miss', ms: zeroTimes() });
  const timedOut = (task: AnalyseTask): AnalyseOutcome => ({ file: task.src.file, messages: [fatal('timeout', timeoutError(task.limits.maxSecondsPerDoc, 'in one step that did not return').message, 'worker')], limitsHit: [], cache: 'miss', ms: zeroTimes() });
  let next = 0;
  let inFlight = 0;
  let settled = 0;
  let wake: (() => void) | undefined;
  const done = (i: number, o: AnalyseOutcome) => {
    settle(i, o);
    settled++;
  };
  const launch = () => {
    while (inFlight < workers * 2 && next < order.length) {
      const { i, task } = order[next++]!;
      const mode = backlog.length < MAX_BACKLOG ? 'extract' : 'full';
      inFlight++;
      // The worker checks the time budget between steps; a step that never returns is stopped here
      // (piscina ends that thread and starts another).
      const budget = task.limits.maxSecondsPerDoc;
      const signal = budget > 0 ? AbortSignal.timeout(Math.ceil(budget * 1000 * HARD_TIMEOUT_FACTOR)) : undefined;
      pool
        .run({ ...task, mode }, { signal })
        .then(
          (o) => {
            if (o.extracted) backlog.push({ i, task, o });
            else done(i, o);
          },
          (err: Error) => done(i, signal?.aborted ? timedOut(task) : failed(task, err)),
        )
        .finally(() => {
          inFlight--;
          launch();
          wake?.();
        });
    }
    if (next === order.length) opts.onLastDispatched?.();
  };
  try {
    launch();
    while (settled < order.length) {
      const item = backlog.shift();
      if (!item) {
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      let o: AnalyseOutcome;
      try {
        o = await finishTask(item.task, item.o, codebook);
      } catch (err) {
        o = { ...item.o, extracted: undefined, messages: [...item.o.messages, fatal('error', `unexpected error while tagging: ${(err as Error).message}`, 'tag')] };
      }
      done(item.i, o);
      // Let finished reads arrive (and the next ones start) before tagging the next document.
      await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    await pool.destroy();
  }
}
