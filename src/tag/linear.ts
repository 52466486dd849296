/**
 * Linear sentence classifiers over named features: multinomial logistic regression (AdaGrad,
 * L2) and an averaged perceptron, plus natural's naive Bayes behind the same interface, so the
 * three model families can be compared on the same features (src/eval/labels.ts).
 *
 * Training is deterministic: examples are visited in an order shuffled by a fixed-seed generator,
 * and weights are rounded to WEIGHT_DECIMALS, so the same data gives byte-identical model files.
 */
import type { LabelCode } from '../types.js';
import { LABEL_CODES } from '../types.js';
import { trainModel as trainBayes, type BayesModel } from './bayes.js';

export interface TrainingExample {
  features: readonly string[];
  label: LabelCode;
}

/** A feature's contribution to the chosen label. */
export interface Contribution {
  feature: string;
  weight: number;
}

export interface Classifier {
  readonly family: ModelFamily;
  /** Normalised log-probabilities per label (for the perceptron: log-softmax of its scores). */
  scores(features: readonly string[]): Record<LabelCode, number>;
  /** The features that pushed hardest towards `label` (largest weight for it minus the best other label's). */
  explain(features: readonly string[], label: LabelCode, n: number): Contribution[];
}

export const MODEL_FAMILIES = ['logistic', 'perceptron', 'naive_bayes'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

export interface LinearOptions {
  epochs: number;
  /** AdaGrad base learning rate (logistic). */
  learningRate: number;
  /** L2 penalty per update (logistic). */
  l2: number;
  /** Features seen in fewer training examples are dropped. */
  minCount: number;
  seed: number;
  /**
   * Perceptron: trainings over this many shuffle orders (seeds seed, seed+1, ...) whose averaged
   * weights are averaged again. One order's model depends on which mistakes it met first; the
   * mean of several is steadier and generalises better.
   */
  orders?: number;
}

export const DEFAULT_LINEAR: LinearOptions = { epochs: 6, learningRate: 0.2, l2: 1e-6, minCount: 2, seed: 1 };
export const DEFAULT_PERCEPTRON: LinearOptions = { ...DEFAULT_LINEAR, epochs: 10, orders: 10 };

export const WEIGHT_DECIMALS = 4;
const L = LABEL_CODES.length;
const round = (x: number) => {
  const r = Math.round(x * 10 ** WEIGHT_DECIMALS) / 10 ** WEIGHT_DECIMALS;
  return Object.is(r, -0) ? 0 : r;
};

/** Weights per feature, one per label in LABEL_CODES order. */
export class LinearModel implements Classifier {
  constructor(
    readonly family: 'logistic' | 'perceptron',
    readonly weights: ReadonlyMap<string, Float64Array>,
    /** Scores are divided by it before the softmax (1 for logistic regression; fitted for the perceptron). */
    readonly temperature = 1,
  ) {}

  private lastFeatures: readonly string[] | undefined;
  private lastRaw: Float64Array | undefined;

  /** Raw linear scores per label (LABEL_CODES order); the last result is kept for explain(). */
  raw(features: readonly string[]): Float64Array {
    if (features === this.lastFeatures && this.lastRaw) return this.lastRaw;
    const z = new Float64Array(L);
    for (const f of features) {
      const w = this.weights.get(f);
      if (w) for (let c = 0; c < L; c++) z[c]! += w[c]!;
    }
    this.lastFeatures = features;
    this.lastRaw = z;
    return z;
  }

  scores(features: readonly string[]): Record<LabelCode, number> {
    return logSoftmax(this.raw(features), this.temperature);
  }

  explain(features: readonly string[], label: LabelCode, n: number): Contribution[] {
    const s = this.raw(features);
    const c = LABEL_CODES.indexOf(label);
    let rival = -1;
    for (let k = 0; k < L; k++) if (k !== c && (rival < 0 || s[k]! > s[rival]!)) rival = k;
    // The n largest positive contributions, kept in a small sorted array (features are distinct).
    const top: Contribution[] = [];
    const before = (a: Contribution, b: Contribution) => a.weight > b.weight || (a.weight === b.weight && a.feature < b.feature);
    for (const f of features) {
      const w = this.weights.get(f);
      if (!w) continue;
      const d = w[c]! - w[rival]!;
      if (d <= 0) continue;
      const x = { feature: f, weight: d };
      if (top.length === n && !before(x, top[n - 1]!)) continue;
      let i = top.length === n ? n - 1 : top.length;
      top[i] = x;
      while (i > 0 && before(top[i]!, top[i - 1]!)) {
        [top[i - 1], top[i]] = [top[i]!, top[i - 1]!];
        i--;
      }
    }
    return top;
  }
}

/**
 * Log-softmax of scores / temperature: probabilities for logistic regression; for the perceptron a
 * calibrated normalisation of its scores (the arg-max is unchanged), read as a confidence.
 */
function logSoftmax(raw: Float64Array, temperature: number): Record<LabelCode, number> {
  const z = raw.map((x) => x / temperature);
  let mx = -Infinity;
  for (let c = 0; c < L; c++) mx = Math.max(mx, z[c]!);
  let sum = 0;
  for (let c = 0; c < L; c++) sum += Math.exp(z[c]! - mx);
  const lz = mx + Math.log(sum);
  return { S: z[0]! - lz, I: z[1]! - lz, M: z[2]! - lz, N: z[3]! - lz };
}

/** Mean negative log-likelihood of the gold labels at a temperature. */
function meanNll(raws: readonly Float64Array[], labels: Uint8Array, temperature: number): number {
  let nll = 0;
  raws.forEach((r, i) => {
    nll -= logSoftmax(r, temperature)[LABEL_CODES[labels[i]!]!];
  });
  return nll / Math.max(1, raws.length);
}

/** The temperature (0.05..200, golden-section search on its log) that minimises the NLL. */
export function fitTemperature(raws: readonly Float64Array[], labels: Uint8Array): number {
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(0.05);
  let b = Math.log(200);
  for (let it = 0; it < 40; it++) {
    const c = b - phi * (b - a);
    const d = a + phi * (b - a);
    if (meanNll(raws, labels, Math.exp(c)) < meanNll(raws, labels, Math.exp(d))) b = d;
    else a = c;
  }
  return Number(Math.exp((a + b) / 2).toPrecision(4));
}

/** Park-Miller style generator: deterministic shuffles. */
function generator(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x = Math.imul(x, 48271) % 2147483647;
    if (x < 0) x += 2147483647;
    return x / 2147483647;
  };
}

interface Indexed {
  names: string[];
  rows: Int32Array[];
  labels: Uint8Array;
}

/** Features as indexes (in order of first appearance), rare ones dropped. */
function indexExamples(examples: readonly TrainingExample[], minCount: number): Indexed {
  const count = new Map<string, number>();
  for (const e of examples) for (const f of new Set(e.features)) count.set(f, (count.get(f) ?? 0) + 1);
  const index = new Map<string, number>();
  const names: string[] = [];
  const rows = examples.map((e) => {
    const ids: number[] = [];
    for (const f of new Set(e.features)) {
      if ((count.get(f) ?? 0) < minCount) continue;
      let i = index.get(f);
      if (i === undefined) {
        i = names.length;
        index.set(f, i);
        names.push(f);
      }
      ids.push(i);
    }
    return Int32Array.from(ids);
  });
  return { names, rows, labels: Uint8Array.from(examples.map((e) => LABEL_CODES.indexOf(e.label))) };
}

function shuffled(n: number, rnd: () => number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = idx[i]!;
    idx[i] = idx[j]!;
    idx[j] = t;
  }
  return idx;
}

function toModel(family: 'logistic' | 'perceptron', names: string[], W: Float64Array, temperature = 1): LinearModel {
  const weights = new Map<string, Float64Array>();
  names.forEach((f, i) => {
    const w = Float64Array.from({ length: L }, (_, c) => round(W[i * L + c]!));
    if (w.some((x) => x !== 0)) weights.set(f, w);
  });
  return new LinearModel(family, new Map([...weights].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), temperature);
}

/** Multinomial logistic regression, AdaGrad with an L2 penalty. */
export function trainLogistic(examples: readonly TrainingExample[], opts: LinearOptions = DEFAULT_LINEAR): LinearModel {
  const { names, rows, labels } = indexExamples(examples, opts.minCount);
  const W = new Float64Array(names.length * L);
  const G = new Float64Array(names.length * L).fill(1e-8);
  const rnd = generator(opts.seed);
  const z = new Float64Array(L);
  for (let e = 0; e < opts.epochs; e++) {
    for (const r of shuffled(rows.length, rnd)) {
      const x = rows[r]!;
      const y = labels[r]!;
      z.fill(0);
      for (const f of x) for (let c = 0; c < L; c++) z[c]! += W[f * L + c]!;
      let mx = -Infinity;
      for (let c = 0; c < L; c++) mx = Math.max(mx, z[c]!);
      let sum = 0;
      for (let c = 0; c < L; c++) sum += z[c] = Math.exp(z[c]! - mx);
      for (let c = 0; c < L; c++) {
        const g = z[c]! / sum - (c === y ? 1 : 0);
        for (const f of x) {
          const k = f * L + c;
          const gg = g + opts.l2 * W[k]!;
          G[k]! += gg * gg;
          W[k]! -= (opts.learningRate * gg) / Math.sqrt(G[k]!);
        }
      }
    }
  }
  return toModel('logistic', names, W);
}

/**
 * Multi-class averaged perceptron (Collins 2002), averaging done lazily with timestamps; with
 * `orders`, the mean of the averaged weights of that many trainings in different shuffle orders.
 */
export function trainPerceptron(examples: readonly TrainingExample[], opts: LinearOptions = DEFAULT_PERCEPTRON): LinearModel {
  const { names, rows, labels } = indexExamples(examples, opts.minCount);
  const mean = meanOfOrders(names.length * L, opts, (seed) => perceptronWeights(rows, labels, names.length, opts.epochs, seed));
  // Confidence: the softmax temperature that fits the training labels best (on the rounded weights).
  const rounded = toModel('perceptron', names, mean);
  const raws = examples.map((e) => rounded.raw(e.features));
  return toModel('perceptron', names, mean, fitTemperature(raws, labels));
}

/** The mean of the weights of `opts.orders` trainings (1 by default), in the shuffle orders of seeds seed, seed+1, ... */
function meanOfOrders(size: number, opts: LinearOptions, train: (seed: number) => Float64Array): Float64Array {
  const orders = Math.max(1, opts.orders ?? 1);
  const mean = new Float64Array(size);
  for (let o = 0; o < orders; o++) {
    const w = train(opts.seed + o);
    for (let k = 0; k < size; k++) mean[k]! += w[k]! / orders;
  }
  return mean;
}

/** One averaged-perceptron training over the indexed rows in the shuffle order of `seed`. */
function perceptronWeights(rows: readonly Int32Array[], labels: Uint8Array, features: number, epochs: number, seed: number): Float64Array {
  const W = new Float64Array(features * L);
  const U = new Float64Array(features * L); // sum of t * update, for the average
  const rnd = generator(seed);
  let t = 1;
  for (let e = 0; e < epochs; e++) {
    for (const r of shuffled(rows.length, rnd)) {
      const x = rows[r]!;
      const y = labels[r]!;
      let best = 0;
      let bestScore = -Infinity;
      for (let c = 0; c < L; c++) {
        let s = 0;
        for (const f of x) s += W[f * L + c]!;
        if (s > bestScore) {
          bestScore = s;
          best = c;
        }
      }
      if (best !== y) {
        for (const f of x) {
          W[f * L + y]! += 1;
          U[f * L + y]! += t;
          W[f * L + best]! -= 1;
          U[f * L + best]! -= t;
        }
      }
      t++;
    }
  }
  const avg = new Float64Array(W.length);
  for (let k = 0; k < W.length; k++) avg[k] = W[k]! - U[k]! / t;
  return avg;
}

/** natural's naive Bayes over the same features. */
export class BayesClassifierModel implements Classifier {
  readonly family = 'naive_bayes' as const;
  constructor(private readonly bayes: BayesModel) {}
  scores(features: readonly string[]): Record<LabelCode, number> {
    return this.bayes.logProbs([...features]);
  }
  explain(): Contribution[] {
    return [];
  }
}

/** The family the shipped model uses: the best of the comparison (README, `npm run eval`). */
export const SHIPPED_FAMILY = 'perceptron' as const satisfies ModelFamily;
export const SHIPPED_OPTIONS: LinearOptions = DEFAULT_PERCEPTRON;

export function trainFamily(family: ModelFamily, examples: readonly TrainingExample[]): Classifier {
  if (family === 'logistic') return trainLogistic(examples);
  if (family === 'perceptron') return trainPerceptron(examples);
  return new BayesClassifierModel(trainBayes(examples.map((e) => ({ features: [...e.features], label: e.label }))));
}

/** Arg-max with a fixed tie order (N, S, I, M): ties go to the less committal label. */
export function argmax(scores: Record<LabelCode, number>): LabelCode {
  let code: LabelCode = 'N';
  for (const c of ['S', 'I', 'M'] as LabelCode[]) if (scores[c] > scores[code]) code = c;
  return code;
}

/** Feature lists as index arrays over one vocabulary (features in fewer than minCount lists dropped), built once and shared by several binary trainings. */
export interface IndexedFeatures {
  names: string[];
  rows: Int32Array[];
}

export function indexFeatures(lists: readonly (readonly string[])[], minCount: number): IndexedFeatures {
  const { names, rows } = indexExamples(
    lists.map((features) => ({ features, label: 'S' as LabelCode })),
    minCount,
  );
  return { names, rows };
}

/**
 * Binary averaged perceptron (one theme against the rest) on the rows of `data` selected by
 * `use` (all by default), positive where `positive[k]`; with `orders`, the mean over that many
 * shuffle orders. Weights rounded to WEIGHT_DECIMALS, zero weights dropped, features sorted.
 * Score > 0 means positive.
 */
export function trainBinaryPerceptron(data: IndexedFeatures, positive: readonly boolean[], opts: LinearOptions = DEFAULT_PERCEPTRON, use?: (k: number) => boolean): Map<string, number> {
  const { names } = data;
  const picked: number[] = [];
  for (let k = 0; k < data.rows.length; k++) if (!use || use(k)) picked.push(k);
  const mean = meanOfOrders(names.length, opts, (seed) => binaryPerceptronWeights(data.rows, picked, positive, names.length, opts.epochs, seed));
  const out = new Map<string, number>();
  names.forEach((f, i) => {
    const w = round(mean[i]!);
    if (w !== 0) out.set(f, w);
  });
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** One binary averaged-perceptron training over the picked rows in the shuffle order of `seed`. */
function binaryPerceptronWeights(rows: readonly Int32Array[], picked: readonly number[], positive: readonly boolean[], features: number, epochs: number, seed: number): Float64Array {
  const W = new Float64Array(features);
  const U = new Float64Array(features);
  const rnd = generator(seed);
  let t = 1;
  for (let e = 0; e < epochs; e++) {
    for (const p of shuffled(picked.length, rnd)) {
      const r = picked[p]!;
      const x = rows[r]!;
      const y = positive[r] ? 1 : -1;
      let s = 0;
      for (const f of x) s += W[f]!;
      if (y * s <= 0) {
        for (const f of x) {
          W[f]! += y;
          U[f]! += y * t;
        }
      }
      t++;
    }
  }
  const avg = new Float64Array(features);
  for (let i = 0; i < features; i++) avg[i] = W[i]! - U[i]! / t;
  return avg;
}
