import type { Aggregates } from '../aggregate/index.js';
import { benchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { PeerTable } from '../aggregate/peers.js';
import type { Codebook } from '../theme/codebook.js';
import { emergingTerms } from '../aggregate/emerging.js';
import { startCharts, writeChartFiles, writeReport, type ChartRenderer } from '../render/start.js';
import { writeCsvs } from './index.js';
import { writeQdpx } from './qdpx.js';
import { writeXlsx } from './xlsx.js';
import { writeBriefing } from '../render/briefing.js';
import type { OmittedOutput } from '../types.js';

export interface OutputOptions {
  /** Council to highlight (name or ONS code); UserError when it is not in the corpus. */
  focus?: string;
  /** Statistical-neighbour table (see loadPeers). */
  peers?: PeerTable;
  /** Cells with fewer evaluative findings are marked low-count and left out of ranks (default 5). */
  minFindings?: number;
  /** When given, filled with wall-clock milliseconds per export step (benchmark). */
  timings?: Record<string, number>;
  /** When given, filled with the files not written and why (a chart over the PNG size limit). */
  omitted?: OmittedOutput[];
  /** Renders a chart's SVG and PNG elsewhere (the pipeline's worker pool); default: this thread. */
  chartRenderer?: ChartRenderer;
  /** Write project.qdpx (REFI-QDA project; default true). */
  qdpx?: boolean;
  /** Write inspection-themes.xlsx (default true). */
  xlsx?: boolean;
}

/**
 * Write every comparison output into outDir: sentences.csv, sentence_themes.csv, documents.csv, council_themes.csv,
 * inspections.csv, changes.csv, trends.csv, groups.csv, benchmark.csv, duplicates.csv, emerging_terms.csv, project.qdpx
 * (unless qdpx is false), inspection-themes.xlsx (unless xlsx is false), charts/*.vl.json|svg|png, report.html
 * and, with a focus council, briefing-<council>.html.
 * Returns the files written (relative to outDir), in a fixed order; opts.omitted gets those not written.
 */
export async function writeOutputs(agg: Aggregates, codebook: Codebook, outDir: string, opts: OutputOptions = {}): Promise<string[]> {
  const timings = opts.timings ?? {};
  let t = performance.now();
  const lap = (step: string) => {
    const now = performance.now();
    timings[step] = (timings[step] ?? 0) + now - t;
    t = now;
  };
  const bench: Benchmark = benchmark(agg, opts);
  // Charts first: their PNGs rasterise on resvg's threads while the CSVs are built here.
  const charts = await startCharts(agg, codebook, bench, opts.chartRenderer);
  lap(opts.chartRenderer ? 'charts (handed to workers)' : 'charts (SVG)');
  const emerging = emergingTerms(agg, codebook);
  lap('emerging terms');
  const written = await writeCsvs(agg, codebook, outDir, bench, emerging);
  lap('CSVs');
  if (opts.qdpx !== false) {
    written.push(await writeQdpx(agg, codebook, bench, outDir));
    lap('project.qdpx');
  }
  if (opts.xlsx !== false) {
    written.push(await writeXlsx(agg, codebook, bench, outDir, emerging));
    lap('inspection-themes.xlsx');
  }
  // The chart files before the report: the report says which charts have no PNG.
  const chartFiles = await writeChartFiles(charts, outDir);
  written.push(...chartFiles.written);
  opts.omitted?.push(...chartFiles.omitted);
  lap('waiting for charts');
  written.push(await writeReport(agg, codebook, bench, charts.defs, outDir, emerging, chartFiles.noPng));
  lap('report.html');
  const briefing = await writeBriefing(agg, codebook, bench, outDir);
  if (briefing) {
    written.push(briefing);
    lap('briefing');
  }
  return written;
}
