import { DocumentError } from './errors.js';

/**
 * The time one document may take (--max-seconds-per-doc). Stages call check() between steps (a
 * PDF page, a cleaning pass); past the budget it throws DocumentError('timeout'), so the document
 * is skipped and reported like any other limit. A step that never returns is stopped by the
 * worker pool, which ends the thread (see pipeline/run.ts).
 */
export class Deadline {
  readonly #end: number;
  constructor(
    readonly seconds: number,
    /** Milliseconds already spent on this document elsewhere (a worker read it, this thread tags it). */
    spentMs = 0,
  ) {
    this.#end = seconds > 0 ? performance.now() + seconds * 1000 - spentMs : Number.POSITIVE_INFINITY;
  }
  /** Throws DocumentError('timeout') once the budget is spent; `step` names where. */
  check(step: string): void {
    if (performance.now() > this.#end) throw timeoutError(this.seconds, step);
  }
}

export function timeoutError(seconds: number, step: string): DocumentError {
  return new DocumentError('timeout', `took longer than ${seconds} s (--max-seconds-per-doc), stopped while ${step}`);
}

/** No budget (library calls that set none). */
export const NO_DEADLINE = new Deadline(0);
