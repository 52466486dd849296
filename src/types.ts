/**
 * Shared record types: the contract between pipeline stages.
 *
 * Each stage is a function from one record to the next:
 *   ingest:    SourceFile            -> IngestedDocument   (text extracted, cleaned, metadata)
 *   segment:   IngestedDocument      -> SegmentedDocument  (sections + sentences)
 *   tag:       Sentence              -> Finding            (S/I/M/N label with evidence)
 *   theme:     Finding               -> ThemedFinding      (theme ids with matched terms)
 *   aggregate: ThemedFinding[] + Document[] -> Aggregates (council x theme summaries)
 *   render/export: Aggregates       -> files in the output folder
 */

import type { DocumentType, Framework } from './vocab/documents.js';
export type { DocumentType, Framework } from './vocab/documents.js';

/** Finding label codes, as in the codebook (S/I/M/N). */
export type LabelCode = 'S' | 'I' | 'M' | 'N';
/** Finding label values as written in CSV outputs. */
export type Label = 'strength' | 'improvement' | 'mixed' | 'neutral';

export const LABELS: readonly Label[] = ['strength', 'improvement', 'mixed', 'neutral'] as const;
export const LABEL_CODES: readonly LabelCode[] = ['S', 'I', 'M', 'N'] as const;
export const CODE_TO_LABEL: Readonly<Record<LabelCode, Label>> = {
  S: 'strength',
  I: 'improvement',
  M: 'mixed',
  N: 'neutral',
};
export const LABEL_TO_CODE: Readonly<Record<Label, LabelCode>> = {
  strength: 'S',
  improvement: 'I',
  mixed: 'M',
  neutral: 'N',
};

export type SourceFormat = 'pdf' | 'txt' | 'md' | 'html';

/** Ofsted judgement grades ('adequate' is grade 3 of the four-point scale used until 2013). */
export type { Grade } from './vocab/grades.js';
import type { Grade } from './vocab/grades.js';
import type { EvidenceKind } from './vocab/evidence.js';

export interface Grades {
  overall?: Grade;
  /** ILACS area judgements (and older SIF areas where the table has them), keyed by a stable id. */
  areas: Record<string, Grade>;
}

/** A file found in the corpus folder, plus its manifest row (if any). */
export interface SourceFile {
  /** File name relative to the corpus folder (POSIX separators); the `doc` id in outputs. */
  file: string;
  /** Absolute path. */
  path: string;
  format: SourceFormat;
  /** Manifest row (all columns as given, trimmed), if the folder has a manifest naming this file. */
  manifest?: Record<string, string>;
  /** What the folder and file names say (the scrape tool's layout, ingest/layout.ts), in manifest column names. */
  layout?: Record<string, string>;
}

export interface DocumentMeta {
  /** Local authority display name (gazetteer canonical name), or '' when unknown. */
  council: string;
  /** ONS code of the local authority (E06/E08/E09/E10...), or ''. */
  onsCode: string;
  /** Region name, or ''. */
  region: string;
  /** ISO date (YYYY-MM-DD), or '' when the text and manifest give none. */
  date: string;
  /** Publication date (manifest `published`, else "Report published:" in the text), or ''. */
  published: string;
  /** First and last day of the inspection on site ("Inspection dates: ..."), or ''. */
  inspectionStart: string;
  inspectionEnd: string;
  documentType: DocumentType;
  /** Inspection framework of an Ofsted document (from its title, else its inspection or publication date), or ''. */
  framework: Framework | '';
  grades: Grades;
  /** Where each field came from: 'manifest' | 'text' | 'filename' | 'none'. */
  provenance: Record<string, string>;
  /** Extra manifest columns, passed through. */
  extra: Record<string, string>;
}

/** Counts of material removed by cleaning, by kind (page numbers, headers, back matter...). */
export type DroppedCounts = Record<string, number>;

/** Output of ingest: clean text of one document with its metadata. */
export interface IngestedDocument {
  /** = SourceFile.file */
  id: string;
  file: string;
  format: SourceFormat;
  /** SHA-256 of the file bytes (hex). */
  sha256: string;
  /** Detected encoding for text formats ('utf-8', 'utf-16le', 'utf-16be', 'windows-1252'); 'pdf' for PDFs. */
  encoding: string;
  pageCount: number;
  /**
   * Clean text blocks in reading order. A block is a paragraph, heading or list item,
   * already reflowed (layout line-wraps joined, de-hyphenated).
   */
  blocks: TextBlock[];
  meta: DocumentMeta;
  dropped: DroppedCounts;
  /** Non-fatal problems noticed while ingesting. */
  warnings: string[];
}

export type BlockKind = 'heading' | 'paragraph' | 'list_item' | 'table_row' | 'quote';

export interface TextBlock {
  kind: BlockKind;
  text: string;
  /** Heading level (1 = top) for headings. */
  level?: number;
  /** 1-based page where the block starts (PDFs), else 1. */
  page: number;
  /** Bullet or number marker for list items, e.g. '•', '1.', '18.1.', '(i)'. */
  marker?: string;
  /** True when the block sits inside a quoted passage (e.g. an Ofsted letter quoted in a council report). */
  quoted?: boolean;
}

export interface Section {
  /** Index of the section within its document. */
  index: number;
  heading: string;
  level: number;
  /** Headings from the top of the document down to this one. */
  path: string[];
}

/** Output of segment: one sentence (or list item) with its place in the document. */
export interface Sentence {
  /** Stable id: `${doc}#${index}` */
  id: string;
  doc: string;
  /** Position of the sentence in its document (0-based). */
  index: number;
  text: string;
  /** Heading path of the section the sentence is in (outermost first). */
  sectionPath: string[];
  /** Block kind the sentence came from. */
  blockKind: BlockKind;
  isListItem: boolean;
  isQuote: boolean;
  isHeading: boolean;
  page: number;
  /** 1-based number of the block (paragraph, heading, list item, table row) the sentence is in. */
  block: number;
  /**
   * Where the sentence sits in the document's extracted text (segment/text.ts documentText, the
   * text written to project.qdpx's Sources/): 0-based offsets in Unicode characters (code points),
   * end exclusive, so that text = [...documentText].slice(start, end).join('').
   */
  start: number;
  end: number;
  /** Lower-cased word tokens (natural's word tokenizer). */
  tokens: string[];
  /** Porter stems of the tokens (natural), same length as tokens. */
  stems: string[];
}

export interface SegmentedDocument extends Omit<IngestedDocument, 'blocks'> {
  sections: Section[];
  sentences: Sentence[];
}

/** One piece of evidence behind a label: a cue, scope rule, section prior or model feature. */
export interface Evidence {
  /** What it is (vocab/evidence.ts EVIDENCE_KINDS). */
  kind: EvidenceKind;
  /** What matched, e.g. the cue phrase or feature name. */
  value: string;
  /** Which label it pointed to. */
  points: LabelCode;
  /** Contribution weight (sign-free). */
  weight: number;
}

export interface ClauseLabel {
  text: string;
  label: LabelCode;
  evidence: Evidence[];
}

/** Output of tag. */
export interface Finding extends Sentence {
  label: Label;
  code: LabelCode;
  /** Confidence in [0,1]. */
  confidence: number;
  evidence: Evidence[];
  clauses: ClauseLabel[];
}

export interface ThemeHit {
  theme: string;
  /** Terms (phrases/lemmas) that matched, or 'implied by X'. */
  terms: string[];
}

/** Output of theme. */
export interface ThemedFinding extends Finding {
  themes: ThemeHit[];
}

/** A document's record after the whole per-document pipeline. */
/**
 * A finding as a document keeps it after the per-document stages: a themed finding without the
 * tokens and stems, which only those stages use (they are recomputable from the text with
 * nlp/tokens.ts), and without the per-clause labels, which no output shows (the sentence's
 * evidence says what decided it; `inspection-themes tag` prints the clauses). Leaving them out
 * makes the record less than half the size to hold in memory, to pass from a worker thread and to
 * cache.
 */
export type DocumentFinding = Omit<ThemedFinding, 'tokens' | 'stems' | 'clauses'>;

export interface AnalysedDocument extends Omit<SegmentedDocument, 'sentences'> {
  findings: DocumentFinding[];
  /**
   * Candidate emerging terms of the document's evaluative findings (theme/emerging.ts
   * documentTerms), computed per document so that the corpus-wide ranking only merges tables.
   * Absent on documents built by hand: emergingTerms computes it then.
   */
  terms?: DocumentTerm[];
}

/** One candidate term of a document: occurrences and the positions (in `findings`) of the sentences holding it. */
export interface DocumentTerm {
  term: string;
  count: number;
  /** Indices into the document's findings array, ascending. */
  findings: number[];
}

/** Council x theme summary (aggregate stage). */
export interface CouncilSummary {
  council: string;
  onsCode: string;
  theme: string;
  strengths: number;
  improvements: number;
  mixed: number;
  /** Evaluative sentences of this council (S+I+M, all themes): the rate denominator. */
  evaluative: number;
  /** Evaluative sentences of this council on this theme. */
  themeEvaluative: number;
  /** (improvements + mixed) / themeEvaluative, or null when themeEvaluative = 0. */
  improvementShare: number | null;
  /** 95% Wilson interval of the improvement share, or null when themeEvaluative = 0. */
  improvementLow: number | null;
  improvementHigh: number | null;
  /** (strengths - improvements) / themeEvaluative, or null. */
  netBalance: number | null;
  /** Documents contributing sentences. */
  documents: string[];
  /** Sentence ids behind the counts (after de-duplication). */
  sentenceIds: string[];
}

export { SKIP_CODES, type SkipCode } from './vocab/skips.js';
import type { SkipCode } from './vocab/skips.js';

/**
 * A message a document carries through the pipeline, as a vfile carries its messages: what
 * happened, which rule (a skip code when it ended the document's analysis), which stage raised
 * it, and where in the document when that is known. The run report folds them into `skipped` and
 * `warnings`.
 */
export interface DocumentMessage {
  reason: string;
  ruleId: SkipCode | 'file_changed' | 'cache_unwritable';
  /** The step that raised it. */
  source: 'read' | 'cache' | 'ingest' | 'segment' | 'tag' | 'theme' | 'worker';
  place?: string;
  /** The document was skipped because of it. */
  fatal?: boolean;
}

export interface SkippedDocument {
  file: string;
  reason: string;
  /** Machine-readable reason code (SKIP_CODES). */
  code: SkipCode;
}

export interface RunReport {
  tool: string;
  version: string;
  corpus: string;
  /** Documents read and analysed (skipped ones are in `skipped`). */
  documents: number;
  /** Sentences of those documents; labelCounts splits them by label. */
  sentences: number;
  skipped: SkippedDocument[];
  warnings: { file: string; message: string }[];
  dropped: DroppedCounts;
  labelCounts: Record<Label, number>;
  duplicates: number;
  /** Files in the output folder that this tool did not write (or that were changed since): kept, never deleted. */
  kept: string[];
  /** Limits in force (maxFileBytes, maxPages, maxSentenceChars, maxSecondsPerDoc). */
  limits: Record<string, number>;
  /** Limits that changed what was read in documents that were not skipped (e.g. over-long sentences split). */
  limitsHit: LimitHitReport[];
  /** Engine that read the PDFs (`--pdf-engine`); a PDF it could not open and pdfjs could has a warning saying so. */
  pdfEngine: 'pdfium' | 'pdfjs';
  /** The comparison window (`--period`, `--framework`): which inspections the counts, charts and report cover. */
  window: { period: string; label: string; inspections: number; documents: number; sentences: number };
  /** Model folder used (`--model`), when not the shipped models. */
  model?: string;
  /** The overrides file (`--overrides`): rows, sentences recoded, and rows that matched no sentence. */
  overrides?: { file: string; sha256: string; rows: number; applied: number; unmatched: { line: number; sentenceId?: string; text?: string }[] };
  /** Output files not written, and why (a chart over the PNG size limit has its SVG only). */
  omitted: OmittedOutput[];
  /** The files this run wrote into the output folder (relative paths, sorted; run_report.json last). */
  outputs?: string[];
}

/** An output file the run did not write, and why (a chart too large for a PNG). */
export interface OmittedOutput {
  /** Path relative to the output folder. */
  file: string;
  reason: string;
}

/** A limit hit in a document that was still analysed (documents skipped by a limit are in `skipped`). */
export interface LimitHitReport {
  file: string;
  /** Limit name, e.g. 'maxSentenceChars'. */
  limit: string;
  /** Items over the limit (e.g. sentences). */
  count: number;
  /** Pieces they were split into. */
  pieces: number;
  /** Size of the largest item over the limit. */
  longest: number;
}
