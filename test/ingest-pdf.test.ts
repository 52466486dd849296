/**
 * PDF text extraction, with each engine (PDFium, the default, and pdfjs-dist), against Debian's
 * pdftotext (poppler-utils) on the 40 sample reports: token-sequence F1 (longest common
 * subsequence, page by page) of at least 0.99 per document, the same number of pages, and every
 * page matched to its own counterpart (no page lost, duplicated or shifted).
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { extractPdf, pageTexts, PDF_ENGINES } from '../src/ingest/pdf.js';
import { comparePages, compareTokens, sequenceAgreement } from '../src/eval/text-agreement.js';

const SAMPLE = resolve(import.meta.dirname, '../../shared/corpus-ofsted-sample');
const FILES = readdirSync(SAMPLE)
  .filter((f) => f.endsWith('.pdf'))
  .sort();

function popplerPages(path: string): string[] {
  const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 }).split('\f');
  if (pages.length && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}

describe.each(PDF_ENGINES)('%s extraction vs pdftotext on the 40 sample PDFs', (engine) => {
  const results = new Map<string, ReturnType<typeof comparePages> & { pages: number; engine?: string }>();
  beforeAll(async () => {
    for (const f of FILES) {
      const path = join(SAMPLE, f);
      const ref = popplerPages(path);
      const ex = await extractPdf(readFileSync(path), { engine });
      results.set(f, { ...comparePages(ref, pageTexts(ex)), pages: ex.pageCount, engine: ex.engine });
    }
    const f1s = [...results.values()].map((r) => r.f1);
    console.log(
      `${engine} vs pdftotext token F1 over ${FILES.length} PDFs: min ${Math.min(...f1s).toFixed(4)}, mean ${(f1s.reduce((a, b) => a + b, 0) / f1s.length).toFixed(4)}`,
    );
  });

  it('reads every file with the engine asked for (no fallback)', () => {
    expect([...results.values()].map((r) => r.engine)).toEqual(FILES.map(() => engine));
  });

  it('finds the 40 sample reports', () => {
    expect(FILES.length).toBe(40);
  });

  it.each(FILES)('%s: token F1 >= 0.99, same pages, every page aligned', (f) => {
    const r = results.get(f)!;
    expect(r.pagesCandidate).toBe(r.pagesReference);
    expect(r.pages).toBe(r.pagesReference);
    expect(r.f1).toBeGreaterThanOrEqual(0.99);
    // Page by page: each page agrees with the same page of pdftotext (a lost or duplicated
    // page would misalign every page after it).
    expect(r.worstF1).toBeGreaterThan(0.9);
  });

});

describe('PDF measures', () => {
  it('scores a lost page and a duplicated page as failures (the measure can fail)', () => {
    const ref = ['Children are seen regularly by their social workers.', 'Plans are reviewed and updated.', 'Leaders know their services well.'];
    const lost = comparePages(ref, [ref[0]!, ref[2]!]);
    const dup = comparePages(ref, [ref[0]!, ref[0]!, ref[1]!, ref[2]!]);
    expect(lost.worstF1).toBeLessThan(0.9);
    expect(dup.worstF1).toBeLessThan(0.9);
    expect(sequenceAgreement(compareTokens('a b c d'), compareTokens('a c b d')).f1).toBe(0.75);
  });
});
