/** Library API: the CLI, notebooks and tests all call these. */
export * from './types.js';
export { runPipeline, analyseDocument, DEFAULT_LIMITS, DEFAULT_CACHE_DIR } from './pipeline/run.js';
export type { PipelineOptions, RunResult, RunStats, Limits } from './pipeline/run.js';
export { EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_SKIPPED } from './util/exit-codes.js';
export { discoverCorpus, ingest } from './ingest/index.js';
export { segment } from './segment/index.js';
export { tagSentence, tagSentences } from './tag/index.js';
export { loadCodebook, themeFinding, themeFindings, emergingTerms, EMERGING_COLUMNS, emergingRows } from './theme/index.js';
export type { Codebook, EmergingTerm } from './theme/index.js';
export { aggregate, benchmark, loadPeers, parsePeers, resolveCouncil } from './aggregate/index.js';
export type { Aggregates, CouncilInfo, DuplicateFinding, Benchmark, BenchmarkRow, PeerTable } from './aggregate/index.js';
export { writeCsvs, buildCsvs, toCsv, safeCell } from './export/index.js';
export { writeOutputs, type OutputOptions } from './export/outputs.js';
export { writeCharts, renderCharts, chartDefs, renderSvg, svgToPng, reportHtml, reportData } from './render/index.js';
export { VERSION } from './version.js';
