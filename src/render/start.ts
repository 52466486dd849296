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
import { reportCore, reportHtmlPartsStreamed, reportSentences } from './report.js';
import { pngOmission, pngZoom, svgSize, PNG_MAX_PIXELS } from './raster.js';
import type { OmittedOutput } from '../types.js';

/**
 * PNG rasterisations running at a time on libuv threads when charts render in this thread,
 * alongside its SVG, CSV and report work. Each holds a full RGBA pixmap (at most 16 MB within
 * PNG_MAX_PIXELS; a chart over it waits for the one before it, see rasterise), so two bound the extra memory.
 */
const PNG_CONCURRENCY = 2;

/** A chart's SVG, and its PNG unless the chart is over PNG_LIMIT_PIXELS. */
export interface RenderedFiles {
  svg: string;
  png: Uint8Array | null;
}

/** A chart's spec in, its SVG and PNG out (renderChartAsync, here or on a worker thread). */
export type ChartRenderer = (spec: ChartDef['spec']) => Promise<RenderedFiles>;

/**
 * PNG rasterisation of charts larger than the pixel budget (PNG_MAX_PIXELS), one at a time per
 * thread. Such a chart (the small multiples of 40 councils are 1,800 x 3,600 px at 1x) takes
 * about three times its RGBA pixmap in resvg while it renders and encodes, so two at once would
 * double the export's peak memory; charts within the budget still rasterise side by side.
 */
let largeRaster: Promise<unknown> = Promise.resolve();

/**
 * svgToPngAsync, waiting for the thread's previous over-budget chart when this one is over budget
 * too; null for a chart over PNG_LIMIT_PIXELS (pngOmission says why), which gets no PNG.
 */
async function rasterise(svg: string): Promise<Uint8Array | null> {
  if (pngOmission(svg)) return null;
  const { svgToPngAsync } = await import('./charts.js');
  const size = svgSize(svg);
  const zoom = pngZoom(svg);
  if (!size || size.width * size.height * zoom * zoom <= PNG_MAX_PIXELS) return svgToPngAsync(svg, zoom);
  const turn = largeRaster.then(() => svgToPngAsync(svg, zoom));
  largeRaster = turn.catch(() => undefined);
  return turn;
}

/**
 * Render one chart to SVG and PNG (at pngZoom; null when over PNG_LIMIT_PIXELS), the PNG
 * rasterised on a libuv thread so this thread can render the next SVG meanwhile (rasterise:
 * charts over the pixel budget one at a time). Same bytes wherever it runs.
 */
export async function renderChartAsync(spec: ChartDef['spec']): Promise<RenderedFiles> {
  const { renderSvg } = await import('./charts.js');
  const svg = await renderSvg(spec);
  return { svg, png: await rasterise(svg) };
}

/** Rows of a chart's inline data (its rendering cost grows with them). */
const dataRows = (d: ChartDef) => {
  const values = (d.spec as { data?: { values?: unknown } }).data?.values;
  return Array.isArray(values) ? values.length : 0;
};

/**
 * First half of writeCharts: start rendering every chart (SVG and PNG). The returned function
 * writes the chart files, waiting for the charts as it goes, then report.html (with the emerging
 * phrases, when given), so callers can do other work (the CSVs) meanwhile. A PNG not written (a
 * chart over PNG_LIMIT_PIXELS) goes into `omitted` with its reason, and the report says so.
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
): Promise<(lap?: (step: string) => void, emerging?: readonly EmergingTerm[], omitted?: OmittedOutput[]) => Promise<string[]>> {
  const defs = chartDefs(agg, codebook, bench);
  const svgs: Promise<string>[] = [];
  const pngs: Promise<Uint8Array | null>[] = [];
  if (renderer) {
    const jobs = new Array<Promise<RenderedFiles>>(defs.length);
    const order = defs.map((d, i) => ({ i, n: dataRows(d) })).sort((a, b) => b.n - a.n || a.i - b.i);
    for (const { i } of order) jobs[i] = renderer(defs[i]!.spec);
    jobs.forEach((j, i) => {
      svgs[i] = j.then((r) => r.svg);
      pngs[i] = j.then((r) => r.png);
    });
  } else {
    const { renderSvg } = await import('./charts.js');
    // A small pool: chart i's PNG waits for chart i - PNG_CONCURRENCY, bounding peak memory.
    for (const def of defs) {
      const svg = await renderSvg(def.spec);
      const before = pngs[svgs.length - PNG_CONCURRENCY];
      svgs.push(Promise.resolve(svg));
      pngs.push(before ? before.then(() => rasterise(svg), () => rasterise(svg)) : rasterise(svg));
    }
  }
  // Awaited below; this only stops an early failure elsewhere from being an unhandled rejection.
  for (const p of [...svgs, ...pngs]) p.catch(() => undefined);
  return async (lap = () => {}, emerging = [], omitted = []) => {
    const written: string[] = [];
    // The chart files first: the report says which charts have no PNG, which their SVG decides.
    const noPng = new Map<string, string>();
    for (const [i, def] of defs.entries()) {
      const svg = await svgs[i]!;
      const png = await pngs[i]!;
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.vl.json`), JSON.stringify(def.spec, null, 2) + '\n');
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.svg`), svg);
      written.push(`charts/${def.name}.vl.json`, `charts/${def.name}.svg`);
      const why = pngOmission(svg);
      if (png && !why) {
        await writeFileAtomic(join(outDir, 'charts', `${def.name}.png`), png);
        written.push(`charts/${def.name}.png`);
      } else {
        noPng.set(def.name, why ?? 'the renderer wrote no PNG');
        omitted.push({ file: `charts/${def.name}.png`, reason: why ?? 'the renderer wrote no PNG' });
      }
    }
    lap('waiting for charts');
    const core = reportCore(agg, codebook, bench, defs, emerging);
    for (const c of core.charts) if (noPng.has(c.name)) c.pngOmitted = noPng.get(c.name);
    await writeFileAtomic(join(outDir, 'report.html'), await reportHtmlPartsStreamed(core, reportSentences(agg, bench)));
    written.push('report.html');
    lap('report.html');
    return written;
  };
}
