/**
 * How large a chart's PNG is drawn, and when a chart is too large to draw as one: pure functions
 * of the SVG's size, so the main thread can tell what the export writes without loading resvg.
 */

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


/**
 * Largest chart, in pixels at 1x, that gets a PNG. resvg holds the whole chart as outlines plus
 * two RGBA copies of it while it renders and encodes: the small multiples of the national corpus
 * (2,000 x 13,600 px at 1x for 150 councils) took about 400 MB each, two fifths of the run's
 * memory budget, for an image no slide or page can show. A chart over the limit (small multiples
 * of more than about 90 councils) is written as SVG and Vega-Lite only, and the run report says so.
 */
export const PNG_LIMIT_PIXELS = 16_000_000;

/** Why the chart's PNG is not written (it is over PNG_LIMIT_PIXELS at 1x), or undefined when it is. */
export function pngOmission(svg: string): string | undefined {
  const size = svgSize(svg);
  if (!size || size.width * size.height <= PNG_LIMIT_PIXELS) return undefined;
  const mp = (n: number) => (Math.round(n / 100_000) / 10).toLocaleString('en-GB');
  return `${Math.round(size.width).toLocaleString('en-GB')} x ${Math.round(size.height).toLocaleString('en-GB')} px (${mp(size.width * size.height)} megapixels) at 1x is over the ${mp(PNG_LIMIT_PIXELS)}-megapixel PNG limit; the SVG and report.html show the whole chart`;
}
