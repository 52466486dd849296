import { readFileSync } from 'node:fs';

/**
 * CPU time of the calling thread in milliseconds, from Linux's /proc/thread-self/schedstat
 * (nanoseconds on a CPU; a worker thread reads its own). Time spent waiting for a core, while
 * other threads or processes run, is not counted, which is what a per-core throughput needs.
 * undefined where /proc is not available (other systems): callers fall back to wall-clock time.
 */
export function threadCpuMs(): number | undefined {
  if (!available) return undefined;
  try {
    const text = readFileSync('/proc/thread-self/schedstat', 'latin1');
    const ns = Number(text.slice(0, text.indexOf(' ')));
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    available = false;
    return undefined;
  }
}
let available = process.platform === 'linux';
