/**
 * How far the JavaScript heap may grow between full garbage collections. V8 lets the heap grow
 * to between 1.1 and 4 times what survived the last full collection before collecting again, and
 * picks a large factor while a program allocates fast, which the export does (180,000 CSV rows,
 * the report's data, chart scenegraphs). Holding the national corpus (about 200 MB of documents)
 * the main thread's heap then reached about 1 GB while a third of that was live. Capping the
 * factor at 1.3 keeps it near what is live, for about as many full collections as there are
 * stages: on the national corpus the CLI's peak RSS fell from 2.0 GB to 1.1-1.3 GB (the rest of
 * the way under 1 GB came from the charts: render/raster.ts, pipeline/run.ts ChartThread), with
 * no measurable change in wall time (`/usr/bin/time -v`, 2026-12-03).
 */
import { setFlagsFromString } from 'node:v8';

/** Heap growth between full collections, in percent of what survived the last one. */
export const HEAP_GROWING_PERCENT = 30;

/**
 * Cap the heap's growth factor for this process and the worker threads it starts (a V8 flag, read
 * at every full collection). Process-wide, so the CLI and the benchmark call it, not the library;
 * a notebook holding a large corpus may call it too. Returns false when the running V8 refuses
 * the flag (nothing else changes then).
 */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): boolean {
  try {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
    return true;
  } catch {
    return false;
  }
}
