import { join } from 'node:path';
import type { Aggregates } from '../aggregate/index.js';
import { benchmark as computeBenchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import { writeFileAtomic } from '../util/fs.js';
import { renderSvg, svgToPng, compileSpec } from './charts.js';
import { chartDefs, type ChartDef } from './specs.js';
import { reportData, reportHtml } from './report.js';

export { renderSvg, svgToPng, compileSpec } from './charts.js';
export { chartDefs, heatmapSpec, balanceSpec, prevalenceSpec, profileSpec, type ChartDef } from './specs.js';
export { reportData, reportHtml, scriptJson, escapeHtml } from './report.js';

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
  const written: string[] = [];
  const charts = await renderCharts(agg, codebook, bench);
  for (const { def, svg } of charts) {
    await writeFileAtomic(join(outDir, 'charts', `${def.name}.vl.json`), JSON.stringify(def.spec, null, 2) + '\n');
    await writeFileAtomic(join(outDir, 'charts', `${def.name}.svg`), svg);
    await writeFileAtomic(join(outDir, 'charts', `${def.name}.png`), svgToPng(svg));
    written.push(`charts/${def.name}.vl.json`, `charts/${def.name}.svg`, `charts/${def.name}.png`);
  }
  await writeFileAtomic(join(outDir, 'report.html'), reportHtml(reportData(agg, codebook, bench, charts.map((c) => c.def))));
  written.push('report.html');
  return written;
}

/** Compile-check every spec (used by tests and callers that only want the specs). */
export function compileAll(defs: ChartDef[]): void {
  for (const d of defs) compileSpec(d.spec);
}
