/** Process exit codes of the CLI (documented in the README). */
export const EXIT_OK = 0;
/** Unexpected internal error (a bug): the message says so; DEBUG=1 prints the stack. */
export const EXIT_INTERNAL = 1;
/** Usage or bad input: bad arguments, missing corpus folder, bad manifest, bad codebook, unusable output folder. */
export const EXIT_USAGE = 2;
/** The run completed and wrote its outputs, but N documents were skipped (listed in run_report.json). */
export const EXIT_SKIPPED = 3;
