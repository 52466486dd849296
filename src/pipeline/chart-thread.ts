/**
 * The export's chart-rendering thread (piscina, chart-worker.ts): started once the last document
 * has gone to the readers, handed every chart at once, ended as soon as its last chart is drawn.
 */
import type { RenderedFiles } from '../render/start.js';

/**
 * Charts one chart thread renders at a time: two, so that one chart's PNG rasterises (on a libuv
 * thread) while the next one's SVG is drawn; more would hold more scenegraphs at once (the
 * heatmap of 150 councils is about 4,600 cells in three layers).
 */
const CHART_TASKS_PER_THREAD = 2;

/** The chart-rendering thread of the export (started once the last document has gone to the readers). */
export class ChartThread {
  #pool: import('piscina').Piscina | undefined;
  #starting: Promise<void> | undefined;
  #inFlight = 0;
  #stopping: Promise<void> | undefined;
  constructor(
    readonly file: string | undefined,
    readonly cores: number,
  ) {}
  start(): Promise<void> {
    this.#starting ??= (async () => {
      if (!this.file) return;
      const { Piscina } = await import('piscina');
      this.#pool = new Piscina({ filename: this.file, minThreads: 1, maxThreads: Math.min(2, Math.max(1, this.cores - 1)), concurrentTasksPerWorker: CHART_TASKS_PER_THREAD, idleTimeout: 500 });
    })();
    return this.#starting;
  }
  /**
   * Hands a chart to the thread. The export hands over every chart at once (startCharts), so the
   * thread ends as soon as none is left in flight: its heap and resvg's buffers (about 300 MB on
   * the national corpus) are freed while the main thread still writes the CSVs and the report.
   */
  renderer(): ((spec: unknown) => Promise<RenderedFiles>) | undefined {
    const pool = this.#pool;
    if (!pool) return undefined;
    return (spec: unknown) => {
      this.#inFlight++;
      return (pool.run(spec) as Promise<RenderedFiles>).finally(() => {
        if (--this.#inFlight === 0) this.stop().catch(() => undefined);
      });
    };
  }
  /** End the thread (once: later calls wait for the first). */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#starting;
      const pool = this.#pool;
      this.#pool = undefined;
      await pool?.destroy();
    })();
    return this.#stopping;
  }
}
