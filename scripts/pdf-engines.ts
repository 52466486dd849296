/**
 * PDF engines compared: `node dist/scripts/pdf-engines.js [--corpus <dir>]` (default the 40-PDF
 * sample). Each engine (PDFium, pdfjs-dist) reads every PDF of the folder in a fresh child process,
 * one file after another on one thread, as Debian's `pdftotext` does beside it; printed per engine:
 * CPU and wall time of the extraction (process CPU, all threads), the ratio to pdftotext's CPU,
 * and the text fidelity against pdftotext (token F1 of the page texts, as test/ingest-pdf.test.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pdftotext } from './pdftotext.js';
import { extractPdf, pageTexts, PDF_ENGINES, type PdfEngine } from '../src/ingest/pdf.js';
import { comparePages } from '../src/eval/text-agreement.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

interface EngineResult {
  engine: PdfEngine;
  cpuMs: number;
  wallMs: number;
  /** Files pdftotext or the engine read (a file neither reads is left out). */
  files: { file: string; f1: number; pages: number }[];
}

function pdfs(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.pdf'))
    .sort()
    .map((n) => join(dir, n));
}

/** pdftotext's pages, or undefined when it cannot read the file (an HTML page saved as .pdf). */
function popplerPages(path: string): string[] | undefined {
  let text: string;
  try {
    text = execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
  const pages = text.split('\f');
  if (pages.length && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}

async function child(engine: PdfEngine, dir: string): Promise<void> {
  const files = pdfs(dir);
  const bytes = files.map((f) => readFileSync(f));
  // The engine's one-off start (module load, WebAssembly compile) is part of its cost: timed.
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const texts: (string[] | undefined)[] = [];
  for (const b of bytes) {
    try {
      texts.push(pageTexts(await extractPdf(b, { engine })));
    } catch {
      texts.push(undefined);
    }
  }
  const c = process.cpuUsage(c0);
  const wallMs = performance.now() - t0;
  const out: EngineResult = { engine, cpuMs: (c.user + c.system) / 1000, wallMs, files: [] };
  files.forEach((f, i) => {
    const t = texts[i];
    const ref = popplerPages(f);
    // A file neither reads (not a PDF) is left out of the comparison; one only pdftotext reads scores 0.
    if (ref === undefined && t === undefined) return;
    out.files.push({ file: f, f1: t && ref ? comparePages(ref, t).f1 : 0, pages: t?.length ?? 0 });
  });
  process.stdout.write(JSON.stringify(out));
}

function main(argv: string[]): void {
  const at = argv.indexOf('--corpus');
  const dir = resolve(at >= 0 ? argv[at + 1]! : join(repoRoot, '..', 'shared', 'corpus-ofsted-sample'));
  const files = pdfs(dir);
  console.log(`PDF engines on ${files.length} PDFs in ${dir} (one file after another, one thread each)\n`);
  const { wall: pttWall, cpu: pttCpu } = pdftotext(files);
  console.log(`pdftotext (poppler): ${(pttWall / 1000).toFixed(1)} s wall, ${(pttCpu / 1000).toFixed(1)} s CPU`);
  console.log('\n| engine | CPU (s) | wall (s) | CPU / pdftotext | files compared | token F1 min | token F1 mean | files < 0.99 |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const engine of PDF_ENGINES) {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', engine, dir], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) {
      console.log(`| ${engine} | failed: ${r.stderr.trim().split('\n').pop()} |`);
      continue;
    }
    const res = JSON.parse(r.stdout) as EngineResult;
    const f1s = res.files.map((f) => f.f1);
    const low = res.files.filter((f) => f.f1 < 0.99);
    console.log(
      `| ${engine} | ${(res.cpuMs / 1000).toFixed(1)} | ${(res.wallMs / 1000).toFixed(1)} | ${(res.cpuMs / pttCpu).toFixed(2)}x | ${res.files.length} | ${Math.min(...f1s).toFixed(4)} | ${(f1s.reduce((a, b) => a + b, 0) / f1s.length).toFixed(4)} | ${low.length} |`,
    );
    for (const f of low) console.log(`|   ${f.file}: F1 ${f.f1.toFixed(4)} (${f.pages} pages) | | | | | | | |`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as PdfEngine, process.argv[4]!);
else main(process.argv.slice(2));
