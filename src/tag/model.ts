/**
 * The shipped sentence classifier: a linear model (the averaged perceptron, best of the comparison
 * in src/eval/labels.ts) over the features of
 * src/tag/features.ts, trained by `npm run train` from ../shared/eval (train + dev, each unit
 * placed in its source document as the pipeline reads it: src/eval/align.ts) into
 * models/tagger.json. The file records the format, the feature set, the hyper-parameters, the
 * hash of the training data and its label counts; a file for another feature set is refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModelFile } from '../util/model-file.js';
import { REPO_ROOT } from '../util/paths.js';
import type { LabelCode } from '../types.js';
import { LABEL_CODES } from '../types.js';
import { FEATURE_SET } from './features.js';
import { LinearModel, type Classifier, type LinearOptions } from './linear.js';

export { FEATURE_SET } from './features.js';
export type { TrainingExample } from './linear.js';

export const MODEL_FORMAT = 'inspection-themes/tagger-model';
export const MODEL_FORMAT_VERSION = 2;
/** models/tagger.json in the package root (found from this module, whether run from src/ or dist/src/). */
export const DEFAULT_MODEL_PATH = join(REPO_ROOT, 'models', 'tagger.json');

/** A trained classifier with its name (shown in the evidence). */
export interface TagModel {
  id: string;
  classifier: Classifier;
}

export interface TrainingRecord {
  /** SHA-256 of the training units (doc, position, label, themes, text). */
  dataSha256: string;
  units: number;
  documents: number;
  labelCounts: Record<string, number>;
  /** Researcher annotations added to the shipped data (`train --annotations`), if any. */
  annotations?: { file: string; sha256: string; units: number };
}

export interface ModelFile {
  format: string;
  formatVersion: number;
  id: string;
  family: 'logistic' | 'perceptron';
  featureSet: string;
  labels: LabelCode[];
  /** Scores are divided by it before the softmax that gives the confidence. */
  temperature: number;
  options: LinearOptions;
  training: TrainingRecord;
  /** feature -> weights in `labels` order */
  weights: Record<string, number[]>;
}

export function serializeModel(id: string, model: LinearModel, options: LinearOptions, training: TrainingRecord): string {
  const weights: Record<string, number[]> = {};
  for (const [f, w] of model.weights) weights[f] = [...w];
  const file: ModelFile = { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, id, family: model.family, featureSet: FEATURE_SET, labels: [...LABEL_CODES], temperature: model.temperature, options, training, weights };
  // One feature per line: diffs of a retrained model stay readable.
  const head = JSON.stringify({ ...file, weights: undefined }, null, 1).replace(/\n}$/, '');
  const body = Object.entries(weights)
    .map(([f, w]) => `  ${JSON.stringify(f)}: ${JSON.stringify(w)}`)
    .join(',\n');
  return `${head},\n "weights": {\n${body}\n }\n}\n`;
}

export function parseModel(json: string, where = 'tagger model'): TagModel {
  const file = readModelFile<ModelFile>(json, where, { format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, featureSet: FEATURE_SET });
  if (file.labels.join() !== LABEL_CODES.join()) throw new Error(`${where} has labels ${file.labels.join()}, expected ${LABEL_CODES.join()}`);
  const weights = new Map<string, Float64Array>();
  for (const [f, w] of Object.entries(file.weights)) {
    if (!Array.isArray(w) || w.length !== LABEL_CODES.length || w.some((x) => typeof x !== 'number')) throw new Error(`${where}: bad weights for feature ${JSON.stringify(f)}`);
    weights.set(f, Float64Array.from(w));
  }
  if (file.family !== 'logistic' && file.family !== 'perceptron') throw new Error(`${where}: unknown model family ${String(file.family)}`);
  if (typeof file.temperature !== 'number' || !(file.temperature > 0)) throw new Error(`${where}: temperature must be a positive number`);
  return { id: file.id, classifier: new LinearModel(file.family, weights, file.temperature) };
}

export function loadModel(path: string): TagModel {
  if (!existsSync(path)) throw new Error(`tagger model not found: ${path} (train one with: inspection-themes train --out ${path})`);
  return parseModel(readFileSync(path, 'utf8'), path);
}

let cached: TagModel | null | undefined;

/** The shipped model (models/tagger.json, or $TAGGER_MODEL), loaded once; null when absent (rules only). */
export function defaultModel(): TagModel | null {
  if (cached === undefined) {
    const path = process.env.TAGGER_MODEL ?? DEFAULT_MODEL_PATH;
    cached = existsSync(path) ? loadModel(path) : null;
  }
  return cached;
}
