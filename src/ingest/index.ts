import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IngestedDocument, SourceFile, TextBlock, DocumentMeta } from '../types.js';
import { DocumentError } from '../util/errors.js';
import { extractPdfPages } from './pdf.js';

export { discoverCorpus, SUPPORTED_EXTENSIONS } from './discover.js';
export type { CorpusListing } from './discover.js';

export interface IngestOptions {
  maxFileBytes?: number;
}

/** Stage 1: read one source file into clean text blocks with metadata. */
export async function ingest(src: SourceFile, opts: IngestOptions = {}): Promise<IngestedDocument> {
  const bytes = await readFile(src.path);
  if (bytes.length === 0) throw new DocumentError('empty', 'file is empty (0 bytes)');
  if (opts.maxFileBytes && bytes.length > opts.maxFileBytes) {
    throw new DocumentError('too_large', `file is ${bytes.length} bytes, over the limit of ${opts.maxFileBytes}`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let pages: string[];
  let encoding: string;
  if (src.format === 'pdf') {
    pages = await extractPdfPages(bytes);
    encoding = 'pdf';
  } else {
    encoding = 'utf-8';
    let text = new TextDecoder('utf-8').decode(bytes);
    if (src.format === 'html') text = text.replace(/<[^>]+>/g, ' ');
    pages = [text];
  }
  const blocks: TextBlock[] = [];
  pages.forEach((pageText, i) => {
    for (const para of pageText.split(/\n\s*\n/)) {
      const text = para.replace(/\s+/g, ' ').trim();
      if (text) blocks.push({ kind: 'paragraph', text, page: i + 1 });
    }
  });
  const m = src.manifest ?? {};
  const meta: DocumentMeta = {
    council: m.local_authority ?? '',
    onsCode: '',
    region: '',
    date: m.date ?? m.published ?? '',
    documentType: 'other',
    grades: { areas: {} },
    provenance: {},
    extra: {},
  };
  return { id: src.file, file: src.file, format: src.format, sha256, encoding, pageCount: pages.length, blocks, meta, dropped: {}, warnings: [] };
}
