/**
 * PDF text extraction with PDFium (the engine of Chrome's PDF viewer) compiled to WebAssembly
 * (`@embedpdf/pdfium`, MIT; PDFium itself BSD-3-Clause): the default engine, about twice as fast
 * as pdfjs-dist for the same text (`node dist/scripts/pdf-engines.js` measures both against
 * pdftotext).
 *
 * PDFium gives characters with their origin, advance box, font size and the text object (one
 * show-text operation) they come from. Characters of one text object on one baseline make one
 * item, as pdfjs's items are one per operation; a space that PDFium drew or inferred between
 * words stays inside the item, so word gaps never depend on glyph widths.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DocumentError } from '../util/errors.js';
import { foldCompat, groupLines, type PdfExtraction, type PdfItem, type PdfLimits, type PdfPage } from './pdf.js';

/** The raw PDFium exports used here (C signatures; pointers and handles are numbers). */
interface PdfiumExports {
  malloc(size: number): number;
  free(ptr: number): void;
  FPDF_LoadMemDocument(data: number, size: number, password: number): number;
  FPDF_GetLastError(): number;
  FPDF_GetPageCount(doc: number): number;
  FPDF_CloseDocument(doc: number): void;
  FPDF_LoadPage(doc: number, index: number): number;
  FPDF_ClosePage(page: number): void;
  FPDFPage_GetCropBox(page: number, l: number, b: number, r: number, t: number): number;
  FPDFPage_GetMediaBox(page: number, l: number, b: number, r: number, t: number): number;
  FPDFText_LoadPage(page: number): number;
  FPDFText_ClosePage(textPage: number): void;
  FPDFText_CountChars(textPage: number): number;
  FPDFText_GetUnicode(textPage: number, i: number): number;
  FPDFText_IsGenerated(textPage: number, i: number): number;
  FPDFText_GetTextObject(textPage: number, i: number): number;
  FPDFText_GetFontInfo(textPage: number, i: number, buf: number, len: number, flags: number): number;
  FPDFText_GetFontSize(textPage: number, i: number): number;
  FPDFText_GetCharOrigin(textPage: number, i: number, x: number, y: number): number;
  FPDFText_GetLooseCharBox(textPage: number, i: number, rect: number): number;
  FPDFText_GetMatrix(textPage: number, i: number, matrix: number): number;
}

interface Pdfium {
  x: PdfiumExports;
  heap: () => { u8: Uint8Array; f32: Float32Array; f64: Float64Array };
  utf8: (ptr: number) => string;
}

/** FPDF_GetLastError codes (fpdfview.h). */
const FPDF_ERR_FILE = 2;
const FPDF_ERR_FORMAT = 3;
const FPDF_ERR_PASSWORD = 4;
const FPDF_ERR_SECURITY = 5;

const CR = 13;
const LF = 10;
const SPACE = 32;
/** PDFium's code for a hyphen that ends a line (a soft hyphen): read as "-", as pdfjs and pdftotext do. */
const LINE_END_HYPHEN = 2;
const HYPHEN = 45;
/** A character further left than this many font sizes of the item's end starts a new item. */
const BACKWARD_JUMP = 0.5;
/** Characters further apart in baseline than this (points) are on different lines. */
const BASELINE_TOLERANCE = 0.5;

let instance: Promise<Pdfium> | undefined;

/** The module, compiled once per thread from the package's pdfium.wasm (no network, no fetch). */
function loadPdfium(): Promise<Pdfium> {
  instance ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmBinary = readFileSync(require.resolve('@embedpdf/pdfium/pdfium.wasm'));
    const { init } = await import('@embedpdf/pdfium');
    const quiet = () => {};
    const m = await init({ wasmBinary, print: quiet, printErr: quiet } as Parameters<typeof init>[0]);
    m.PDFiumExt_Init();
    const mod = m.pdfium as unknown as { HEAPU8: Uint8Array; HEAPF32: Float32Array; HEAPF64: Float64Array; UTF8ToString(p: number): string };
    return {
      x: m.pdfium.wasmExports as unknown as PdfiumExports,
      // The views are replaced when the WebAssembly memory grows: read them through the module.
      heap: () => ({ u8: mod.HEAPU8, f32: mod.HEAPF32, f64: mod.HEAPF64 }),
      utf8: (p: number) => mod.UTF8ToString(p),
    };
  })();
  instance.catch(() => (instance = undefined));
  return instance;
}

/** Read a PDF (header already checked) into lines per page with PDFium. Throws DocumentError. */
export async function extractWithPdfium(bytes: Uint8Array, limits: PdfLimits = {}): Promise<PdfExtraction> {
  const pdfium = await loadPdfium();
  try {
    return readDocument(pdfium, bytes, limits);
  } catch (err) {
    if (err instanceof DocumentError) throw err;
    // A trap inside WebAssembly (a malformed file PDFium did not expect) may leave its memory in
    // any state: the next document gets a fresh module.
    instance = undefined;
    throw new DocumentError('corrupt', `not a readable PDF: PDFium stopped (${(err as Error).message})`);
  }
}

function readDocument(pdfium: Pdfium, bytes: Uint8Array, limits: PdfLimits): PdfExtraction {
  const { x } = pdfium;
  const data = x.malloc(bytes.length);
  // Scratch space: two doubles for an origin, a float rect, a float matrix; the font name.
  const scratch = x.malloc(64);
  const NAME_LEN = 256;
  const name = x.malloc(NAME_LEN);
  let doc = 0;
  try {
    pdfium.heap().u8.set(bytes, data);
    doc = x.FPDF_LoadMemDocument(data, bytes.length, 0);
    if (!doc) {
      const code = x.FPDF_GetLastError();
      if (code === FPDF_ERR_PASSWORD || code === FPDF_ERR_SECURITY) throw new DocumentError('encrypted', 'PDF is encrypted (password required)');
      const why = code === FPDF_ERR_FORMAT ? 'damaged or not a PDF' : code === FPDF_ERR_FILE ? 'file structure not found' : `PDFium error ${code}`;
      throw new DocumentError('corrupt', `not a readable PDF: ${why}`);
    }
    const pageCount = x.FPDF_GetPageCount(doc);
    if (limits.maxPages && pageCount > limits.maxPages) {
      throw new DocumentError('too_many_pages', `PDF has ${pageCount} pages, over the limit of ${limits.maxPages}`);
    }
    const pages: PdfPage[] = [];
    for (let p = 0; p < pageCount; p++) {
      const page = x.FPDF_LoadPage(doc, p);
      if (!page) throw new DocumentError('corrupt', `page ${p + 1} cannot be read`);
      try {
        pages.push(readPage(pdfium, page, scratch, name, NAME_LEN, p));
      } finally {
        x.FPDF_ClosePage(page);
      }
      limits.deadline?.check(`reading page ${p + 1} of ${pageCount}`);
    }
    return { pageCount, pages };
  } finally {
    if (doc) x.FPDF_CloseDocument(doc);
    x.free(name);
    x.free(scratch);
    x.free(data);
  }
}

function readPage(pdfium: Pdfium, page: number, scratch: number, name: number, nameLen: number, index: number): PdfPage {
  const { x } = pdfium;
  // The visible area, as pdfjs's page.view: the crop box, else the media box (left, bottom, right, top).
  const hasBox = x.FPDFPage_GetCropBox(page, scratch, scratch + 4, scratch + 8, scratch + 12) || x.FPDFPage_GetMediaBox(page, scratch, scratch + 4, scratch + 8, scratch + 12);
  let f32 = pdfium.heap().f32;
  const [x0, y0, x1, y1] = hasBox ? [f32[scratch >> 2]!, f32[(scratch >> 2) + 1]!, f32[(scratch >> 2) + 2]!, f32[(scratch >> 2) + 3]!] : [0, 0, 612, 792];
  const left = Math.min(x0, x1);
  const top = Math.max(y0, y1);
  const tp = x.FPDFText_LoadPage(page);
  if (!tp) throw new DocumentError('corrupt', `text of page ${index + 1} cannot be read`);
  const items: PdfItem[] = [];
  try {
    const n = x.FPDFText_CountChars(tp);
    const { f32: heap32, f64 } = pdfium.heap();
    f32 = heap32;
    // Font and size per text object (one show-text operation): the size is the font size scaled by
    // the text matrix, as pdfjs's item height is (a PDF may set "1 Tf" and scale the matrix by 12).
    const styles = new Map<number, { font: string; size: number }>();
    let cur: PdfItem | undefined;
    let curObject = 0;
    let curRight = 0;
    const flush = () => {
      if (cur) {
        cur.str = foldCompat(cur.str);
        items.push(cur);
      }
      cur = undefined;
    };
    for (let i = 0; i < n; i++) {
      let u = x.FPDFText_GetUnicode(tp, i);
      if (u === CR || u === LF) {
        flush();
        continue;
      }
      if (u === SPACE || x.FPDFText_IsGenerated(tp, i) === 1) {
        // A space (drawn, or inferred by PDFium from the gap) belongs to the word before it.
        if (cur && u === SPACE && !cur.str.endsWith(' ')) cur.str += ' ';
        continue;
      }
      if (u === 0) continue; // a glyph with no Unicode mapping
      if (u === LINE_END_HYPHEN) u = HYPHEN;
      const object = x.FPDFText_GetTextObject(tp, i);
      let style = styles.get(object);
      if (style === undefined) {
        const font = x.FPDFText_GetFontInfo(tp, i, name, nameLen, 0) > 0 ? pdfium.utf8(name) : '';
        let scale = 1;
        if (x.FPDFText_GetMatrix(tp, i, scratch + 32)) {
          const m = (scratch + 32) >> 2;
          scale = Math.hypot(f32[m + 2]!, f32[m + 3]!) || 1;
        }
        style = { font, size: x.FPDFText_GetFontSize(tp, i) * scale };
        styles.set(object, style);
      }
      const { font, size } = style;
      x.FPDFText_GetCharOrigin(tp, i, scratch, scratch + 8);
      const ox = f64[scratch >> 3]! - left;
      const y = top - f64[(scratch >> 3) + 1]!;
      x.FPDFText_GetLooseCharBox(tp, i, scratch + 16);
      const right = Math.max(f32[(scratch >> 2) + 6]! - left, ox);
      if (cur && (object !== curObject || Math.abs(y - cur.y) > BASELINE_TOLERANCE || ox < curRight - BACKWARD_JUMP * size)) flush();
      if (!cur) {
        cur = { str: '', x: ox, y, w: 0, h: size, font };
        curObject = object;
        curRight = right;
      }
      cur.str += u > 0xffff ? String.fromCodePoint(u) : String.fromCharCode(u);
      if (right > curRight) curRight = right;
      cur.w = curRight - cur.x;
    }
    flush();
  } finally {
    x.FPDFText_ClosePage(tp);
  }
  return { width: Math.abs(x1 - x0), height: Math.abs(y1 - y0), lines: groupLines(items) };
}
