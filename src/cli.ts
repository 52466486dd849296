#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { runPipeline } from './pipeline/run.js';
import { UserError } from './util/errors.js';
import { VERSION } from './version.js';

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
  .action(async (corpusDir: string, opts: { out: string; codebook?: string; quiet?: boolean }) => {
    const log = opts.quiet ? () => {} : (line: string) => process.stderr.write(line + '\n');
    const result = await runPipeline({ corpusDir, outDir: opts.out, codebookPath: opts.codebook, log });
    if (!opts.quiet) {
      const r = result.report;
      process.stderr.write(`${r.documents} documents, ${r.sentences} sentences -> ${opts.out} (${r.skipped.length} skipped)\n`);
    }
  });

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UserError) {
      process.stderr.write(`inspection-themes: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`inspection-themes: unexpected error: ${(err as Error).message}\n`);
    if (process.env.DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv);
