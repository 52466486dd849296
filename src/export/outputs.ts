import type { Aggregates } from '../aggregate/index.js';
import { benchmark, type Benchmark } from '../aggregate/benchmark.js';
import type { PeerTable } from '../aggregate/peers.js';
import type { Codebook } from '../theme/codebook.js';
import { emergingTerms } from '../theme/emerging.js';
import { startCharts } from '../render/index.js';
import { writeCsvs } from './index.js';

export interface OutputOptions {
  /** Council to highlight (name or ONS code); UserError when it is not in the corpus. */
  focus?: string;
  /** Statistical-neighbour table (see loadPeers). */
  peers?: PeerTable;
}

/**
 * Write every comparison output into outDir: sentences.csv, documents.csv, council_themes.csv,
 * benchmark.csv, duplicates.csv, emerging_terms.csv, charts/*.vl.json|svg|png and report.html.
 * Returns the files written (relative to outDir), in a fixed order.
 */
export async function writeOutputs(agg: Aggregates, codebook: Codebook, outDir: string, opts: OutputOptions = {}): Promise<string[]> {
  const bench: Benchmark = benchmark(agg, opts);
  // Charts first: their PNGs rasterise on resvg's threads while the CSVs are built here.
  const finishCharts = await startCharts(agg, codebook, outDir, bench);
  const written = await writeCsvs(agg, codebook, outDir, bench, emergingTerms(agg.documents, codebook));
  written.push(...(await finishCharts()));
  return written;
}
