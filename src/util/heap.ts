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
 * The same while the outputs are written. The export turns the held documents into CSV rows, XML
 * and JSON at a high rate of short-lived strings while the chart thread draws, and is where the
 * peak was: on the national corpus 1.01-1.06 GB at 30% throughout, 0.92-0.96 GB with 15% here,
 * with no measurable CPU cost (`/usr/bin/time -v`, 2026-12-04).
 */
export const EXPORT_HEAP_GROWING_PERCENT = 15;

/**
 * Cap the heap's growth factor for this process and the worker threads it starts (a V8 flag, read
 * at every full collection). Process-wide, so the CLI and the benchmark call it, not the library;
 * a notebook holding a large corpus may call it too. Returns false when the running V8 refuses
 * the flag (nothing else changes then).
 */
export function boundHeapGrowth(percent = HEAP_GROWING_PERCENT): boolean {
  if (!Number.isInteger(percent) || percent < 1) throw new Error(`heap growth must be a whole percent >= 1, not ${percent}`);
  try {
    setFlagsFromString(`--heap-growing-percent=${percent}`);
    return true;
  } catch {
    return false;
  }
}

/**
 * For runPipeline's onStage: the heap growth cap of each stage (EXPORT_HEAP_GROWING_PERCENT while
 * the outputs are written, HEAP_GROWING_PERCENT otherwise).
 */
export function boundHeapGrowthForStage(stage: string): boolean {
  return boundHeapGrowth(stage === 'export' ? EXPORT_HEAP_GROWING_PERCENT : HEAP_GROWING_PERCENT);
}
