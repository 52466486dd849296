/**
 * Print the segmentation agreement on ../shared/eval (or $EVAL_DIR):
 *   npm run build && node dist/scripts/segmentation-agreement.js
 */
import { fileURLToPath } from 'node:url';
import { formatAgreement, measureEvalAgreement } from '../src/segment/eval-agreement.js';

const evalDir = process.env.EVAL_DIR ?? fileURLToPath(new URL('../../../shared/eval', import.meta.url));
const r = await measureEvalAgreement(evalDir);
process.stdout.write(formatAgreement(r) + '\n');
