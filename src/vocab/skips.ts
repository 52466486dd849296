/**
 * The vocabulary of skipped documents, in one place: why a document was skipped (the `code` of
 * run_report.json's `skipped` entries and of the stderr line `skipped <file> (<code>): …`),
 * as a typed union. README, "Robustness", lists every code; test/vocab.test.ts checks it does.
 */
export const SKIP_CODES = [
  /** A file with no bytes, or no text after cleaning. */
  'empty',
  /** Binary content in a text format. */
  'binary',
  /** A PDF that no engine can open. */
  'corrupt',
  /** Content of another format than the extension says (an HTML page saved as .pdf). */
  'wrong_format',
  /** A password-protected PDF. */
  'encrypted',
  /** A PDF with no text layer (scanned, image only). */
  'no_text',
  /** Over --max-file-mb. */
  'too_large',
  /** Over --max-pages. */
  'too_many_pages',
  /** Over --max-seconds-per-doc. */
  'timeout',
  /** A file of an unsupported format (.docx, .xlsx). */
  'unsupported',
  /** A file that cannot be read: permissions, a dangling link or a link loop, a FIFO or device. */
  'unreadable',
  /** A symbolic link to a file outside the corpus folder (read with --follow-symlinks). */
  'outside_corpus',
  /** An unexpected failure on that document (a bug: the run goes on). */
  'error',
] as const;
export type SkipCode = (typeof SKIP_CODES)[number];
