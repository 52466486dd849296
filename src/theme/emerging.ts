import type { AnalysedDocument } from '../types.js';
import type { Codebook } from './codebook.js';

/** A distinctive word or phrase that no codebook theme covers. */
export interface EmergingTerm {
  /** Council name, or '' for the whole corpus. */
  council: string;
  term: string;
  /** TF-IDF score (higher = more distinctive). */
  score: number;
  /** Evaluative sentences containing the term. */
  sentences: number;
  /** Up to a few sentence ids as examples. */
  examples: string[];
}

/** Emerging terms per council and overall. STUB: filled in by the themes work (issue 5). */
export function emergingTerms(_documents: AnalysedDocument[], _codebook: Codebook): EmergingTerm[] {
  return [];
}
