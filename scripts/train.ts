/**
 * `npm run train`: train the tagger's learned combiner on every document of train + dev of
 * ../shared/eval (or $EVAL_DIR) and write models/tagger.json (format version + training-data
 * hash). The combiner weight is chosen by k-fold cross-validation by document over the same
 * documents. The eval script never scores eval units with this file: it retrains per fold.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { groupByDoc, loadEvalUnits } from '../src/eval/data.js';
import { examplesOf, prepareDocs, selectModelWeight, unitsHash } from '../src/eval/labels.js';
import { DEFAULT_MODEL_PATH, serializeModel, trainModel } from '../src/tag/model.js';

const units = loadEvalUnits();
const docs = groupByDoc(units);
const prepared = prepareDocs(docs);
const examples = examplesOf(prepared);
const { weight, macroF1 } = selectModelWeight(prepared);
const labelCounts: Record<string, number> = {};
for (const e of examples) labelCounts[e.label] = (labelCounts[e.label] ?? 0) + 1;
const model = trainModel(examples, 'tagger', weight);
const out = process.argv[2] ?? DEFAULT_MODEL_PATH;
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  serializeModel(model, {
    dataSha256: unitsHash([...docs.values()].flat()),
    units: examples.length,
    documents: docs.size,
    labelCounts: Object.fromEntries(Object.entries(labelCounts).sort(([a], [b]) => a.localeCompare(b))),
  }),
);
process.stderr.write(
  `trained on ${examples.length} units from ${docs.size} documents; weight ${weight} ` +
    `(k-fold macro-F1 by weight: ${Object.entries(macroF1).sort(([a], [b]) => Number(a) - Number(b)).map(([w, f]) => `${w}=${f.toFixed(3)}`).join(' ')}) -> ${out}\n`,
);
