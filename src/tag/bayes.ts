/**
 * natural's naive Bayes classifier over named features, one of the model families compared in the
 * evaluation (src/tag/linear.ts). Trained sparsely (the same counts as BayesClassifier.train) and
 * scored through precomputed log tables.
 */
import natural from '../nlp/natural.js';
import type { LabelCode } from '../types.js';
import { LABEL_CODES } from '../types.js';

export interface BayesExample {
  features: string[];
  label: LabelCode;
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
export class BayesModel {
  private readonly index = new Map<string, number>();
  private readonly logLik: Record<LabelCode, Float64Array>;
  private readonly logPrior: Record<LabelCode, number>;
  private readonly labels: LabelCode[];

  constructor(bayes: Bayes) {
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

}

const dedupe = (f: string[]) => [...new Set(f)].sort();

/** Train a model from feature lists (deterministic: examples are used in the order given). */
export function trainModel(examples: BayesExample[]): BayesModel {
  const bayes = new natural.BayesClassifier();
  for (const ex of examples) {
    const f = dedupe(ex.features);
    bayes.addDocument(f.length ? f : ['__none__'], ex.label);
  }
  trainSparse(bayes);
  return new BayesModel(bayes);
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

