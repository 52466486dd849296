/**
 * `npm run eval`: S/I/M/N tagging (ours, document-grouped CV) vs natural's AFINN baseline,
 * then the theme evaluation, on ../shared/eval (or $EVAL_DIR).
 */
import { loadEvalUnits } from '../src/eval/data.js';
import { evaluateLabels, formatLabelEval } from '../src/eval/labels.js';
import { evaluateThemes, formatThemeEval } from '../src/eval/themes.js';

const units = loadEvalUnits();
const result = evaluateLabels(units);
process.stdout.write(formatLabelEval(result) + '\n\n');
process.stdout.write(formatThemeEval(evaluateThemes(units)) + '\n');
