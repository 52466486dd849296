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

/** Font files for PNG text (Debian fonts-dejavu-core); loaded explicitly so output does not depend on the system's font list. */
export const FONT_FILES = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf'];

function resvgOptions(zoom: number): ResvgRenderOptions {
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  return {
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  };
}

/**
 * PNG scale. 1.5x keeps 10-11 px chart text legible (checked by eye on the heatmap) and needs
 * ~45% fewer pixels to rasterise and encode than 2x (the balance and profile charts of a
 * 40-report corpus are ~1800 x 3600 px at 1x).
 */
export const PNG_ZOOM = 1.5;

/** Rasterise an SVG to PNG with resvg (PNG_ZOOM for legibility). */
export function svgToPng(svg: string, zoom = PNG_ZOOM): Uint8Array {
  return new Resvg(svg, resvgOptions(zoom)).render().asPng();
}

/**
 * svgToPng, with parsing and rasterising done by resvg on a libuv thread (renderAsync), so several
 * charts render in parallel and the main thread stays free; only the PNG encoding runs here.
 * Same bytes as svgToPng.
 */
export async function svgToPngAsync(svg: string, zoom = PNG_ZOOM): Promise<Uint8Array> {
  return (await renderAsync(svg, resvgOptions(zoom))).asPng();
}
