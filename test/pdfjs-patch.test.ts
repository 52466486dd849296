/**
 * The performance patches to pdfjs's worker (scripts/pdfjs-patch.ts, written to
 * dist/vendor/pdf.worker.mjs by `npm run build`): they still apply to the installed pdfjs-dist,
 * the build wrote the patched copy for that version and the pipeline loads it, and the text
 * content pdfjs produces for the 40 sample reports is identical with and without them
 * (strings, transforms, widths, heights, fonts, end-of-line flags: the whole getTextContent
 * result, hashed page by page).
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { applySourcePatches, PDFJS_WORKER_PATCHES } from '../scripts/pdfjs-patch.js';
import { bundleVersion } from '../src/ingest/pdfjs-version.js';
import { PATCHED_PDFJS_WORKER, pdfjsWorkerInfo } from '../src/ingest/pdfjs.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const STOCK = require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs');
const SAMPLE = resolve(import.meta.dirname, '../../shared/corpus-ofsted-sample');

/** A child process that hashes pdfjs's text content of every sample PDF, page by page (env picks the worker). */
const HASHER = `
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
const { extractPdf, pdfjsWorkerInfo } = await import(${JSON.stringify(resolve(import.meta.dirname, '../dist/src/ingest/pdfjs.js'))});
const info = await pdfjsWorkerInfo();
const m = await import('pdfjs-dist/legacy/build/pdf.mjs');
const dir = ${JSON.stringify(SAMPLE)};
const pages = [];
for (const f of readdirSync(dir).filter((n) => n.endsWith('.pdf')).sort()) {
  const pdf = await m.getDocument({ data: new Uint8Array(readFileSync(dir + '/' + f)), disableFontFace: true, isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  for (let p = 1; p <= pdf.numPages; p++) {
    const page = await pdf.getPage(p);
    const content = await page.getTextContent({ disableNormalization: true });
    pages.push(f + ':' + p + ':' + createHash('sha256').update(JSON.stringify(content)).digest('hex'));
  }
  await pdf.destroy();
}
process.stdout.write(JSON.stringify({ info, pages }));
`;

async function hashPages(stock: boolean): Promise<{ info: { patched: boolean }; pages: string[] }> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', HASHER], {
    cwd: resolve(import.meta.dirname, '..'),
    env: { ...process.env, INSPECTION_THEMES_STOCK_PDFJS: stock ? '1' : '0' },
    maxBuffer: 32 << 20,
  });
  return JSON.parse(stdout) as { info: { patched: boolean }; pages: string[] };
}

describe('pdfjs worker patches', () => {
  const source = readFileSync(STOCK, 'utf8');

  it('each patch matches the installed pdfjs-dist exactly once', () => {
    const r = applySourcePatches(source);
    expect(r.missing).toEqual([]);
    expect(r.applied).toEqual(PDFJS_WORKER_PATCHES.map((p) => p.id));
    expect(r.text).not.toBe(source);
  });

  it('a patch whose text is not found is reported, not applied', () => {
    const r = applySourcePatches('const x = 1;');
    expect(r.applied).toEqual([]);
    expect(r.missing.map((m) => m.occurrences)).toEqual(PDFJS_WORKER_PATCHES.map(() => 0));
    expect(r.text).toBe('const x = 1;');
  });

  it('the build wrote the patched worker for the installed version, and the pipeline uses it', async () => {
    expect(existsSync(PATCHED_PDFJS_WORKER)).toBe(true);
    const built = readFileSync(PATCHED_PDFJS_WORKER, 'utf8');
    expect(bundleVersion(built)).toBe(bundleVersion(source));
    expect(built).toContain(applySourcePatches(source).text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
    expect(built).not.toContain('sourceMappingURL');
    const info = await pdfjsWorkerInfo();
    expect(info).toEqual({ patched: true, version: bundleVersion(source) });
  });

  it('text content of the 40 sample reports is identical with and without the patches', async () => {
    const [patched, stock] = await Promise.all([hashPages(false), hashPages(true)]);
    expect(patched.info.patched).toBe(true);
    expect(stock.info.patched).toBe(false);
    expect(new Set(patched.pages.map((p) => p.split(':')[0])).size).toBe(40);
    expect(patched.pages.length).toBeGreaterThan(400);
    expect(patched.pages).toEqual(stock.pages);
  }, 180_000);
});
