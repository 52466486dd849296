/**
 * PDF text extraction with pdfjs-dist (legacy build, in-process "fake" worker, no font faces, no
 * eval): the second engine (`--pdf-engine pdfjs`), and the one a PDF falls back to when PDFium
 * cannot open it. Text items with their baseline, width, height and font, as PDFium's engine gives.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentError } from '../util/errors.js';
import { REPO_ROOT } from '../util/paths.js';
import { restoreNatives } from '../util/natives.js';
import { bundleVersion } from './pdfjs-version.js';
import { foldCompat, groupLines, type PdfExtraction, type PdfItem, type PdfLimits, type PdfPage } from './pdf.js';

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;

/** pdfjs's worker bundle with the performance patches of scripts/pdfjs-patch.ts (written by `npm run build`). */
export const PATCHED_PDFJS_WORKER = join(REPO_ROOT, 'dist', 'vendor', 'pdf.worker.mjs');

/** Which pdfjs worker this thread uses: the patched copy, or the stock one (and why). */
export interface PdfjsWorkerInfo {
  patched: boolean;
  version: string;
  reason?: string;
}
let workerInfo: PdfjsWorkerInfo | undefined;

/**
 * pdfjs is loaded on first use, not at import: its legacy build installs core-js polyfills
 * over fast natives (see util/natives.ts), and loading it lazily lets util/natives capture the
 * real built-ins first. They are put back after loading and after each document.
 *
 * pdfjs runs its "worker" in this thread; the patched worker bundle is installed as
 * `globalThis.pdfjsWorker` (pdfjs's own hook for a preloaded worker) when it exists and was
 * built from the installed pdfjs version, otherwise pdfjs loads its stock worker.
 */
function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= (async () => {
    const m = await import('pdfjs-dist/legacy/build/pdf.mjs');
    workerInfo = { patched: false, version: m.version, reason: 'no patched worker built (npm run build writes dist/vendor/pdf.worker.mjs)' };
    const g = globalThis as { pdfjsWorker?: unknown };
    if (!g.pdfjsWorker && process.env.INSPECTION_THEMES_STOCK_PDFJS !== '1' && existsSync(PATCHED_PDFJS_WORKER)) {
      const head = readFileSync(PATCHED_PDFJS_WORKER, 'utf8').slice(0, 4000);
      const built = bundleVersion(head);
      if (built === m.version) {
        g.pdfjsWorker = await import(pathToFileURL(PATCHED_PDFJS_WORKER).href);
        workerInfo = { patched: true, version: m.version };
      } else workerInfo.reason = `patched worker was built for pdfjs ${built ?? '?'}, installed is ${m.version}: run npm run build`;
    } else if (process.env.INSPECTION_THEMES_STOCK_PDFJS === '1') workerInfo.reason = 'INSPECTION_THEMES_STOCK_PDFJS=1';
    restoreNatives();
    return m;
  })();
  return pdfjs;
}

/** The pdfjs worker used by this thread (loads pdfjs). */
export async function pdfjsWorkerInfo(): Promise<PdfjsWorkerInfo> {
  await loadPdfjs();
  return workerInfo!;
}

/** Read a PDF (header already checked) into lines per page with pdfjs. Throws DocumentError. */
export async function extractWithPdfjs(bytes: Uint8Array, limits: PdfLimits = {}): Promise<PdfExtraction> {
  // pdfjs takes ownership of (and detaches) the buffer it is given: pass a copy.
  const data = new Uint8Array(bytes.byteLength);
  data.set(bytes);
  const { getDocument } = await loadPdfjs();
  let pdf;
  try {
    pdf = await getDocument({
      data,
      disableFontFace: true,
      isEvalSupported: false,
      useSystemFonts: false,
      stopAtErrors: false,
      verbosity: 0,
    }).promise;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException') throw new DocumentError('encrypted', 'PDF is encrypted (password required)');
    throw new DocumentError('corrupt', `not a readable PDF: ${(err as Error).message}`);
  }
  try {
    const pageCount = pdf.numPages;
    if (limits.maxPages && pageCount > limits.maxPages) {
      throw new DocumentError('too_many_pages', `PDF has ${pageCount} pages, over the limit of ${limits.maxPages}`);
    }
    const pages: PdfPage[] = [];
    for (let p = 1; p <= pageCount; p++) {
      let page;
      try {
        page = await pdf.getPage(p);
      } catch (err) {
        throw new DocumentError('corrupt', `page ${p} cannot be read: ${(err as Error).message}`);
      }
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const height = y1 - y0;
      const width = x1 - x0;
      let content;
      try {
        content = await page.getTextContent({ disableNormalization: true });
      } catch (err) {
        throw new DocumentError('corrupt', `text of page ${p} cannot be read: ${(err as Error).message}`);
      }
      const items: PdfItem[] = [];
      for (const it of content.items) {
        if (!('str' in it) || it.str === '') continue;
        const t = it.transform as number[];
        const h = it.height || Math.hypot(t[2]!, t[3]!);
        // pdfjs's own Unicode normalisation is off (it costs ~7% of extraction): only the
        // compatibility characters that occur in these reports (ligatures) are folded here.
        const str = foldCompat(it.str);
        items.push({ str, x: t[4]! - x0, y: y1 - t[5]!, w: it.width, h, font: it.fontName });
      }
      pages.push({ width, height, lines: groupLines(items) });
      page.cleanup();
      limits.deadline?.check(`reading page ${p} of ${pageCount}`);
    }
    return { pageCount, pages };
  } finally {
    await pdf.destroy();
    restoreNatives();
  }
}

