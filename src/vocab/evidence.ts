/**
 * The vocabulary of evidence, in one place: what can have decided a label or a theme (the `kind`
 * of each piece of evidence in sentences.csv, the report and the QDA notes), as a typed union,
 * with the one constructor every stage uses.
 */
import type { Evidence, LabelCode } from '../types.js';

export const EVIDENCE_KINDS = [
  /** A cue phrase of the lexicon ("well embedded", "not always"). */
  'cue',
  /** A comparative cue ("more consistent", "further work"): pointing to improvement. */
  'comparative',
  /** A grade word or judgement row ("requires improvement to be good"). */
  'grade',
  /** A negation and what it scopes over, or a bare negation. */
  'negation',
  /** A neutral phrase of the lexicon (a service's name such as "early help"): it scores nothing. */
  'neutral',
  /** A hedge ("some", "most", "a minority of"). */
  'hedge',
  /** Clauses of a contrast ("but", "although"): each side's label. */
  'contrast',
  /** A cue under a conditional ("if", "when"): weighed less. */
  'conditional',
  /** Planning language ("will", "plans to"): an intention, not a finding. */
  'planning',
  /** The section heading's prior ("under: Areas for improvement"). */
  'section',
  /** A boilerplate line or section (contact details, inspection process, finance). */
  'boilerplate',
  /** The learned model's decision, and its probability. */
  'model',
  /** One of the model's strongest features for this sentence. */
  'feature',
  /** No evaluative cue: the rule layer's default. */
  'default',
  /** The researcher's own coding (run --overrides). */
  'override',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** One piece of evidence. */
export const evidence = (kind: EvidenceKind, value: string, points: LabelCode, weight: number): Evidence => ({ kind, value, points, weight });
