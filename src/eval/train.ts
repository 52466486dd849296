/**
 * Training the shipped sentence classifier (`npm run train`, `inspection-themes train`): every
 * annotated unit of ../shared/eval (train + dev) placed in its source document as the pipeline
 * reads it, features from src/tag/features.ts, the averaged perceptron (src/tag/linear.ts). The same
 * data gives a byte-identical model file.
 */
import type { AnnotationFile } from '../annotate/annotations.js';
import { makeSentence } from '../segment/sentence.js';
import { UserError } from '../util/errors.js';
import { alignEvalDocs, type AlignedDoc } from './align.js';
import { DEFAULT_EVAL_DIR, loadEvalUnits, type EvalUnit } from './data.js';
import { examplesOf, prepareDocs, unitsHash } from './labels.js';
import { SHIPPED_OPTIONS, trainPerceptron } from '../tag/linear.js';
import { serializeModel, type TrainingRecord } from '../tag/model.js';
import { loadCodebook, type Codebook } from '../theme/codebook.js';
import { serializeThemeModel } from '../theme/model.js';
import { themeRows, trainThemeModel } from './themes.js';

export interface TrainOptions {
  evalDir?: string;
  /** Model id recorded in the file and shown in the evidence. */
  id?: string;
  /** The codebook whose themes get scorers (default: the shipped one). */
  codebook?: Codebook;
  /** A researcher's annotations, added to the training data (each sentence on its own, with its section). */
  annotations?: AnnotationFile;
  onProgress?: (message: string) => void;
}

export interface TrainResult {
  /** The tagger model file's text. */
  json: string;
  /** The theme model file's text. */
  themesJson: string;
  /** Themes that got a scorer (the rest work from the codebook alone). */
  scoredThemes: string[];
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
  const extra = opts.annotations ? annotationDocs(opts.annotations) : { docs: [], noThemes: new Set<EvalUnit>() };
  const prepared = prepareDocs([...docs, ...extra.docs]);
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
    ...(opts.annotations ? { annotations: { file: opts.annotations.path, sha256: opts.annotations.sha256, units: extra.docs.length } } : {}),
  };
  opts.onProgress?.('training theme scorers');
  const cb = opts.codebook ?? loadCodebook();
  const themes = trainThemeModel(
    prepared.flatMap((p) => themeRows(p, cb)).filter((r) => !extra.noThemes.has(r.unit)),
    cb,
    `${opts.id ?? 'tagger'}-themes`,
  );
  const themesJson = serializeThemeModel(themes, { dataSha256: training.dataSha256, units: examples.length, documents: prepared.length });
  return { json: serializeModel(opts.id ?? 'tagger', model, SHIPPED_OPTIONS, training), themesJson, scoredThemes: [...themes.scorers.keys()], training, features: model.weights.size, missingSources: missing };
}

/**
 * Each annotation as a one-sentence document (its text and section path; no neighbours, which a
 * CSV row does not give). Rows without a themes column train the labels only.
 */
function annotationDocs(file: AnnotationFile): { docs: AlignedDoc[]; noThemes: Set<EvalUnit> } {
  const noThemes = new Set<EvalUnit>();
  const docs = file.rows.map((a): AlignedDoc => {
    if (!a.text) throw new UserError(`${file.path}: line ${a.line}: training needs the sentence's text (the text column of sentences.csv), not only its sentence_id`);
    const doc = `annotation:${a.line}`;
    const unit: EvalUnit = { doc, i: 0, text: a.text, label: a.code, themes: a.themes ?? [], how: 'annotation' };
    if (!a.themes) noThemes.add(unit);
    const sentence = makeSentence({ doc, index: 0, text: a.text, sectionPath: a.sectionPath });
    return { doc, kind: 'council_paper', units: [unit], sentences: [sentence], unitAt: [0], via: 'units' };
  });
  return { docs, noThemes };
}
