import { existsSync } from 'node:fs';
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';

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

/**
 * PNG scale. 1.5x keeps 10-11 px chart text legible (checked by eye on the heatmap) and needs
 * ~45% fewer pixels to rasterise and encode than 2x.
 */
export const PNG_ZOOM = 1.5;

/**
 * Pixel budget of one PNG. The small-multiple charts (balance, profile) of a 40-council corpus
 * are ~1800 x 3600 px at 1x: at 1.5x they would be 14.5 megapixels each, which costs more to
 * rasterise and encode than the rest of the export together and makes files few viewers open
 * comfortably. A chart over the budget is scaled down towards it, but never below 1x (its text
 * then has the size the chart was designed with, as in the SVG).
 */
export const PNG_MAX_PIXELS = 4_000_000;

/** Width and height of an SVG document's root element (vega writes them as plain numbers). */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  const w = root && /\swidth="([\d.]+)"/.exec(root)?.[1];
  const h = root && /\sheight="([\d.]+)"/.exec(root)?.[1];
  return w && h ? { width: Number(w), height: Number(h) } : undefined;
}

/** The zoom a chart's PNG is rendered at: PNG_ZOOM, reduced (not below 1) to keep within PNG_MAX_PIXELS. */
export function pngZoom(svg: string): number {
  const size = svgSize(svg);
  if (!size) return PNG_ZOOM;
  const pixels = size.width * size.height;
  if (pixels * PNG_ZOOM * PNG_ZOOM <= PNG_MAX_PIXELS) return PNG_ZOOM;
  // Two decimals, so the zoom (and the PNG) does not depend on floating-point noise.
  return Math.max(1, Math.floor(Math.sqrt(PNG_MAX_PIXELS / pixels) * 100) / 100);
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
