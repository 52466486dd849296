import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DocumentError } from '../util/errors.js';

/** Extract the text of each page of a PDF (pdfjs-dist), lines joined by newlines. */
export async function extractPdfPages(bytes: Uint8Array): Promise<string[]> {
  const data = new Uint8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  let pdf;
  try {
    pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'PasswordException') throw new DocumentError('encrypted', 'PDF is encrypted');
    throw new DocumentError('corrupt', `not a readable PDF: ${(err as Error).message}`);
  }
  const pages: string[] = [];
  try {
    for (let p = 1; p <= pdf.numPages; p++) {
      const page = await pdf.getPage(p);
      const content = await page.getTextContent();
      let out = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        out += item.str;
        if (item.hasEOL) out += '\n';
      }
      pages.push(out);
      page.cleanup();
    }
  } finally {
    await pdf.destroy();
  }
  return pages;
}
