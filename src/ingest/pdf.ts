/**
 * PDF text: an engine (PDFium compiled to WebAssembly, `pdfium.ts`, or pdfjs-dist, `pdfjs.ts`)
 * gives text items with their baseline, width, height and font; here they are grouped into
 * visual lines by baseline and ordered top to bottom, left to right, as pdftotext does. Each line
 * keeps its geometry and dominant font so the structurer can tell headings, list items and page
 * furniture apart.
 */
import type { Deadline } from '../util/deadline.js';
import { DocumentError } from '../util/errors.js';
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

const COMPAT_CHARS = /[\uFB00-\uFB06\u2024-\u2026]/;

/**
 * The compatibility characters that occur in these reports (ligatures, the one-character
 * ellipsis) folded as NFKC would; other text is left as the engine gave it (full normalisation
 * costs time on every item for nothing).
 */
export function foldCompat(str: string): string {
  return COMPAT_CHARS.test(str) ? str.normalize('NFKC') : str;
}

/** The engines that read PDFs: PDFium (WebAssembly, the default) and pdfjs-dist. */
export const PDF_ENGINES = ['pdfium', 'pdfjs'] as const;
export type PdfEngine = (typeof PDF_ENGINES)[number];
export const DEFAULT_PDF_ENGINE: PdfEngine = 'pdfium';

export interface PdfExtraction {
  pageCount: number;
  pages: PdfPage[];
  /** The engine that read the file (set by extractPdf). */
  engine?: PdfEngine;
  /** Why the default engine could not read it, when another engine did. */
  fallback?: string;
}

export interface PdfLimits {
  maxPages?: number;
  /** Checked after every page. */
  deadline?: Deadline;
  /** Engine to read with (default DEFAULT_PDF_ENGINE). */
  engine?: PdfEngine;
}

/**
 * Refuse what is not a PDF before an engine sees it: an HTML page saved under a .pdf name (a
 * download that returned an error or a cookie page) is 'wrong_format'; anything else without a
 * %PDF- header is 'corrupt'.
 */
export function checkPdfHeader(bytes: Uint8Array): void {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 1024)));
  if (!head.includes('%PDF-')) {
    // An HTML page saved under a .pdf name (a download that returned an error or a cookie page).
    if (/^\s*(?:<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)/i.test(head.replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, ''))) {
      const title = /<title[^>]*>([^<]{1,120})/i.exec(new TextDecoder('utf-8').decode(bytes.subarray(0, Math.min(bytes.length, 65536))))?.[1]?.trim().replace(/\s+/g, ' ');
      throw new DocumentError('wrong_format', `an HTML page saved as .pdf, not a PDF${title ? ` (its title: "${title}")` : ''}; download the report again`);
    }
    throw new DocumentError('corrupt', 'not a PDF (no %PDF- header)');
  }
}

/**
 * Read a PDF into lines per page. Throws DocumentError for unreadable, encrypted or over-long
 * files. With PDFium (the default), a file PDFium cannot open is tried with pdfjs before it is
 * given up as corrupt; `engineUsed` says which engine read it.
 */
export async function extractPdf(bytes: Uint8Array, limits: PdfLimits = {}): Promise<PdfExtraction> {
  checkPdfHeader(bytes);
  const engine = limits.engine ?? DEFAULT_PDF_ENGINE;
  if (engine === 'pdfjs') {
    const { extractWithPdfjs } = await import('./pdfjs.js');
    return { ...(await extractWithPdfjs(bytes, limits)), engine: 'pdfjs' };
  }
  const { extractWithPdfium } = await import('./pdfium.js');
  try {
    return { ...(await extractWithPdfium(bytes, limits)), engine: 'pdfium' };
  } catch (err) {
    if (!(err instanceof DocumentError) || err.code !== 'corrupt') throw err;
    const { extractWithPdfjs } = await import('./pdfjs.js');
    let ex: PdfExtraction;
    try {
      ex = await extractWithPdfjs(bytes, limits);
    } catch {
      throw err;
    }
    return { ...ex, engine: 'pdfjs', fallback: err.message };
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
