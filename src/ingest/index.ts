import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { IngestedDocument, SourceFile, TextBlock } from '../types.js';
import { NO_DEADLINE, type Deadline } from '../util/deadline.js';
import { DEFAULT_LIMITS } from '../limits.js';
import { DocumentError } from '../util/errors.js';
import { cleanLines } from './clean.js';
import { decodeText } from './encoding.js';
import type { Dropped, Line } from './lines.js';
import { textToLines } from './markup.js';
import { buildMeta } from './metadata.js';
import { extractPdf, pdfToLines, type PdfEngine } from './pdf.js';
import { buildBlocks } from './structure.js';

export { discoverCorpus, SUPPORTED_EXTENSIONS } from './discover.js';
export type { CorpusListing } from './discover.js';
export { Gazetteer } from './gazetteer.js';
export { normaliseCouncilName, nearestCouncil, UNKNOWN_COUNCIL } from '../vocab/councils.js';
export type { LocalAuthority } from './gazetteer.js';

/** Default limit on file size: the pipeline's (real inspection PDFs are under 2 MB; council exports under 1 MB). */
export const DEFAULT_MAX_FILE_BYTES = DEFAULT_LIMITS.maxFileBytes;
/** Default limit on PDF pages: the pipeline's (the longest real Ofsted reports run to about 60 pages). */
export const DEFAULT_MAX_PAGES = DEFAULT_LIMITS.maxPages;

export interface IngestOptions {
  /** Skip files larger than this ('too_large'). Default DEFAULT_LIMITS.maxFileBytes (40 MB); 0 = no limit. */
  maxFileBytes?: number;
  /** Skip PDFs with more pages than this ('too_many_pages'). Default DEFAULT_LIMITS.maxPages (1000); 0 = no limit. */
  maxPages?: number;
  /**
   * The file's bytes, when the caller has read (and hashed) them already: the document is built
   * from exactly these, so its sha256 is that of what was parsed. Default: read `src.path`.
   */
  bytes?: Uint8Array;
  /** Time budget, checked between steps (DocumentError 'timeout'). */
  deadline?: Deadline;
  /** Engine that reads PDFs (default PDFium; a PDF PDFium cannot open is tried with pdfjs). */
  pdfEngine?: PdfEngine;
}

/** Minimum letters a PDF must yield (over all pages) to count as having a text layer. */
/** How much of the first page's raw text is read for the document's title. */
const TITLE_CHARS = 600;
const MIN_PDF_LETTERS = 20;
const LETTER = /\p{L}/gu;

/** Stage 1: read one source file into clean text blocks with metadata. */
export async function ingest(src: SourceFile, opts: IngestOptions = {}): Promise<IngestedDocument> {
  const maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const deadline = opts.deadline ?? NO_DEADLINE;
  if (!opts.bytes) {
    const size = (await stat(src.path)).size;
    if (size === 0) throw new DocumentError('empty', 'file is empty (0 bytes)');
    if (maxFileBytes > 0 && size > maxFileBytes) {
      throw new DocumentError('too_large', `file is ${size} bytes, over the limit of ${maxFileBytes}`);
    }
  }
  const bytes = opts.bytes ?? (await readFile(src.path));
  if (bytes.length === 0) throw new DocumentError('empty', 'file is empty (0 bytes)');
  if (maxFileBytes > 0 && bytes.length > maxFileBytes) {
    throw new DocumentError('too_large', `file is ${bytes.length} bytes, over the limit of ${maxFileBytes}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dropped: Dropped = {};
  const warnings: string[] = [];
  let lines: Line[];
  let encoding: string;
  let pageCount: number;
  const isPdf = src.format === 'pdf';
  if (isPdf) {
    const ex = await extractPdf(bytes, { maxPages, deadline, engine: opts.pdfEngine });
    if (ex.fallback) warnings.push(`read with pdfjs: PDFium could not (${ex.fallback})`);
    pageCount = ex.pageCount;
    let letters = 0;
    for (const p of ex.pages) for (const l of p.lines) letters += l.text.match(LETTER)?.length ?? 0;
    if (letters < MIN_PDF_LETTERS) {
      throw new DocumentError('no_text', `PDF has no text layer (${pageCount} page(s), ${letters} letters): image-only or scanned`);
    }
    const emptyPages = ex.pages.filter((p) => p.lines.length === 0).length;
    if (emptyPages > 0) warnings.push(`${emptyPages} of ${pageCount} page(s) have no text layer`);
    lines = pdfToLines(ex);
    encoding = 'pdf';
  } else {
    if (startsWithPdfHeader(bytes) && src.format !== 'html') {
      throw new DocumentError('wrong_format', `a PDF saved as .${src.file.split('.').pop()}: rename it to .pdf`);
    }
    const decoded = decodeText(bytes);
    encoding = decoded.encoding;
    deadline.check('decoding the text');
    lines = textToLines(decoded.text, src.format as 'txt' | 'md' | 'html', dropped);
    deadline.check('removing markup');
    pageCount = lines.length ? lines[lines.length - 1]!.page : 1;
    if (lines.length === 0) throw new DocumentError('empty', 'file has no text after removing markup');
  }
  const cleaned = cleanLines(lines, { isPdf, pageCount }, dropped);
  deadline.check('cleaning page furniture');
  const docWords = collectWords(cleaned);
  const blocks: TextBlock[] = buildBlocks(cleaned, { isPdf, docWords });
  deadline.check('finding headings and paragraphs');
  if (blocks.length === 0) {
    throw new DocumentError(isPdf ? 'no_text' : 'empty', 'no text left after cleaning');
  }
  let head = '';
  for (const b of blocks) {
    if (head.length > 4000) break;
    head += b.text + '\n';
  }
  let title = '';
  for (const l of lines) {
    if (l.page !== 1 || title.length > TITLE_CHARS) break;
    title += l.text.replace(/\t/g, ' ').trim() + '\n';
  }
  const meta = buildMeta({ manifest: src.manifest, layout: src.layout, blocks, head, title, file: src.file, warnings });
  const sortedDropped: Dropped = {};
  for (const k of Object.keys(dropped).sort()) sortedDropped[k] = dropped[k]!;
  return {
    id: src.file,
    file: src.file,
    format: src.format,
    sha256,
    encoding,
    pageCount,
    blocks,
    meta,
    dropped: sortedDropped,
    warnings,
  };
}

function startsWithPdfHeader(bytes: Uint8Array): boolean {
  return bytes.length > 5 && bytes[0] === 0x25 && bytes[1] === 0x50 && bytes[2] === 0x44 && bytes[3] === 0x46 && bytes[4] === 0x2d;
}

const WORD = /[\p{L}][\p{L}'’-]*[\p{L}]/gu;

/** Lower-cased words (hyphenated forms kept whole) of the document, for de-hyphenation. */
function collectWords(lines: Line[]): Set<string> {
  const s = new Set<string>();
  for (const l of lines) {
    const ws = l.text.match(WORD);
    if (!ws) continue;
    for (let k = 0; k < ws.length - 1; k++) s.add(ws[k]!.toLowerCase()); // last word may be a wrap fragment
  }
  return s;
}
