import type { SkipCode } from '../types.js';

/** An error with a one-line, user-facing message (no stack trace is shown for these). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A document could not be processed; it is reported and skipped, never fatal. */
export class DocumentError extends Error {
  constructor(
    readonly code: SkipCode,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentError';
  }
}
