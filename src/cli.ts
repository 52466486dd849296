#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { join } from 'node:path';
import { runPipeline, DEFAULT_CACHE_DIR, DEFAULT_LIMITS } from './pipeline/run.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE } from './util/exit-codes.js';
import { UserError } from './util/errors.js';
import { VERSION } from './version.js';
import { boundHeapGrowth, boundHeapGrowthForStage } from './util/heap.js';
import { PROJECT_CODEBOOK } from './util/paths.js';
import { parseFramework, parsePeriod, type Period } from './aggregate/window.js';
import { DEFAULT_MIN_FINDINGS } from './aggregate/interval.js';
import type { Framework } from './vocab/documents.js';
import { DEFAULT_PDF_ENGINE, PDF_ENGINES, type PdfEngine } from './ingest/pdf.js';

interface RunCliOptions {
  out: string;
  codebook?: string;
  quiet?: boolean;
  focus?: string;
  peers?: string;
  cache: boolean;
  cacheDir: string;
  maxFileMb: number;
  maxPages: number;
  maxSentenceChars: number;
  maxSecondsPerDoc: number;
  followSymlinks?: boolean;
  workers?: number;
  model?: string;
  overrides?: string;
  period: Period;
  framework?: Framework;
  minFindings: number;
  pdfEngine: PdfEngine;
  qdpx: boolean;
  xlsx: boolean;
}

/** Exit code of the `run` command (EXIT_SKIPPED when documents were skipped). */
let runExitCode = EXIT_OK;

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}
function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return n;
}
function nonNegativeNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number >= 0');
  return n;
}
function nonNegativeInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0');
  return n;
}

/** Commander argument parsers for a UserError-throwing parser: the message becomes commander's one line. */
function asArg<T>(parse: (v: string) => T): (v: string) => T {
  return (v: string) => {
    try {
      return parse(v);
    } catch (e) {
      const why = (e as Error).message.replace(/^[^:]*:\s*/, '');
      throw new InvalidArgumentError(why.charAt(0).toUpperCase() + why.slice(1) + '.');
    }
  };
}

const program = new Command();
program
  .name('inspection-themes')
  .description('Tag Ofsted children\'s services findings as strengths / areas for improvement, group them into themes and compare councils.')
  .version(VERSION)
  .exitOverride()
  .showSuggestionAfterError()
  // One line, commander's suggestion ("(Did you mean --focus?)") kept on it.
  .configureOutput({ outputError: (str, write) => write(str.trim().split(/\s*\n\s*/).join(' ') + '\n') });

program
  .command('run')
  .description('run the whole pipeline on a folder of documents (PDF, txt, md, html; optional manifest.csv)')
  .argument('<corpusDir>', 'folder of documents')
  .requiredOption('-o, --out <dir>', 'output folder')
  .option('--codebook <file>', 'codebook JSON file (default: the project codebook)')
  .option('--model <dir>', 'model folder written by `inspection-themes train --out <dir>` (default: the shipped models)')
  .option('--overrides <csv>', "your own coding (sentence_id or text, label, themes; e.g. an edited sentences.csv), forced in every output")
  .option('-q, --quiet', 'print nothing but errors')
  .option('--focus <council>', 'highlight one council (name or ONS code) in every chart and CSV')
  .option('--peers <csv>', 'statistical-neighbour table (like la_lookup.csv) to compare each council with its neighbours')
  .option('--no-cache', 'do not read or write the cache (re-read and re-analyse every document)')
  .option('--cache-dir <dir>', 'cache folder', DEFAULT_CACHE_DIR)
  .option('--max-file-mb <n>', 'skip files larger than this (MB)', positiveNumber, DEFAULT_LIMITS.maxFileBytes / 1024 / 1024)
  .option('--max-pages <n>', 'skip PDFs with more pages than this', positiveInt, DEFAULT_LIMITS.maxPages)
  .option('--max-sentence-chars <n>', 'split sentences longer than this many characters', positiveInt, DEFAULT_LIMITS.maxSentenceChars)
  .option('--max-seconds-per-doc <n>', 'skip a document that takes longer than this (seconds; 0 = no limit)', nonNegativeNumber, DEFAULT_LIMITS.maxSecondsPerDoc)
  .option('--follow-symlinks', 'read files that symbolic links in the corpus folder lead to outside it (default: skipped)')
  .option('--workers <n>', 'worker threads reading documents (0 = in-process; default: one per core)', nonNegativeInt)
  .addOption(new Option('--pdf-engine <name>', 'engine that reads PDFs (a PDF PDFium cannot open is tried with pdfjs)').choices(PDF_ENGINES).default(DEFAULT_PDF_ENGINE))
  .option('--period <window>', "inspections to compare: latest (each council's latest full inspection and the visits since), all, or <from>..<to> (dates or years, e.g. 2018..2025)", asArg(parsePeriod), parsePeriod('latest'))
  .option('--framework <name>', 'compare only the inspections of one framework: earlier, sif or ilacs', asArg(parseFramework))
  .option('--min-findings <n>', 'council x theme cells with fewer evaluative findings are marked and left out of ranks and medians', positiveInt, DEFAULT_MIN_FINDINGS)
  .option('--no-qdpx', 'do not write project.qdpx (the REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder)')
  .option('--no-xlsx', 'do not write inspection-themes.xlsx (the Excel workbook)')
  .action(async (corpusDir: string, opts: RunCliOptions) => {
    boundHeapGrowth();
    const log = opts.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
    const result = await runPipeline({
      corpusDir,
      outDir: opts.out,
      codebookPath: opts.codebook,
      modelDir: opts.model,
      overridesFile: opts.overrides,
      log,
      focus: opts.focus,
      peersFile: opts.peers,
      cacheDir: opts.cache === false ? null : opts.cacheDir,
      limits: { maxFileBytes: Math.round(opts.maxFileMb * 1024 * 1024), maxPages: opts.maxPages, maxSentenceChars: opts.maxSentenceChars, maxSecondsPerDoc: opts.maxSecondsPerDoc },
      followSymlinks: opts.followSymlinks === true,
      progress: opts.quiet ? 'none' : 'auto',
      workers: opts.workers,
      window: { period: opts.period, ...(opts.framework ? { framework: opts.framework } : {}) },
      minFindings: opts.minFindings,
      pdfEngine: opts.pdfEngine,
      qdpx: opts.qdpx,
      xlsx: opts.xlsx,
      onStage: boundHeapGrowthForStage,
    });
    const r = result.report;
    if (!opts.quiet) {
      const s = result.stats;
      const cached = s.cache.dir ? `, cache: ${s.cache.analysed} reused, ${s.cache.extract} re-tagged, ${s.cache.misses} read${s.cache.outputs ? ', outputs reused' : ''}` : ', cache off';
      process.stderr.write(`${r.documents} documents, ${r.sentences} sentences -> ${opts.out} (${r.skipped.length} skipped${cached}; ${(s.wallMs / 1000).toFixed(1)} s)\n`);
    }
    if (r.skipped.length > 0) {
      process.stderr.write(`inspection-themes: completed with ${r.skipped.length} documents skipped (see ${join(opts.out, 'run_report.json')})\n`);
      runExitCode = EXIT_SKIPPED;
    }
  });

program
  .command('train')
  .description('train the sentence and theme models on the shipped training data (../shared/eval), plus your own annotations')
  .requiredOption('-o, --out <dir>', 'model folder to write (tagger.json, themes.json); use it with `run --model <dir>`')
  .option('--annotations <csv>', 'your own coding to add (sentence_id or text, label, themes, optional section; e.g. an edited sentences.csv)')
  .option('--eval-dir <dir>', 'the annotated training data (train.jsonl, dev.jsonl, docs.csv)')
  .option('--codebook <file>', 'codebook JSON file whose themes get scorers (default: the project codebook)')
  .option('-q, --quiet', 'print nothing but errors')
  .action(async (opts: { out: string; annotations?: string; evalDir?: string; codebook?: string; quiet?: boolean }) => {
    const { existsSync, mkdirSync, statSync } = await import('node:fs');
    const { resolve: resolvePath } = await import('node:path');
    const { DEFAULT_EVAL_DIR } = await import('./eval/data.js');
    const evalDir = resolvePath(opts.evalDir ?? process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR);
    if (!existsSync(resolvePath(evalDir, 'dev.jsonl'))) throw new UserError(`training data not found in ${evalDir} (no dev.jsonl): give it with --eval-dir <dir>`);
    if (existsSync(opts.out) && !statSync(opts.out).isDirectory()) throw new UserError(`--out ${opts.out} is a file: give a folder for the model (e.g. --out my-model)`);
    const { loadCodebook } = await import('./theme/codebook.js');
    const codebook = loadCodebook(opts.codebook ?? PROJECT_CODEBOOK);
    const { readAnnotations } = await import('./annotate/annotations.js');
    const annotations = opts.annotations ? readAnnotations(opts.annotations, codebook.themes.map((t) => t.id)) : undefined;
    const { trainTagger } = await import('./eval/train.js');
    const { TAGGER_FILE, THEMES_FILE } = await import('./pipeline/models.js');
    const { writeFileAtomic } = await import('./util/fs.js');
    const log = opts.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
    const r = await trainTagger({ evalDir, codebook, annotations, onProgress: (m) => log(`train: ${m}`) });
    mkdirSync(opts.out, { recursive: true });
    await writeFileAtomic(join(opts.out, TAGGER_FILE), r.json);
    await writeFileAtomic(join(opts.out, THEMES_FILE), r.themesJson);
    log(`trained on ${r.training.units} units from ${r.training.documents} documents${annotations ? ` (${annotations.rows.length} of them yours, from ${annotations.path})` : ''}; theme scorers for ${r.scoredThemes.length} themes -> ${opts.out} (use: run <corpus> --model ${opts.out})`);
  });

program
  .command('tag')
  .description('label a CSV of sentences (columns id,text[,section]) as strength / improvement / mixed / neutral, with confidence and evidence')
  .argument('<csv>', 'input CSV file (UTF-8, header row)')
  .option('-o, --out <file>', 'write the labelled CSV here (default: stdout)')
  .action(async (csvFile: string, opts: { out?: string }) => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { tagCsv } = await import('./tag/csv.js');
    let input: string;
    try {
      input = readFileSync(csvFile, 'utf8');
    } catch (err) {
      throw new UserError(`cannot read ${csvFile}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const output = tagCsv(input, csvFile);
    if (opts.out) writeFileSync(opts.out, output);
    else process.stdout.write(output);
  });

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return runExitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (err instanceof UserError) {
      process.stderr.write(`inspection-themes: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`inspection-themes: unexpected error: ${(err as Error).message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return EXIT_INTERNAL;
  }
}

process.exitCode = await main(process.argv);
