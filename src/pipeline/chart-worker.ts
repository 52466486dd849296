/**
 * Chart worker (piscina): renders one chart to SVG and PNG (none over the PNG size limit) per task during the export, while the
 * main thread builds the CSVs and the report. Several tasks run at once in one worker: the SVGs
 * render here one after another while earlier charts' PNGs rasterise on libuv threads.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderChartAsync, type RenderedFiles } from '../render/start.js';

// Load the renderer (vega, vega-lite, resvg) as soon as the thread starts, before the first chart.
void import('../render/charts.js');

export default function chart(spec: TopLevelSpec): Promise<RenderedFiles> {
  return renderChartAsync(spec);
}
