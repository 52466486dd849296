/**
 * PDF text extraction with pdfjs-dist (legacy build, in-process "fake" worker, no font
 * faces, no eval). Text items are grouped into visual lines by baseline and ordered top to
 * bottom, left to right, as pdftotext does; each line keeps its geometry and dominant font
 * so the structurer can tell headings, list items and page furniture apart.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Deadline } from '../util/deadline.js';
import { DocumentError } from '../util/errors.js';
import { REPO_ROOT } from '../util/paths.js';
import { bundleVersion } from './pdfjs-patch.js';
import { restoreNatives } from '../util/natives.js';
import type { Line } from './lines.js';

export interface PdfItem {
  str: string;
  x: number;
  /** Baseline, from the page top (points). */
  y: number;
  w: number;
  h: number;
  font: string;
}

export interface PdfPage {
  width: number;
  height: number;
  lines: PdfRawLine[];
}

export interface PdfRawLine {
  text: string;
  x: number;
  xEnd: number;
  /** Baseline from the page top. */
  y: number;
  h: number;
  font: string;
  /** Column pieces of the line (split where the gap between items is wide), with their x. */
  cells: { text: string; x: number }[];
}

export interface PdfExtraction {
  pageCount: number;
  pages: PdfPage[];
}

export interface PdfLimits {
  maxPages?: number;
  /** Checked after every page. */
  deadline?: Deadline;
}

const COMPAT_CHARS = /[\uFB00-\uFB06\u2024-\u2026]/;

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;

/** pdfjs's worker bundle with the performance patches of pdfjs-patch.ts (written by `npm run build`). */
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

/** Read a PDF into lines per page. Throws DocumentError for unreadable, encrypted or over-long files. */
export async function extractPdf(bytes: Uint8Array, limits: PdfLimits = {}): Promise<PdfExtraction> {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1024)));
  if (!head.includes('%PDF-')) {
    // An HTML page saved under a .pdf name (a download that returned an error or a cookie page).
    if (/^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)/i.test(head.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, ''))) {
      const title = /<title[^>]*>([^<]{1,120})/i.exec(new TextDecoder('utf-8').decode(bytes.subarray(0, Math.min(bytes.length, 65536))))?.[1]?.trim().replace(/\s+/g, ' ');
      throw new DocumentError('wrong_format', `an HTML page saved as .pdf, not a PDF${title ? ` (its title: "${title}")` : ''}; download the report again`);
    }
    throw new DocumentError('corrupt', 'not a PDF (no %PDF- header)');
  }
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
        const str = COMPAT_CHARS.test(it.str) ? it.str.normalize('NFKC') : it.str;
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

/** Group text items into lines: cluster by baseline, then order by x. */
export function groupLines(items: PdfItem[]): PdfRawLine[] {
  const visible = items.filter((i) => i.str.trim() !== '');
  const sorted = visible
    .map((it, k) => ({ it, k }))
    .sort((a, b) => a.it.y - b.it.y || a.k - b.k)
    .map((e) => e.it);
  const clusters: PdfItem[][] = [];
  let cur: PdfItem[] = [];
  let curY = -Infinity;
  let curH = 0;
  for (const it of sorted) {
    const tol = Math.max(1.5, 0.45 * Math.min(it.h || curH || 10, curH || it.h || 10));
    if (cur.length && Math.abs(it.y - curY) <= tol) {
      cur.push(it);
      if (it.h > curH && it.str.trim()) {
        curH = it.h;
        curY = it.y;
      }
    } else {
      if (cur.length) clusters.push(cur);
      cur = [it];
      curY = it.y;
      curH = it.h;
    }
  }
  if (cur.length) clusters.push(cur);
  const lines: PdfRawLine[] = [];
  for (const c of clusters) {
    c.sort((a, b) => a.x - b.x);
    let text = '';
    const cells: { text: string; x: number }[] = [];
    let prevEnd = -Infinity;
    let h = 0;
    let y = 0;
    const fontChars = new Map<string, number>();
    for (const it of c) {
      const size = it.h || h || 10;
      if (text) {
        const gap = it.x - prevEnd;
        if (gap > 1.0 * size) {
          text = text.replace(/\s+$/, '') + '\t';
          cells.push({ text: '', x: it.x });
        } else if (gap > 0.15 * size && !/\s$/.test(text) && !/^\s/.test(it.str)) {
          text += ' ';
          cells[cells.length - 1]!.text += ' ';
        }
      } else cells.push({ text: '', x: it.x });
      text += it.str;
      cells[cells.length - 1]!.text += it.str;
      prevEnd = Math.max(prevEnd, it.x + it.w);
      const n = it.str.trim().length;
      if (n > 0) {
        fontChars.set(it.font, (fontChars.get(it.font) ?? 0) + n);
        if (it.h > h) {
          h = it.h;
          y = it.y;
        }
      }
    }
    const trimmed = text.replace(/[ ]{2,}/g, ' ').trim();
    if (!trimmed) continue;
    let font = '';
    let best = -1;
    for (const [f, n] of fontChars) if (n > best) [font, best] = [f, n];
    const cs = cells.map((k) => ({ text: k.text.replace(/\s+/g, ' ').trim(), x: k.x })).filter((k) => k.text);
    lines.push({ text: trimmed, x: c[0]!.x, xEnd: prevEnd, y: y || c[0]!.y, h: h || 10, font, cells: cs });
  }
  return lines;
}

/** Plain text of each page (lines joined by newlines): used to compare with pdftotext. */
export function pageTexts(ex: PdfExtraction): string[] {
  return ex.pages.map((p) => p.lines.map((l) => l.text.replace(/\t/g, ' ')).join('\n'));
}

/** Lines of a PDF with relative size, emphasis, gaps and page positions, ready for cleaning. */
export function pdfToLines(ex: PdfExtraction): Line[] {
  // Body text = the (font, rounded size) carrying the most characters.
  const styleChars = new Map<string, number>();
  for (const p of ex.pages)
    for (const l of p.lines) {
      const key = `${l.font}|${Math.round(l.h)}`;
      styleChars.set(key, (styleChars.get(key) ?? 0) + l.text.length);
    }
  let bodyKey = '';
  let best = -1;
  for (const [k, n] of styleChars) if (n > best) [bodyKey, best] = [k, n];
  const [bodyFont, bodySizeStr] = bodyKey.split('|');
  const bodySize = Number(bodySizeStr) || 12;
  const out: Line[] = [];
  ex.pages.forEach((p, pi) => {
    const lines = p.lines;
    lines.forEach((l, li) => {
      const prev = li > 0 ? lines[li - 1] : undefined;
      const pitch = bodySize * 1.2;
      const gap = prev ? Math.max(0, (l.y - prev.y - Math.max(l.h, prev.h) * 1.2) / pitch) : 1;
      const pos: Line['pos'] = l.y < p.height * 0.1 || li < 1 ? 'top' : l.y > p.height * 0.9 || li >= lines.length - 1 ? 'bottom' : 'body';
      out.push({
        text: l.text,
        page: pi + 1,
        gap,
        x: l.x,
        xEnd: l.xEnd,
        size: Math.round((l.h / bodySize) * 100) / 100,
        emph: l.font !== bodyFont,
        pos,
        cells: l.cells.length > 1 ? l.cells : undefined,
      });
    });
  });
  return out;
}
