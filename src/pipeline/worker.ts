/**
 * Worker-pool entry (piscina): one document per task, read and segmented (mode 'extract', the main
 * thread tags it) or analysed whole (mode 'full'). The codebook arrives once per worker
 * (workerData, validated by the main thread); stage modules load once per worker.
 */
import { workerData } from 'node:worker_threads';
import type { Codebook } from '../theme/codebook.js';
import { analyseTask, loadStages, type AnalyseOutcome, type AnalyseTask } from './analyse.js';

const codebook = (workerData as { codebook: Codebook }).codebook;
// Start loading pdfjs / the tagger while the pool hands out the first task.
void loadStages();

export default function run(task: AnalyseTask): Promise<AnalyseOutcome> {
  return analyseTask(task, codebook);
}
