import { join } from 'node:path';
import type { Aggregates } from '../aggregate/index.js';
import { benchmark as computeBenchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import { writeFileAtomic } from '../util/fs.js';
import { renderSvg, svgToPngAsync, compileSpec } from './charts.js';
import { chartDefs, type ChartDef } from './specs.js';
import { reportData, reportHtmlParts } from './report.js';

export { renderSvg, svgToPng, svgToPngAsync, compileSpec } from './charts.js';
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

/**
 * PNG rasterisations running at a time (each holds a full RGBA pixmap, ~60 MB for the tallest
 * chart). One is enough: it runs on a libuv thread alongside the main thread's CSV and report work.
 */
const PNG_CONCURRENCY = 1;

/**
 * First half of writeCharts: render every chart to SVG and start rasterising the PNGs on resvg's
 * libuv threads. The returned function writes the chart files and report.html (awaiting the
 * PNGs), so callers can do other main-thread work (CSV export) while the PNGs render.
 */
export async function startCharts(agg: Aggregates, codebook: Codebook, outDir: string, bench: Benchmark = computeBenchmark(agg)): Promise<() => Promise<string[]>> {
  const charts = await renderCharts(agg, codebook, bench);
  // A small pool: chart i waits for chart i - PNG_CONCURRENCY, bounding peak memory.
  const pngs: Promise<Uint8Array>[] = [];
  charts.forEach(({ svg }, i) => {
    const before = pngs[i - PNG_CONCURRENCY];
    pngs.push(before ? before.then(() => svgToPngAsync(svg), () => svgToPngAsync(svg)) : svgToPngAsync(svg));
  });
  // Awaited below; this only stops an early failure elsewhere from being an unhandled rejection.
  for (const p of pngs) p.catch(() => undefined);
  return async () => {
    const written: string[] = [];
    for (const { def, svg } of charts) {
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.vl.json`), JSON.stringify(def.spec, null, 2) + '\n');
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.svg`), svg);
      written.push(`charts/${def.name}.vl.json`, `charts/${def.name}.svg`, `charts/${def.name}.png`);
    }
    await writeFileAtomic(join(outDir, 'report.html'), reportHtmlParts(reportData(agg, codebook, bench, charts.map((c) => c.def))));
    for (const [i, { def }] of charts.entries()) await writeFileAtomic(join(outDir, 'charts', `${def.name}.png`), await pngs[i]!);
    written.push('report.html');
    return written;
  };
}

/** Stage 6b: charts (charts/<name>.vl.json, .svg, .png) and report.html; returns files written (relative). */
export async function writeCharts(agg: Aggregates, codebook: Codebook, outDir: string, bench: Benchmark = computeBenchmark(agg)): Promise<string[]> {
  return (await startCharts(agg, codebook, outDir, bench))();
}

/** Compile-check every spec (used by tests and callers that only want the specs). */
export function compileAll(defs: ChartDef[]): void {
  for (const d of defs) compileSpec(d.spec);
}
