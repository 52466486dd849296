/** Library API: the CLI, notebooks and tests all call these. */
export * from './types.js';
export { runPipeline, analyseDocument } from './pipeline/run.js';
export type { PipelineOptions, RunResult } from './pipeline/run.js';
export { discoverCorpus, ingest } from './ingest/index.js';
export { segment } from './segment/index.js';
export { tagSentence, tagSentences } from './tag/index.js';
export { loadCodebook, themeFinding } from './theme/index.js';
export { aggregate } from './aggregate/index.js';
export type { Aggregates } from './aggregate/index.js';
export { writeCsvs } from './export/index.js';
export { writeCharts } from './render/index.js';
export { VERSION } from './version.js';
