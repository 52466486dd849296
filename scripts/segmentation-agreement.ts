/**
 * Print the segmentation agreement on ../shared/eval (or $EVAL_DIR):
 *   npm run build && node dist/scripts/segmentation-agreement.js
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAgreement, measureEvalAgreement } from '../src/eval/segment-agreement-data.js';

// dist/scripts/ -> repo root -> ../shared/eval; else relative to the working directory (tsx).
const besideRepo = fileURLToPath(new URL('../../../shared/eval', import.meta.url));
const evalDir = process.env.EVAL_DIR ?? (existsSync(besideRepo) ? besideRepo : resolve(process.cwd(), '../shared/eval'));
const r = await measureEvalAgreement(evalDir);
process.stdout.write(formatAgreement(r) + '\n');
