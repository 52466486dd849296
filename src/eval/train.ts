/**
 * Training the shipped sentence classifier (`npm run train`, `inspection-themes train`): every
 * annotated unit of ../shared/eval (train + dev) placed in its source document as the pipeline
 * reads it, features from src/tag/features.ts, the averaged perceptron (src/tag/linear.ts). The same
 * data gives a byte-identical model file.
 */
import { alignEvalDocs } from './align.js';
import { DEFAULT_EVAL_DIR, loadEvalUnits, type EvalUnit } from './data.js';
import { examplesOf, prepareDocs, unitsHash } from './labels.js';
import { SHIPPED_OPTIONS, trainPerceptron } from '../tag/linear.js';
import { serializeModel, type TrainingRecord } from '../tag/model.js';

export interface TrainOptions {
  evalDir?: string;
  /** Model id recorded in the file and shown in the evidence. */
  id?: string;
  onProgress?: (message: string) => void;
}

export interface TrainResult {
  /** The model file's text. */
  json: string;
  training: TrainingRecord;
  features: number;
  /** Documents whose source was missing (trained on the units' own text and guessed headings). */
  missingSources: string[];
}

export async function trainTagger(opts: TrainOptions = {}): Promise<TrainResult> {
  const evalDir = opts.evalDir ?? process.env.EVAL_DIR ?? DEFAULT_EVAL_DIR;
  const units: EvalUnit[] = loadEvalUnits(evalDir);
  const { docs, missing } = await alignEvalDocs(units, evalDir, (doc, k, n) => {
    if (k % 25 === 0) opts.onProgress?.(`reading sources ${k}/${n}`);
  });
  const prepared = prepareDocs(docs);
  const examples = examplesOf(prepared);
  const labelCounts: Record<string, number> = {};
  for (const e of examples) labelCounts[e.label] = (labelCounts[e.label] ?? 0) + 1;
  opts.onProgress?.(`training on ${examples.length} units`);
  const model = trainPerceptron(examples, SHIPPED_OPTIONS);
  const training: TrainingRecord = {
    dataSha256: unitsHash(prepared.flatMap((p) => p.units)),
    units: examples.length,
    documents: prepared.length,
    labelCounts: Object.fromEntries(Object.entries(labelCounts).sort(([a], [b]) => a.localeCompare(b))),
  };
  return { json: serializeModel(opts.id ?? 'tagger', model, SHIPPED_OPTIONS, training), training, features: model.weights.size, missingSources: missing };
}
