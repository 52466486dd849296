import { existsSync } from 'node:fs';
import * as vl from 'vega-lite';
import * as vega from 'vega';
import { Resvg } from '@resvg/resvg-js';
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

/** Rasterise an SVG to PNG with resvg (2x for legibility). */
export function svgToPng(svg: string, zoom = 2): Uint8Array {
  const fontFiles = FONT_FILES.filter((f) => existsSync(f));
  const r = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: 'white',
    font: { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}
