/**
 * Learned combiner: natural's (naive) BayesClassifier over the rule layer's feature names
 * (cue kinds and strengths, negation / hedge scope outcomes, clause structure, section prior,
 * the rule label). Trained from ../shared/eval by `npm run train` into models/tagger.json
 * (versioned, with the hash of the training data); loaded once per process.
 *
 * Evaluation never uses the shipped model on eval units: src/eval/labels.ts trains one model
 * per held-out document.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import natural from '../nlp/natural.js';
import { REPO_ROOT } from '../util/paths.js';
import type { LabelCode } from '../types.js';
import { LABEL_CODES } from '../types.js';

export const MODEL_FORMAT = 'inspection-themes/tagger-model';
export const MODEL_FORMAT_VERSION = 1;
/**
 * Version of the feature extraction the model was trained on (rule features + content stems).
 * Bump it whenever rules.ts / lexicon.ts / decide() change the features, then `npm run train`.
 */
export const FEATURE_SET = 'rules+stems/1';
/** How much the model's log-probabilities count against the rule scores. */
export const DEFAULT_MODEL_WEIGHT = 0.25;
/** models/tagger.json in the package root (found from this module, whether run from src/ or dist/src/). */
export const DEFAULT_MODEL_PATH = join(REPO_ROOT, 'models', 'tagger.json');

export interface TrainingExample {
  features: string[];
  label: LabelCode;
}

export interface TagModel {
  id: string;
  weight: number;
  /** Normalised log-probabilities of each label given the features. */
  logProbs(features: string[]): Record<LabelCode, number>;
}

export interface ModelFile {
  format: string;
  formatVersion: number;
  id: string;
  featureSet: string;
  /** SHA-256 of the training data (dev.jsonl bytes) and what was used. */
  training: { dataSha256: string; units: number; documents: number; labelCounts: Record<string, number> };
  weight: number;
  classifier: unknown;
}

type Bayes = InstanceType<typeof natural.BayesClassifier>;

interface BayesInternals {
  features: Record<string, number>;
  classifier: { classFeatures: Record<string, Record<string, number>>; classTotals: Record<string, number>; totalExamples: number; smoothing: number };
}

/**
 * natural's Bayes classifier, scored through precomputed tables: the same arithmetic as
 * BayesClassifier.getClassifications (log P(c) + sum of log P(f|c) over the features present,
 * unseen features ignored), without building a dense vector over the whole vocabulary.
 */
class BayesTagModel implements TagModel {
  private readonly index = new Map<string, number>();
  private readonly logLik: Record<LabelCode, Float64Array>;
  private readonly logPrior: Record<LabelCode, number>;
  private readonly labels: LabelCode[];

  constructor(
    readonly id: string,
    readonly weight: number,
    private readonly bayes: Bayes,
  ) {
    const b = bayes as unknown as BayesInternals;
    Object.keys(b.features).forEach((f, i) => this.index.set(f, i));
    const c = b.classifier;
    this.labels = LABEL_CODES.filter((l) => c.classTotals[l] !== undefined);
    this.logLik = {} as Record<LabelCode, Float64Array>;
    this.logPrior = {} as Record<LabelCode, number>;
    for (const l of this.labels) {
      const arr = new Float64Array(this.index.size);
      for (let i = 0; i < arr.length; i++) arr[i] = Math.log((c.classFeatures[l][i] || c.smoothing) / c.classTotals[l]);
      this.logLik[l] = arr;
      this.logPrior[l] = Math.log(c.classTotals[l] / c.totalExamples);
    }
  }

  logProbs(features: string[]): Record<LabelCode, number> {
    const out = { S: -50, I: -50, M: -50, N: -50 } as Record<LabelCode, number>;
    const idx: number[] = [];
    const seen = new Set<string>();
    for (const f of features) {
      if (seen.has(f)) continue;
      seen.add(f);
      const i = this.index.get(f);
      if (i !== undefined) idx.push(i);
    }
    for (const l of this.labels) {
      const ll = this.logLik[l];
      let s = this.logPrior[l];
      for (const i of idx) s += ll[i];
      out[l] = s;
    }
    const mx = Math.max(...LABEL_CODES.map((c) => out[c]));
    let z = 0;
    for (const c of LABEL_CODES) z += Math.exp(out[c] - mx);
    for (const c of LABEL_CODES) out[c] = Math.max(out[c] - mx - Math.log(z), -20);
    return out;
  }

  /** The same classifier counted with another weight. */
  withWeight(weight: number): BayesTagModel {
    return new BayesTagModel(this.id, weight, this.bayes);
  }

  toJSON(): unknown {
    return this.bayes;
  }
}

/** A model with the same classifier and another combination weight. */
export function withWeight(model: TagModel, weight: number): TagModel {
  if (model instanceof BayesTagModel) return model.withWeight(weight);
  return { id: model.id, weight, logProbs: (f) => model.logProbs(f) };
}

const dedupe = (f: string[]) => [...new Set(f)].sort();

/** Train a model from feature lists (deterministic: examples are used in the order given). */
export function trainModel(examples: TrainingExample[], id = 'tagger', weight = DEFAULT_MODEL_WEIGHT): TagModel {
  const bayes = new natural.BayesClassifier();
  for (const ex of examples) {
    const f = dedupe(ex.features);
    bayes.addDocument(f.length ? f : ['__none__'], ex.label);
  }
  trainSparse(bayes);
  return new BayesTagModel(id, weight, bayes);
}

/**
 * What BayesClassifier.train() computes, with each document given to the classifier as the
 * indexes of its features (natural's sparse observation) instead of a 0/1 vector over the whole
 * vocabulary: the same counts, in time linear in the features rather than documents x vocabulary.
 */
function trainSparse(bayes: Bayes): void {
  const b = bayes as unknown as SparseTrainable;
  const index = new Map<string, number>();
  for (const f of Object.keys(b.features)) index.set(f, index.size);
  for (let i = b.lastAdded; i < b.docs.length; i++) {
    const doc = b.docs[i]!;
    const present = new Set<number>();
    for (const f of doc.text) {
      const k = index.get(f);
      if (k !== undefined) present.add(k);
    }
    // A plain object (not an array) is natural's sparse form: its values are feature indexes. That
    // form does not count the example itself, which the 0/1-vector form does: counted here.
    b.classifier.addExample(Object.fromEntries([...present].map((k, j) => [j, k])), doc.label);
    b.classifier.totalExamples++;
    b.classifier.classTotals[doc.label]!++;
  }
  b.lastAdded = b.docs.length;
  b.classifier.train();
}

interface SparseTrainable {
  features: Record<string, number>;
  docs: { label: string; text: string[] }[];
  lastAdded: number;
  classifier: { addExample(observation: Record<number, number>, label: string): void; train(): void; totalExamples: number; classTotals: Record<string, number> };
}

/** The training documents are not needed to classify: keep only counts and the feature index. */
function stripDocs(c: Record<string, unknown>): Record<string, unknown> {
  const { docs: _docs, _events: _e, _eventsCount: _c, lastAdded: _l, ...rest } = c;
  return { ...rest, docs: [], lastAdded: 0 };
}

export function serializeModel(model: TagModel, training: ModelFile['training']): string {
  if (!(model instanceof BayesTagModel)) throw new Error('only Bayes tag models can be saved');
  const file: ModelFile = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    id: model.id,
    featureSet: FEATURE_SET,
    training,
    weight: model.weight,
    classifier: stripDocs(JSON.parse(JSON.stringify(model.toJSON())) as Record<string, unknown>),
  };
  return JSON.stringify(file, null, 1) + '\n';
}

export function parseModel(json: string): TagModel {
  const file = JSON.parse(json) as ModelFile;
  if (file.format !== MODEL_FORMAT || file.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new Error(`unsupported tagger model format ${file.format} v${file.formatVersion} (expected ${MODEL_FORMAT} v${MODEL_FORMAT_VERSION})`);
  }
  if (file.featureSet !== FEATURE_SET) {
    throw new Error(`tagger model was trained on features ${file.featureSet}, this code extracts ${FEATURE_SET}: run npm run train`);
  }
  const bayes = natural.BayesClassifier.restore(file.classifier as Record<string, unknown>) as Bayes;
  return new BayesTagModel(file.id, file.weight, bayes);
}

let cached: TagModel | null | undefined;

/** The shipped model (models/tagger.json), loaded once; null when absent (rules only). */
export function defaultModel(): TagModel | null {
  if (cached === undefined) {
    const path = process.env.TAGGER_MODEL ?? DEFAULT_MODEL_PATH;
    cached = existsSync(path) ? parseModel(readFileSync(path, 'utf8')) : null;
  }
  return cached;
}
