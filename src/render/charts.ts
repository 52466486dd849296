import { existsSync } from 'node:fs';
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { pngZoom } from './raster.js';

export { PNG_ZOOM, PNG_MAX_PIXELS, PNG_LIMIT_PIXELS, svgSize, pngZoom, pngOmission } from './raster.js';

/** Compile a Vega-Lite spec with vega-lite (throws on an invalid spec). */
export function compileSpec(spec: TopLevelSpec): vega.Spec {
  return vl.compile(spec).spec;
}

/** Compile a Vega-Lite spec with vega-lite and render it headless with vega to SVG. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec)), { renderer: 'none' });
  try {
    return stableIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Vega numbers gradient and clip-path ids with process-wide counters, so the same chart rendered
 * twice in one process differs. Renumber them per document, in order of first appearance.
 */
export function stableIds(svg: string): string {
  const map = new Map<string, string>();
  return svg.replace(/\b(gradient_|clip|pattern_)(\d+)\b/g, (m, prefix: string) => {
    if (!map.has(m)) map.set(m, `${prefix}${[...map.keys()].filter((k) => k.startsWith(prefix)).length}`);
    return map.get(m)!;
  });
}

/**
 * Font files for PNG text (Debian fonts-liberation: Liberation Sans, metrically compatible with
 * Arial), loaded explicitly so output does not depend on the system's font list. resvg parses the
 * font for every text element it shapes, and Liberation Sans is a fifth of the size of DejaVu Sans:
 * text-heavy charts rasterise about three times faster.
 */
export const FONT_FILES = ['/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf'];

function resvgOptions(zoom: number): ResvgRenderOptions {
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  return {
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans' },
  };
}

/** Rasterise an SVG to PNG with resvg (at pngZoom unless a zoom is given). */
export function svgToPng(svg: string, zoom = pngZoom(svg)): Uint8Array {
  return new Resvg(svg, resvgOptions(zoom)).render().asPng();
}

/**
 * svgToPng, with parsing and rasterising done by resvg on a libuv thread (renderAsync), so several
 * charts render in parallel and the main thread stays free; only the PNG encoding runs here.
 * Same bytes as svgToPng.
 */
export async function svgToPngAsync(svg: string, zoom = pngZoom(svg)): Promise<Uint8Array> {
  return (await renderAsync(svg, resvgOptions(zoom))).asPng();
}
