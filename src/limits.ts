/**
 * The per-document limits: one definition for the pipeline, ingest() and the command line (their
 * defaults are these). Every limit hit is reported in run_report.json.
 */
/** Resource limits applied per document. */
export interface Limits {
  /** Files larger than this are skipped (code 'too_large') without being read. */
  maxFileBytes: number;
  /** PDFs with more pages than this are skipped (code 'too_many_pages'). */
  maxPages: number;
  /**
   * Sentences longer than this (characters) are split into pieces of at most this length,
   * at a clause or word boundary; no text is dropped. Counted in run_report.json.
   */
  maxSentenceChars: number;
  /**
   * Seconds one document may take from being read to being themed; past it the document is
   * skipped (code 'timeout'). 0 = no budget.
   */
  maxSecondsPerDoc: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxFileBytes: 40 * 1024 * 1024,
  maxPages: 1000,
  maxSentenceChars: 2000,
  maxSecondsPerDoc: 300,
};

/** A limit that changed what was read (a document skipped is reported under `skipped` instead). */
export interface LimitHit {
  file: string;
  limit: keyof Limits;
  /** Sentences over the limit. */
  count: number;
  /** Pieces those sentences were split into. */
  pieces: number;
  /** Length of the longest over-long sentence (characters). */
  longest: number;
}

