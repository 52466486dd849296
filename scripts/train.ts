/**
 * `npm run train`: train the tagger's classifier on every document of train + dev of ../shared/eval
 * (or $EVAL_DIR) and write models/tagger.json and models/themes.json (or the paths given). The eval script never scores
 * eval units with this file: it retrains per fold.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { trainTagger } from '../src/eval/train.js';
import { DEFAULT_MODEL_PATH } from '../src/tag/model.js';
import { DEFAULT_THEME_MODEL_PATH } from '../src/theme/model.js';
import { writeFileAtomic } from '../src/util/fs.js';

const out = process.argv[2] ?? DEFAULT_MODEL_PATH;
const themesOut = process.argv[3] ?? DEFAULT_THEME_MODEL_PATH;
const t0 = performance.now();
const r = await trainTagger({ onProgress: (m) => process.stderr.write(`train: ${m}\n`) });
mkdirSync(dirname(out), { recursive: true });
await writeFileAtomic(out, r.json);
mkdirSync(dirname(themesOut), { recursive: true });
await writeFileAtomic(themesOut, r.themesJson);
process.stderr.write(
  `trained on ${r.training.units} units from ${r.training.documents} documents (${r.features} features kept; data sha256 ${r.training.dataSha256.slice(0, 12)})` +
    `${r.missingSources.length ? `; sources missing for ${r.missingSources.length}` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s -> ${out}; ` +
    `theme scorers for ${r.scoredThemes.length} themes -> ${themesOut}\n`,
);
