#!/usr/bin/env node
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { join } from 'node:path';
import { runPipeline, DEFAULT_CACHE_DIR, DEFAULT_LIMITS } from './pipeline/run.js';
import { EXIT_INTERNAL, EXIT_OK, EXIT_SKIPPED, EXIT_USAGE } from './util/exit-codes.js';
import { UserError } from './util/errors.js';
import { VERSION } from './version.js';

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

const program = new Command();
program
  .name('inspection-themes')
  .description('Tag Ofsted children\'s services findings as strengths / areas for improvement, group them into themes and compare councils.')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') });

program
  .command('run')
  .description('run the whole pipeline on a folder of documents (PDF, txt, md, html; optional manifest.csv)')
  .argument('<corpusDir>', 'folder of documents')
  .requiredOption('-o, --out <dir>', 'output folder')
  .option('--codebook <file>', 'codebook JSON file (default: the project codebook)')
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
  .action(async (corpusDir: string, opts: RunCliOptions) => {
    const log = opts.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
    const result = await runPipeline({
      corpusDir,
      outDir: opts.out,
      codebookPath: opts.codebook,
      log,
      focus: opts.focus,
      peersFile: opts.peers,
      cacheDir: opts.cache === false ? null : opts.cacheDir,
      limits: { maxFileBytes: Math.round(opts.maxFileMb * 1024 * 1024), maxPages: opts.maxPages, maxSentenceChars: opts.maxSentenceChars, maxSecondsPerDoc: opts.maxSecondsPerDoc },
      followSymlinks: opts.followSymlinks === true,
      progress: opts.quiet ? 'none' : 'auto',
      workers: opts.workers,
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
