/**
 * Which pdfjs a worker bundle is: the build (scripts/vendor-pdfjs.ts) writes a patched copy of
 * the installed one, and the pipeline uses that copy only when it is of the installed version.
 */

/** The pdfjs version a worker bundle declares in its header (`pdfjsVersion = 5.5.207`). */
export function bundleVersion(source: string): string | undefined {
  return /pdfjsVersion = ([\w.-]+)/.exec(source.slice(0, 4000))?.[1];
}
