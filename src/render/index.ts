import type { Aggregates } from '../aggregate/index.js';
import { benchmark as computeBenchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import { renderSvg, compileSpec } from './charts.js';
import { chartDefs, type ChartDef } from './specs.js';
import { startCharts, writeChartFiles, writeReport } from './start.js';

export { renderSvg, svgToPng, svgToPngAsync, compileSpec } from './charts.js';
export { startCharts, writeChartFiles, writeReport, renderChartAsync, type ChartRenderer, type ChartFilesWritten, type ChartRendering, type RenderedFiles } from './start.js';
export { pngOmission, pngZoom, PNG_LIMIT_PIXELS } from './raster.js';
export { chartDefs, heatmapSpec, balanceSpec, prevalenceSpec, profileSpec, type ChartDef } from './specs.js';
export { reportCore, reportData, reportHtml, reportHtmlPartsStreamed, reportSentences, packJson, packJsonArray, escapeHtml } from './report.js';
export type { ReportData, ReportSentence, ReportSentences } from './report.js';

export interface RenderedChart {
  def: ChartDef;
  svg: string;
}

/** Render every chart to SVG (pure; no I/O). */
export async function renderCharts(agg: Aggregates, codebook: Codebook, bench: Benchmark): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const def of chartDefs(agg, codebook, bench)) out.push({ def, svg: await renderSvg(def.spec) });
  return out;
}

/** Stage 6b: charts (charts/<name>.vl.json, .svg, .png) and report.html; returns files written (relative). */
export async function writeCharts(agg: Aggregates, codebook: Codebook, outDir: string, bench: Benchmark = computeBenchmark(agg)): Promise<string[]> {
  const charts = await startCharts(agg, codebook, bench);
  const files = await writeChartFiles(charts, outDir);
  return [...files.written, await writeReport(agg, codebook, bench, charts.defs, outDir, [], files.noPng)];
}

/** Compile-check every spec (used by tests and callers that only want the specs). */
export function compileAll(defs: ChartDef[]): void {
  for (const d of defs) compileSpec(d.spec);
}
