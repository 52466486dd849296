/**
 * Chart and report writing for the export stage. The renderer (vega, vega-lite, resvg) is loaded
 * only when charts render in this thread: when the pipeline hands them to a worker, the main
 * thread never loads it.
 */
import { join } from 'node:path';
import type { Aggregates } from '../aggregate/index.js';
import { benchmark as computeBenchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { Codebook } from '../theme/codebook.js';
import type { EmergingTerm } from '../aggregate/emerging.js';
import { writeFileAtomic } from '../util/fs.js';
import { chartDefs, type ChartDef } from './specs.js';
import { reportData, reportHtmlParts } from './report.js';

/**
 * PNG rasterisations running at a time on libuv threads when charts render in this thread,
 * alongside its SVG, CSV and report work. Each holds a full RGBA pixmap (at most ~26 MB:
 * PNG_MAX_PIXELS, or the chart's 1x size when that is larger), so two bound the extra memory.
 */
const PNG_CONCURRENCY = 2;

/** A chart's spec in, its SVG and PNG out (renderChartAsync, here or on a worker thread). */
export type ChartRenderer = (spec: ChartDef['spec']) => Promise<{ svg: string; png: Uint8Array }>;

/**
 * Render one chart to SVG and PNG (at pngZoom), the PNG rasterised on a libuv thread so this
 * thread can render the next SVG meanwhile. Same bytes wherever it runs.
 */
export async function renderChartAsync(spec: ChartDef['spec']): Promise<{ svg: string; png: Uint8Array }> {
  const { renderSvg, svgToPngAsync } = await import('./charts.js');
  const svg = await renderSvg(spec);
  return { svg, png: await svgToPngAsync(svg) };
}

/** Rows of a chart's inline data (its rendering cost grows with them). */
const dataRows = (d: ChartDef) => {
  const values = (d.spec as { data?: { values?: unknown } }).data?.values;
  return Array.isArray(values) ? values.length : 0;
};

/**
 * First half of writeCharts: start rendering every chart (SVG and PNG). The returned function
 * writes report.html (with the emerging phrases, when given) and the chart files, waiting for the
 * charts as it goes, so callers can do other work (the CSVs) meanwhile.
 *
 * Without a renderer the SVGs render here and each PNG starts on a libuv thread as soon as its SVG
 * exists. With one (the pipeline passes a worker thread), every chart is handed over at once, the
 * largest first, and this thread is free at once.
 */
export async function startCharts(
  agg: Aggregates,
  codebook: Codebook,
  outDir: string,
  bench: Benchmark = computeBenchmark(agg),
  renderer?: ChartRenderer,
): Promise<(lap?: (step: string) => void, emerging?: readonly EmergingTerm[]) => Promise<string[]>> {
  const defs = chartDefs(agg, codebook, bench);
  const svgs: Promise<string>[] = [];
  const pngs: Promise<Uint8Array>[] = [];
  if (renderer) {
    const jobs = new Array<Promise<{ svg: string; png: Uint8Array }>>(defs.length);
    const order = defs.map((d, i) => ({ i, n: dataRows(d) })).sort((a, b) => b.n - a.n || a.i - b.i);
    for (const { i } of order) jobs[i] = renderer(defs[i]!.spec);
    jobs.forEach((j, i) => {
      svgs[i] = j.then((r) => r.svg);
      pngs[i] = j.then((r) => r.png);
    });
  } else {
    const { renderSvg, svgToPngAsync } = await import('./charts.js');
    // A small pool: chart i's PNG waits for chart i - PNG_CONCURRENCY, bounding peak memory.
    for (const def of defs) {
      const svg = await renderSvg(def.spec);
      const before = pngs[svgs.length - PNG_CONCURRENCY];
      svgs.push(Promise.resolve(svg));
      pngs.push(before ? before.then(() => svgToPngAsync(svg), () => svgToPngAsync(svg)) : svgToPngAsync(svg));
    }
  }
  // Awaited below; this only stops an early failure elsewhere from being an unhandled rejection.
  for (const p of [...svgs, ...pngs]) p.catch(() => undefined);
  return async (lap = () => {}, emerging = []) => {
    const written: string[] = [];
    await writeFileAtomic(join(outDir, 'report.html'), reportHtmlParts(reportData(agg, codebook, bench, defs, emerging)));
    lap('report.html');
    for (const [i, def] of defs.entries()) {
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.vl.json`), JSON.stringify(def.spec, null, 2) + '\n');
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.svg`), await svgs[i]!);
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.png`), await pngs[i]!);
      written.push(`charts/${def.name}.vl.json`, `charts/${def.name}.svg`, `charts/${def.name}.png`);
    }
    written.push('report.html');
    lap('waiting for charts');
    return written;
  };
}
