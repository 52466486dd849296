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

/** Charts being rendered: their definitions, and each one's files as they are made (same order). */
export interface ChartRendering {
  defs: ChartDef[];
  files: Promise<RenderedFiles>[];
}

/** What writing the chart files did: the files written, and the charts that got no PNG, with why. */
export interface ChartFilesWritten {
  written: string[];
  omitted: OmittedOutput[];
  /** Chart name -> why it has no PNG (the report says so). */
  noPng: Map<string, string>;
}

/**
 * Start rendering every chart (SVG and PNG) and return at once with the renderings under way, so
 * that the caller can do other work (the CSVs) before writeChartFiles waits for them.
 *
 * Without a renderer the SVGs render here and each PNG starts on a libuv thread as soon as its SVG
 * exists. With one (the pipeline passes a worker thread), every chart is handed over at once, the
 * largest first, and this thread is free at once.
 */
export async function startCharts(agg: Aggregates, codebook: Codebook, bench: Benchmark = computeBenchmark(agg), renderer?: ChartRenderer): Promise<ChartRendering> {
  const defs = chartDefs(agg, codebook, bench);
  const files = new Array<Promise<RenderedFiles>>(defs.length);
  if (renderer) {
    const order = defs.map((d, i) => ({ i, n: dataRows(d) })).sort((a, b) => b.n - a.n || a.i - b.i);
    for (const { i } of order) files[i] = renderer(defs[i]!.spec);
  } else {
    const { renderSvg } = await import('./charts.js');
    // A small pool: chart i's PNG waits for chart i - PNG_CONCURRENCY, bounding peak memory.
    const pngs: Promise<Uint8Array | null>[] = [];
    for (const [i, def] of defs.entries()) {
      const svg = await renderSvg(def.spec);
      const before = pngs[i - PNG_CONCURRENCY];
      pngs.push(before ? before.then(() => rasterise(svg), () => rasterise(svg)) : rasterise(svg));
      files[i] = pngs[i]!.then((png) => ({ svg, png }));
    }
  }
  // Awaited by writeChartFiles; this only stops an early failure elsewhere from being an unhandled rejection.
  for (const p of files) p.catch(() => undefined);
  return { defs, files };
}

/**
 * Write the chart files (charts/<name>.vl.json, .svg, .png), waiting for each chart in turn. A PNG
 * not written (a chart over PNG_LIMIT_PIXELS) is returned in `omitted` with its reason.
 */
export async function writeChartFiles(charts: ChartRendering, outDir: string): Promise<ChartFilesWritten> {
  const out: ChartFilesWritten = { written: [], omitted: [], noPng: new Map() };
  for (const [i, def] of charts.defs.entries()) {
    const { svg, png } = await charts.files[i]!;
    await writeFileAtomic(join(outDir, 'charts', `${def.name}.vl.json`), JSON.stringify(def.spec, null, 2) + '\n');
    await writeFileAtomic(join(outDir, 'charts', `${def.name}.svg`), svg);
    out.written.push(`charts/${def.name}.vl.json`, `charts/${def.name}.svg`);
    const why = pngOmission(svg);
    if (png && !why) {
      await writeFileAtomic(join(outDir, 'charts', `${def.name}.png`), png);
      out.written.push(`charts/${def.name}.png`);
    } else {
      out.noPng.set(def.name, why ?? 'the renderer wrote no PNG');
      out.omitted.push({ file: `charts/${def.name}.png`, reason: why ?? 'the renderer wrote no PNG' });
    }
  }
  return out;
}

/**
 * Write report.html: the charts (saying which have no PNG: `noPng`, from writeChartFiles), the
 * emerging phrases, and the sentences, made and compressed a council at a time.
 */
export async function writeReport(agg: Aggregates, codebook: Codebook, bench: Benchmark, defs: ChartDef[], outDir: string, emerging: readonly EmergingTerm[] = [], noPng: ReadonlyMap<string, string> = new Map()): Promise<string> {
  const core = reportCore(agg, codebook, bench, defs, emerging);
  for (const c of core.charts) if (noPng.has(c.name)) c.pngOmitted = noPng.get(c.name);
  await writeFileAtomic(join(outDir, 'report.html'), await reportHtmlPartsStreamed(core, reportSentences(agg, bench)));
  return 'report.html';
}
