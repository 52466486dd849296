/**
 * The one place the project imports `natural`. natural 8 loads dotenv, which prints
 * "tips" to stdout on import; quiet-env runs first (ES module evaluation order) and
 * silences them, so they never reach the CLI's output.
 */
import './quiet-env.js';
import natural from 'natural';

export default natural;
